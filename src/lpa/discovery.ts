/**
 * SM-DS discovery (ES11, docs/protocol.md §4.2): the eUICC authenticates the SM-DS like an SM-DP+
 * (ctxParams1 without a matching ID) and the SM-DS answers with the events for this EID.
 */
import { authenticateServer, Es10Error, getEuiccConfiguredAddresses } from '../es10/index.ts';
import type { EventEntry } from '../es10/index.ts';
import type { LpaContext, LpaProgress } from './context.ts';
import { initiateWithServer } from './download.ts';
import { LpaError, toLpaError } from './errors.ts';

export interface DiscoveryOptions {
  /** Default: the eUICC's root SM-DS (GetEuiccConfiguredAddresses). */
  smdsAddress?: string;
  signal?: AbortSignal;
  onProgress?: (p: LpaProgress) => void;
}

export interface DiscoveryResult {
  smdsAddress: string;
  events: EventEntry[];
}

export async function discovery(
  ctx: LpaContext,
  opts: DiscoveryOptions = {},
): Promise<DiscoveryResult> {
  const { signal } = opts;
  let step = 'resolveAddress';
  const progress = (s: string): void => {
    step = s;
    ctx.emit({ operation: 'discovery', step: s }, opts.onProgress);
  };
  try {
    const es11 = ctx.es11;
    if (!es11) throw new LpaError('internal', 'No ES11 (SM-DS) client was configured.');
    progress('resolveAddress');
    const link = await ctx.link();
    let smdsAddress = opts.smdsAddress;
    if (smdsAddress === undefined || smdsAddress === '') {
      smdsAddress = (await getEuiccConfiguredAddresses(link, signal)).rootDsAddress;
      if (smdsAddress === undefined)
        throw new LpaError(
          'noAddress',
          'No SM-DS address: the eUICC has no root SM-DS configured.',
        );
    }
    const { init } = await initiateWithServer(link, 'SM-DS', smdsAddress, progress, signal, (r) =>
      es11.initiateAuthentication(
        { smdsAddress: r.address, euiccChallenge: r.euiccChallenge, euiccInfo1: r.euiccInfo1 },
        signal,
      ),
    );
    progress('authenticateServer');
    const auth = await authenticateServer(
      link,
      {
        serverSigned1: init.serverSigned1,
        serverSignature1: init.serverSignature1,
        euiccCiPKIdToBeUsed: init.euiccCiPKIdToBeUsed,
        serverCertificate: init.serverCertificate,
        ctxParams1: { deviceInfo: ctx.deviceInfo },
      },
      signal,
    );
    if (!auth.ok) throw new Es10Error('authenticateServer', auth.errorCode);
    progress('authenticateClient');
    const res = await es11.authenticateClient(
      { smdsAddress, transactionId: init.transactionId, authenticateServerResponse: auth.raw },
      signal,
    );
    progress('done');
    return {
      smdsAddress,
      events: res.eventEntries.map((e) => ({
        eventId: e.eventId,
        rspServerAddress: e.rspServerAddress,
      })),
    };
  } catch (e) {
    const err = toLpaError(e, step, signal);
    if (err.reason === 'transport') ctx.linkFailed(e);
    throw err;
  }
}
