/**
 * Opening a link to an eUICC for the UI: the transport (virtual, WebUSB CCID, WebSerial AT or
 * the Web Smart Card API), traced into the exchange log, then the APDU layer's Card and ISD-R.
 * The virtual eUICC's state is kept in IndexedDB and saved after every operation.
 */
import type { Es10Link } from '../../apdu/es10-link.ts';
import { Card, openIsdR } from '../../apdu/index.ts';
import { fromHex, toHex } from '../../codec/index.ts';
import type { CiNames } from '../../es10/index.ts';
import { TracingTransport } from '../../transport/tracing.ts';
import type { Transport } from '../../transport/transport.ts';
import type { BackendFactory } from './app.svelte.ts';
import { openBridgeLink } from './bridge-link.ts';
import { messages } from './i18n.svelte.ts';
import type { SettingsData, TransportKind } from './settings-model.ts';

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

/**
 * The EID of a new virtual eUICC: the SGP.26 test EID (valid mod 97; also the EID of the KDF vector in docs/protocol.md §7.6), which
 * catalogue/demo.json binds an order and an SM-DS event to.
 */
export const VIRTUAL_DEMO_EID = '89049032123451234512345678901235';

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
    // First use: a fresh test identity (fresh keys) under the project's test CI, with the demo
    // EID, so the demo catalogue's EID-bound order and its SM-DS event work out of the box.
    euicc = euiccMod.createEuicc({
      identity: euiccMod.createTestIdentity({ curve: 'P-256', ci, eid: VIRTUAL_DEMO_EID }),
    });
    await ctx.store.put(VIRTUAL_STATE_KEY, JSON.stringify(euicc.exportState()));
  }
  return {
    transport: new VirtualTransport(euicc),
    persist: () => ctx.store.put(VIRTUAL_STATE_KEY, JSON.stringify(euicc.exportState())),
    ciNames,
  };
}

/**
 * The hardware transports' browser glue (browser.ts in webusb-ccid, webserial-at and smartcard):
 * each checks for a secure page and the API, has the user choose a device (the browser's chooser;
 * for smart cards the first reader with a card) and opens it as a Transport; `onDisconnect` fires
 * only when that device (or card) goes away. Looked up with import.meta.glob, and typed here
 * structurally, so a build without one of them still works (the option then says so).
 */
interface HardwareGlue {
  requestTransport(
    api: unknown,
    options: {
      onDisconnect?: () => void;
      isSecureContext?: boolean;
      granted?: 'prefer' | 'only';
    },
  ): Promise<Transport>;
}

const usbModules = import.meta.glob<HardwareGlue>('../../transport/webusb-ccid/browser.ts');
const serialModules = import.meta.glob<HardwareGlue>('../../transport/webserial-at/browser.ts');
const smartCardModules = import.meta.glob<HardwareGlue>('../../transport/smartcard/browser.ts');
const usbModemModules = import.meta.glob<HardwareGlue>('../../transport/webusb-at/browser.ts');

type HardwareKind = Exclude<TransportKind, 'virtual' | 'bridge'>;

/** Where each hardware kind's glue lives and which browser API it is handed. */
const HARDWARE: Record<
  HardwareKind,
  { modules: Record<string, () => Promise<HardwareGlue>>; api: (ctx: Ctx) => unknown }
> = {
  usb: { modules: usbModules, api: (ctx) => ctx.env.usb },
  serial: { modules: serialModules, api: (ctx) => ctx.env.serial },
  usbModem: { modules: usbModemModules, api: (ctx) => ctx.env.usb },
  smartcard: { modules: smartCardModules, api: (ctx) => ctx.env.smartCard },
};

async function loadGlue<T>(modules: Record<string, () => Promise<T>>, what: string): Promise<T> {
  const load = Object.values(modules)[0];
  if (!load) throw new Error(messages().add.link.notIncluded(what));
  return load();
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return typeof e === 'string' ? e : messages().add.link.unknownError;
}

/**
 * A transport made ready for the LPA: every exchange goes into the log, and the ISD-R is opened
 * over one Card as `settings` say (its AID, the STORE DATA block; empty and 0 mean probe and the
 * link's own maximum). Used for the app's one link and for each card of a batch.
 */
export function traceLink(
  raw: Transport,
  log: Ctx['log'],
  settings: Pick<SettingsData, 'isdrAid' | 'storeDataBlock'>,
): { transport: TracingTransport; openIsdR: () => ReturnType<typeof openIsdR> } {
  const traced = new TracingTransport(raw, {
    onRecord: (r) => {
      const entry: Parameters<typeof log.addApdu>[0] = {
        at: r.startedAt,
        durationMs: r.durationMs,
        command: r.command,
      };
      if (r.response) entry.response = r.response;
      if (r.error !== undefined) entry.error = errorText(r.error);
      log.addApdu(entry);
    },
  });
  const card = new Card(traced);
  return {
    transport: traced,
    openIsdR: () =>
      openIsdR(card, {
        ...(settings.isdrAid !== '' ? { aids: [fromHex(settings.isdrAid)] } : {}),
        ...(settings.storeDataBlock > 0 ? { storeDataBlock: settings.storeDataBlock } : {}),
      }),
  };
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
  } else if (kind === 'bridge') {
    // A PC/SC reader through the local card bridge: the address and reader chosen in the
    // Connect view, with the pairing token kept for that bridge.
    raw = await openBridgeLink(ctx.store, { fetch: ctx.env.fetch }, ctx.onLost);
  } else {
    const hw = HARDWARE[kind];
    const glue = await loadGlue(hw.modules, messages().add.link.kinds[kind]);
    raw = await glue.requestTransport(hw.api(ctx), {
      isSecureContext: ctx.env.isSecureContext,
      onDisconnect: ctx.onLost,
      ...(ctx.granted !== undefined ? { granted: ctx.granted } : {}),
    });
  }
  const { transport: traced, openIsdR: openTracedIsdR } = traceLink(
    raw,
    ctx.log,
    ctx.settings.current,
  );
  const link: OpenedLink = {
    transport: traced,
    openIsdR: openTracedIsdR,
    persist,
    close: () => traced.close(),
    refreshFlag: kind === 'serial',
  };
  if (ciNames) link.ciNames = ciNames;
  return link;
}
