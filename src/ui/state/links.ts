/**
 * Opening a link to an eUICC for the UI: the transport (virtual, WebUSB CCID or WebSerial AT),
 * traced into the exchange log, then the APDU layer's Card and ISD-R. The virtual eUICC's state
 * is kept in IndexedDB and saved after every operation.
 */
import type { Es10Link } from '../../apdu/es10-link.ts';
import { Card, openIsdR } from '../../apdu/index.ts';
import { fromHex, toHex } from '../../codec/index.ts';
import type { CiNames } from '../../es10/index.ts';
import { TracingTransport } from '../../transport/tracing.ts';
import type { Transport } from '../../transport/transport.ts';
import type { BackendFactory } from './app.svelte.ts';
import type { TransportKind } from './settings-model.ts';

type Ctx = Parameters<BackendFactory>[1];

export interface OpenedLink {
  transport: Transport;
  openIsdR: () => Promise<Es10Link>;
  /** Saves what must survive a reload (the virtual eUICC's state); a no-op for hardware. */
  persist(): Promise<void>;
  close(): Promise<void>;
  /** Enable/Disable refreshFlag: a modem/phone must refresh its UICC session; the others need not. */
  refreshFlag: boolean;
  ciNames?: CiNames;
}

export const VIRTUAL_STATE_KEY = 'virtual-euicc';

/** The name shown for the project's test CI (src/rsp/pki.ts projectTestCi), which the local SM-DP+ uses too. */
export const PROJECT_TEST_CI_NAME = 'WebLPA Test CI P-256';

async function openVirtual(ctx: Ctx): Promise<{
  transport: Transport;
  persist: () => Promise<void>;
  ciNames: CiNames;
}> {
  const euiccMod = await import('../../euicc/index.ts');
  const rsp = await import('../../rsp/index.ts');
  const { VirtualTransport } = await import('../../transport/virtual/virtual-transport.ts');
  const ci = rsp.projectTestCi('P-256');
  const ski = rsp.parseCertificate(ci.certificate).subjectKeyId;
  const ciNames: CiNames = ski ? { [toHex(ski)]: PROJECT_TEST_CI_NAME } : {};
  const saved = await ctx.store.get(VIRTUAL_STATE_KEY);
  let euicc: ReturnType<typeof euiccMod.createEuicc>;
  if (saved !== undefined) {
    euicc = euiccMod.fromState(JSON.parse(saved));
  } else {
    // First use: a fresh test identity (random EID) under the project's test CI.
    euicc = euiccMod.createEuicc({ identity: euiccMod.createTestIdentity({ curve: 'P-256', ci }) });
    await ctx.store.put(VIRTUAL_STATE_KEY, JSON.stringify(euicc.exportState()));
  }
  return {
    transport: new VirtualTransport(euicc),
    persist: () => ctx.store.put(VIRTUAL_STATE_KEY, JSON.stringify(euicc.exportState())),
    ciNames,
  };
}

/**
 * What the UI expects from the hardware transports' browser glue (browser.ts in webusb-ccid and webserial-at):
 * show the browser's device chooser and open the chosen device as a Transport. Looked up with
 * import.meta.glob so a build without one of them still works (the option then says so).
 */
interface HardwareModule {
  requestTransport(api: unknown, options?: { onDisconnect?: () => void }): Promise<Transport>;
}

const usbModules = import.meta.glob<HardwareModule>('../../transport/webusb-ccid/browser.ts');
const serialModules = import.meta.glob<HardwareModule>('../../transport/webserial-at/browser.ts');

async function openHardware(
  modules: Record<string, () => Promise<HardwareModule>>,
  api: unknown,
  what: string,
  onLost: () => void,
): Promise<Transport> {
  const load = Object.values(modules)[0];
  if (!load) throw new Error(`${what} support is not included in this build of WebLPA.`);
  const mod = await load();
  return mod.requestTransport(api, { onDisconnect: onLost });
}

export async function openLink(kind: TransportKind, ctx: Ctx): Promise<OpenedLink> {
  let raw: Transport;
  let persist = (): Promise<void> => Promise.resolve();
  let ciNames: CiNames | undefined;
  if (kind === 'virtual') {
    const v = await openVirtual(ctx);
    raw = v.transport;
    persist = v.persist;
    ciNames = v.ciNames;
  } else if (kind === 'usb') {
    raw = await openHardware(usbModules, ctx.env.usb, 'USB reader', ctx.onLost);
  } else {
    raw = await openHardware(serialModules, ctx.env.serial, 'Serial modem', ctx.onLost);
  }
  const traced = new TracingTransport(raw, {
    onRecord: (r) => {
      const entry: Parameters<typeof ctx.log.addApdu>[0] = {
        at: r.startedAt,
        durationMs: r.durationMs,
        command: r.command,
      };
      if (r.response) entry.response = r.response;
      if (r.error !== undefined) entry.error = String(r.error);
      ctx.log.addApdu(entry);
    },
  });
  const card = new Card(traced);
  const settings = ctx.settings.current;
  const link: OpenedLink = {
    transport: traced,
    openIsdR: () =>
      openIsdR(card, {
        ...(settings.isdrAid !== '' ? { aids: [fromHex(settings.isdrAid)] } : {}),
        ...(settings.storeDataBlock > 0 ? { storeDataBlock: settings.storeDataBlock } : {}),
      }),
    persist,
    close: () => traced.close(),
    refreshFlag: kind === 'serial',
  };
  if (ciNames) link.ciNames = ciNames;
  return link;
}
