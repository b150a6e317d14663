/**
 * Seeds for the fuzz targets, recorded from the project's own code: a software eUICC and the
 * test SM-DP+/SM-DS run in-process (both with seeded randomness and a fixed clock), and the LPA
 * reads the chip, downloads a profile (accepted), sends its notifications, enables it,
 * (its enable notification stays pending), refuses a second download (cancelSession) and runs an SM-DS discovery. Every ES9+/ES11
 * request body and every APDU is kept, with the eUICC state before and after.
 *
 * Because the randomness is seeded, a fresh SM-DP+ (makeCore) and a fresh eUICC (makeEuicc from
 * `initialState`) given the recorded requests/APDUs in order answer exactly as during the
 * recording: the fuzzers replay a prefix and mutate the next message to reach deep states.
 */
import { toHex } from '../src/codec/index.ts';
import { createTestIdentity, SoftwareEuicc, type EuiccState } from '../src/euicc/index.ts';
import type { Es9pFetch } from '../src/es9p/index.ts';
import { seededRng } from '../src/rsp/index.ts';
import { lpaOver, makeEs9p } from '../src/server/cli/stack.ts';
import type { Order } from '../src/server/smdp/catalogue.ts';
import { SmdpCore } from '../src/server/smdp/core.ts';
import { createServerPki, type CiCredentials } from '../src/server/smdp/credentials.ts';
import { createSmdpHandler, inProcessFetch } from '../src/server/smdp/server.ts';
import { TracingTransport } from '../src/transport/tracing.ts';
import { VirtualTransport } from '../src/transport/virtual/virtual-transport.ts';

export const SMDP_ADDRESS = 'testsmdpplus1.example.com';
export const SMDS_ADDRESS = 'testsmds1.example.com';
/** Inside the test PKI's validity (2020-2099). */
export const FIXED_NOW = new Date(Date.UTC(2026, 5, 1, 12, 0, 0));
const EUICC_RNG_SEED = 'weblpa-fuzz-euicc';
const SMDP_RNG_SEED = 'weblpa-fuzz-smdp';

export interface RecordedRequest {
  /** e.g. /gsma/rsp2/es9plus/initiateAuthentication */
  path: string;
  /** The JSON text the LPA sent. */
  body: string;
}

export interface Corpus {
  pki: CiCredentials[];
  orders: Order[];
  requests: RecordedRequest[];
  /** Command APDUs in the order sent (all flows, one card session after another). */
  apdus: Uint8Array[];
  /** The card before the recording (a fresh card, identity only). */
  initialState: EuiccState;
  /** The card after: one enabled profile, pending notifications. */
  finalState: EuiccState;
}

function order(matchingId: string, over: Partial<Order> = {}): Order {
  return {
    matchingId,
    label: matchingId,
    reusable: true,
    iccid: '89990010000000000111',
    metadata: {
      serviceProviderName: 'Fuzz SP',
      profileName: `Profile ${matchingId}`,
      profileClass: 'operational',
      icon: { type: 'png', data: Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4) },
      ppr: ['ppr2'],
    },
    profile: { kind: 'generated', sizeBytes: 1200 },
    ...over,
  };
}

/** A fresh SM-DP+/SM-DS core with the recording's randomness and clock. */
export function makeCore(corpus: Pick<Corpus, 'pki' | 'orders'>): SmdpCore {
  return new SmdpCore({
    smdpAddress: SMDP_ADDRESS,
    smdpOid: '2.999.10',
    smdsAddress: SMDS_ADDRESS,
    pki: corpus.pki,
    orders: corpus.orders,
    rng: seededRng(SMDP_RNG_SEED),
    now: () => FIXED_NOW,
  });
}

/** A card from `state` with the recording's randomness and clock. */
export function makeEuicc(state: unknown): SoftwareEuicc {
  return SoftwareEuicc.fromState(state, { rng: seededRng(EUICC_RNG_SEED), now: () => FIXED_NOW });
}

let cached: Promise<Corpus> | undefined;

/** Records the corpus once per process. */
export function loadCorpus(): Promise<Corpus> {
  cached ??= record();
  return cached;
}

async function record(): Promise<Corpus> {
  const pki = createServerPki({
    smdpAddress: SMDP_ADDRESS,
    smdpOid: '2.999.10',
    smdsAddress: SMDS_ADDRESS,
    smdsOid: '2.999.11',
    seed: 'weblpa-fuzz',
  });
  const ci = pki.find((p) => p.ci.key.curve === 'P-256')!.ci;
  const identity = createTestIdentity({ curve: 'P-256', seed: 'weblpa-fuzz-card', ci });
  const orders = [order('FUZZ-ONE'), order('FUZZ-TWO', { iccid: '89990010000000200018' })];
  const base = SoftwareEuicc.create({ identity, defaultDpAddress: SMDP_ADDRESS });
  const initialState = base.exportState();
  const euicc = makeEuicc(initialState);
  const core = makeCore({ pki, orders });
  core.registerEvent({ eid: euicc.eid, eventId: 'FUZZ-TWO', rspServerAddress: SMDP_ADDRESS });
  const handler = createSmdpHandler({ core });
  const serve = inProcessFetch(handler);
  const requests: RecordedRequest[] = [];
  const fetch: Es9pFetch = async (url, init) => {
    requests.push({ path: new URL(url).pathname, body: init.body });
    return serve(url, { method: init.method, headers: init.headers, body: init.body });
  };
  const serverUrl = 'http://smdp.fuzz.invalid';
  const { es9p, es11 } = makeEs9p({
    fetch,
    map: { [SMDP_ADDRESS]: serverUrl, [SMDS_ADDRESS]: serverUrl },
  });
  const tracing = new TracingTransport(new VirtualTransport(euicc), { keep: 100_000 });
  const stack = lpaOver(tracing, {
    es9p,
    es11,
    now: () => FIXED_NOW,
    autoSendNotifications: false,
  });
  const yes = (): Promise<boolean> => Promise.resolve(true);
  const no = (): Promise<boolean> => Promise.resolve(false);
  try {
    const { lpa } = stack;
    await lpa.getChipInfo();
    const first = await lpa.download({
      activationCode: `LPA:1$${SMDP_ADDRESS}$FUZZ-ONE`,
      confirm: yes,
    });
    await lpa.sendAllNotifications();
    await lpa.enableProfile({ isdpAid: first.isdpAid });
    await lpa.listProfiles();
    await lpa
      .download({ activationCode: `LPA:1$${SMDP_ADDRESS}$FUZZ-TWO`, confirm: no })
      .catch(() => undefined);
    await lpa.discovery({ smdsAddress: SMDS_ADDRESS });
    await lpa.setNickname(first.iccid ?? '', 'fuzz nickname');
  } finally {
    await stack.close();
  }
  const apdus = tracing.records.map((r) => r.command);
  if (apdus.length < 20 || requests.length < 5)
    throw new Error(
      `the recording is too short (${apdus.length} APDUs, ${requests.length} requests): ${toHex(apdus[0] ?? new Uint8Array(0))}`,
    );
  return { pki, orders, requests, apdus, initialState, finalState: euicc.exportState() };
}
