/**
 * Which interface and slot of a reader to use: the app asks the user (ReaderSlotPicker) when a
 * reader offers a choice, and the answer is remembered per device (vendor, product, serial
 * number). Without anyone listening (tests, the CLI) the suggested choice is taken: the best
 * interface (contact first, reader-open.ts) and its first slot with a card.
 */
import type { InterfaceKind, ReaderInterface } from './reader-open.ts';
import type { SlotState } from './ccid-transport.ts';

export interface ReaderChoice {
  interfaceNumber: number;
  slot: number;
}

export interface InterfaceOption {
  interfaceNumber: number;
  /** "Contact (interface 1)", or the interface string. */
  label: string;
  kind: InterfaceKind;
  /** The interface string, when the device gave one (the app builds its own label from these). */
  name: string | undefined;
  /** Why the driver cannot use it (undefined: usable). */
  refusal: string | undefined;
  /** Slots, those with a card first; `unknown` for an interface not opened yet. */
  slots: { slot: number; state: SlotState | 'unknown' }[];
}

export interface ReaderChoiceRequest {
  reader: string;
  interfaces: InterfaceOption[];
  suggested: ReaderChoice;
}

/** The user closed the picker without choosing. */
export class ReaderChoiceCancelled extends Error {
  override readonly name = 'ReaderChoiceCancelled';
  constructor() {
    super('No interface or slot of the reader was chosen.');
  }
}

type Listener = (request: ReaderChoiceRequest | undefined) => void;

/** Hands a pending choice to whoever shows it (the app's picker) and its answer back. */
export class ReaderChoiceBroker {
  #listeners = new Set<Listener>();
  #pending:
    | {
        request: ReaderChoiceRequest;
        resolve: (c: ReaderChoice) => void;
        reject: (e: unknown) => void;
      }
    | undefined;

  /** Calls `listener` with the pending request now and on every change; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.#pending?.request);
    return () => this.#listeners.delete(listener);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  get pending(): ReaderChoiceRequest | undefined {
    return this.#pending?.request;
  }

  #emit(): void {
    for (const l of this.#listeners) l(this.#pending?.request);
  }

  /** Asks for a choice; with nobody listening, the suggested one. */
  ask(request: ReaderChoiceRequest): Promise<ReaderChoice> {
    if (!this.listening) return Promise.resolve(request.suggested);
    this.#pending?.reject(new ReaderChoiceCancelled());
    return new Promise<ReaderChoice>((resolve, reject) => {
      this.#pending = { request, resolve, reject };
      this.#emit();
    });
  }

  /** Replaces the pending request (a card went in or out while the picker is open). */
  update(request: ReaderChoiceRequest): void {
    if (!this.#pending) return;
    this.#pending.request = request;
    this.#emit();
  }

  answer(choice: ReaderChoice): void {
    const p = this.#pending;
    this.#pending = undefined;
    p?.resolve(choice);
    this.#emit();
  }

  cancel(): void {
    const p = this.#pending;
    this.#pending = undefined;
    p?.reject(new ReaderChoiceCancelled());
    this.#emit();
  }
}

/** The app's broker: browser.ts asks it, ReaderSlotPicker answers it. */
export const readerChoice = new ReaderChoiceBroker();

/** What remembers choices (localStorage in the page). */
export interface ChoiceStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const PREFIX = 'weblpa.ccid-choice.';

/** The key a device's choice is remembered under: vendor, product and serial number. */
export function deviceKey(d: {
  vendorId: number;
  productId: number;
  serialNumber?: string | null | undefined;
}): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `${hex(d.vendorId)}:${hex(d.productId)}:${d.serialNumber ?? ''}`;
}

export function rememberedChoice(
  store: ChoiceStore | undefined,
  key: string,
): ReaderChoice | undefined {
  try {
    const raw = store?.getItem(PREFIX + key);
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Partial<ReaderChoice>;
    if (typeof v.interfaceNumber !== 'number' || typeof v.slot !== 'number') return undefined;
    return { interfaceNumber: v.interfaceNumber, slot: v.slot };
  } catch {
    return undefined;
  }
}

export function rememberChoice(store: ChoiceStore | undefined, key: string, c: ReaderChoice): void {
  try {
    store?.setItem(PREFIX + key, JSON.stringify(c));
  } catch {
    // storage full or blocked: the choice is simply asked again next time
  }
}

const KIND_LABEL: Record<InterfaceKind, string> = {
  contact: 'Contact',
  contactless: 'Contactless',
  sam: 'SAM',
  unknown: 'Card',
};

/** The request for a reader whose interface `opened` is open with `slots` known. */
export function choiceRequest(
  reader: string,
  interfaces: readonly ReaderInterface[],
  opened: number,
  slots: readonly { slot: number; state: SlotState }[],
): ReaderChoiceRequest {
  const options = interfaces.map((i): InterfaceOption => {
    const known = i.interfaceNumber === opened;
    const list = known
      ? [...slots]
      : Array.from({ length: i.descriptor.slotCount }, (_, slot) => ({
          slot,
          state: 'unknown' as const,
        }));
    // Slots with a card first, then by number.
    list.sort(
      (a, b) => Number(a.state === 'absent') - Number(b.state === 'absent') || a.slot - b.slot,
    );
    return {
      interfaceNumber: i.interfaceNumber,
      label: `${KIND_LABEL[i.kind]} (interface ${i.interfaceNumber}${i.name ? `, ${i.name}` : ''})`,
      kind: i.kind,
      name: i.name,
      refusal: i.refusal?.message,
      slots: list,
    };
  });
  const withCard = slots.find((s) => s.state !== 'absent');
  return {
    reader,
    interfaces: options,
    suggested: { interfaceNumber: opened, slot: withCard?.slot ?? 0 },
  };
}

/** Whether the reader offers anything to choose (several usable interfaces or slots). */
export function offersChoice(request: ReaderChoiceRequest): boolean {
  const usable = request.interfaces.filter((i) => i.refusal === undefined);
  return usable.length > 1 || usable.some((i) => i.slots.length > 1);
}
