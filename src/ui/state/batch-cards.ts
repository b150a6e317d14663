/**
 * The cards a plan runs over in the Batch view, one CardSlot each (src/batch/runner.ts): virtual
 * eUICCs made for a dry run, every slot of one USB CCID reader (one claim, one pipe; the slots
 * take turns), or each reader the paired local card bridge lists (each over its own
 * connection). Every card is traced into the log, and its LPA reaches ES9+ the way Settings say;
 * on hardware its ISD-R is opened as Settings say (AID, STORE DATA block).
 */
import type { CardSlot, OpenCard } from '../../batch/index.ts';
import type { Transport } from '../../transport/transport.ts';
import type { AppState } from './app.svelte.ts';
import { bridgeTokenKey, openBridgeClient } from './bridge-link.ts';
import { makeEs9p } from './es9p-wiring.ts';
import { traceLink } from './links.ts';

/** What a card is, so that its name on screen follows the language (the report keeps its label). */
export type CardName =
  | { kind: 'virtual'; index: number }
  | { kind: 'usbSlot'; reader: string; slot: number }
  | { kind: 'bridge'; reader: string };

/** The cards of one run, their names by label, and what to release when the run ends. */
export interface BatchCards {
  slots: CardSlot[];
  names: Record<string, CardName>;
  close(): Promise<void>;
}

/** Why a plan could not start over the bridge: the page is not paired, or it lists no reader. */
export class BridgeProblem extends Error {
  override readonly name = 'BridgeProblem';
  constructor(
    readonly kind: 'notPaired' | 'noReaders',
    readonly url: string,
  ) {
    super(`${kind}: ${url}`);
  }
}

/** The app's parts an operation's LPA needs, with no link to report to. */
function context(app: AppState) {
  return {
    env: app.env,
    settings: app.settings,
    log: app.log,
    store: app.store,
    onLost: () => undefined,
    onNotice: () => undefined,
  };
}

/** A card over `transport` (see the module comment); `hardware` false for a virtual eUICC. */
async function cardOver(app: AppState, transport: Transport, hardware = true): Promise<OpenCard> {
  const lpaMod = await import('../../lpa/index.ts');
  const s = hardware ? app.settings.current : { isdrAid: '', storeDataBlock: 0 };
  const { transport: traced, openIsdR } = traceLink(transport, app.log, s);
  let isdR: Awaited<ReturnType<typeof openIsdR>> | undefined;
  const { es9p, es11 } = makeEs9p(context(app));
  const lpa = new lpaMod.Lpa({
    es10: async () => (isdR = await openIsdR()),
    es9p,
    es11,
  });
  return {
    lpa,
    close: async () => {
      await isdR?.close().catch(() => undefined);
      await traced.close().catch(() => undefined);
    },
  };
}

/** `n` virtual eUICCs under the project's test CI; seeded, so their EIDs are the same every run. */
export async function virtualCards(app: AppState, n: number): Promise<BatchCards> {
  const [euiccMod, rsp, virtual] = await Promise.all([
    import('../../euicc/index.ts'),
    import('../../rsp/index.ts'),
    import('../../transport/virtual/virtual-transport.ts'),
  ]);
  const ci = rsp.projectTestCi('P-256');
  const names: Record<string, CardName> = {};
  const slots = Array.from({ length: n }, (_, i): CardSlot => {
    const euicc = euiccMod.createEuicc({
      identity: euiccMod.createTestIdentity({ curve: 'P-256', ci, seed: `weblpa-batch-${i}` }),
    });
    const label = `virtual eUICC ${i + 1}`;
    names[label] = { kind: 'virtual', index: i + 1 };
    return { label, open: () => cardOver(app, new virtual.VirtualTransport(euicc), false) };
  });
  return { slots, names, close: () => Promise.resolve() };
}

/** Every slot of the USB reader the user picks in the browser's chooser. */
export async function usbCards(app: AppState): Promise<BatchCards> {
  const glue = await import('../../transport/webusb-ccid/browser-slots.ts');
  const reader = await glue.requestReaderSlots(app.env.usb, {
    isSecureContext: app.env.isSecureContext,
  });
  const names: Record<string, CardName> = {};
  for (const s of reader.slots) {
    const suffix = ` slot ${s.slot}`;
    if (s.label.endsWith(suffix))
      names[s.label] = { kind: 'usbSlot', reader: s.label.slice(0, -suffix.length), slot: s.slot };
  }
  return {
    slots: reader.slots.map((s) => ({
      label: s.label,
      open: async (signal) => cardOver(app, await s.open(signal)),
    })),
    names,
    close: () => reader.close(),
  };
}

/** One card per reader the bridge at `address` lists; BridgeProblem when it cannot start. */
export async function bridgeCards(app: AppState, address: string): Promise<BatchCards> {
  const bridge = await import('../../transport/bridge/index.ts');
  const url = bridge.bridgeAddress(address);
  const client = await openBridgeClient(url, app.store, { fetch: app.env.fetch });
  let readers: string[];
  try {
    if (!client.paired) throw new BridgeProblem('notPaired', url);
    readers = (await client.listReaders()).map((r) => r.name);
  } finally {
    client.close();
  }
  if (readers.length === 0) throw new BridgeProblem('noReaders', url);
  const token = await app.store.get(bridgeTokenKey(url));
  const label = (reader: string): string => `${reader} (card bridge)`;
  return {
    slots: readers.map((reader) => ({
      label: label(reader),
      open: async () =>
        cardOver(
          app,
          await bridge.openBridgeTransport({
            url,
            reader,
            webSocket: (u) => new WebSocket(u),
            fetch: (u, init) => app.env.fetch(u, init),
            origin: location.origin,
            ...(token !== undefined ? { token } : {}),
          }),
        ),
    })),
    names: Object.fromEntries(
      readers.map((reader): [string, CardName] => [label(reader), { kind: 'bridge', reader }]),
    ),
    close: () => Promise.resolve(),
  };
}
