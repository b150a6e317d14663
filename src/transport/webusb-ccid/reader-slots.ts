/**
 * Every slot of one multi-slot CCID reader as its own card: one claimed interface, one bulk pipe,
 * and a Transport per slot that behaves like the single-slot transport (its own ATR, T=0 or T=1
 * settled per slot, the same typed errors). CCID allows one outstanding command per slot, but
 * many readers handle only one at a time on the device, so the reader runs one command at a time
 * over all its slots (CcidReader's queue); slots used at once take turns command by command, and
 * a card taken out of one slot ends only that slot's transport.
 *
 *   const slots = await openReaderSlots(device, { events: usb });
 *   const transports = await Promise.all(slots.slots.map((s) => s.open()));
 *   ...
 *   await slots.close(); // powers every slot off, releases the interface, closes the device
 */
import { abortReason } from '../../base/async.ts';
import { TransportClosedError } from '../transport.ts';
import type { UsbDeviceLike } from '../usb-types.ts';
import {
  CcidReader,
  type CcidReaderOptions,
  type CcidTransport,
  type SlotState,
} from './ccid-transport.ts';

/**
 * The slot holds no card (GetSlotStatus said so, or the card left during power-on). A
 * TransportClosedError with a name of its own, so it is explained as an empty slot, not a lost link.
 */
export class SlotEmptyError extends TransportClosedError {
  override readonly name = 'SlotEmptyError';
  constructor(
    readonly reader: string,
    readonly slot: number,
    options?: ErrorOptions,
  ) {
    super(`no card in ${reader} slot ${slot}`, options);
  }
}

/** One slot of an opened reader. */
export interface ReaderSlot {
  readonly slot: number;
  /** "<reader> slot <n>" (the reader's name alone on a one-slot reader). */
  readonly label: string;
  /** The slot's state when the reader was opened (GetSlotStatus). */
  readonly state: SlotState;
  /**
   * Powers on the card in this slot and returns its Transport. Opening a slot again closes its
   * earlier transport first (the card is powered afresh). An empty slot: SlotEmptyError.
   */
  open(signal?: AbortSignal): Promise<CcidTransport>;
}

/** A reader opened for all its slots at once. */
export class ReaderSlots {
  readonly reader: CcidReader;
  readonly slots: readonly ReaderSlot[];
  #open = new Map<number, CcidTransport>();

  private constructor(reader: CcidReader, states: readonly { slot: number; state: SlotState }[]) {
    this.reader = reader;
    this.slots = states.map(({ slot, state }) => ({
      slot,
      state,
      label: reader.slotCount > 1 ? `${reader.name} slot ${slot}` : reader.name,
      open: (signal) => this.#openSlot(slot, signal),
    }));
  }

  /** Opens `device` (the best CCID interface, or `options.interfaceNumber`) and reads every slot's state. */
  static async open(device: UsbDeviceLike, options: CcidReaderOptions = {}): Promise<ReaderSlots> {
    const reader = await CcidReader.open(device, options);
    try {
      return new ReaderSlots(reader, await reader.slotStatuses());
    } catch (err) {
      await reader.close();
      throw err;
    }
  }

  get name(): string {
    return this.reader.name;
  }

  async #openSlot(slot: number, signal?: AbortSignal): Promise<CcidTransport> {
    if (signal?.aborted) throw abortReason(signal);
    const earlier = this.#open.get(slot);
    if (earlier !== undefined) {
      this.#open.delete(slot);
      await earlier.close();
    }
    const name = this.reader.name;
    if ((await this.reader.slotStatus(slot)) === 'absent') throw new SlotEmptyError(name, slot);
    let transport: CcidTransport;
    try {
      transport = await this.reader.openSlot(slot);
    } catch (err) {
      // The card left between GetSlotStatus and IccPowerOn.
      if (err instanceof TransportClosedError && !this.reader.closed)
        throw new SlotEmptyError(name, slot, { cause: err });
      throw err;
    }
    if (signal?.aborted) {
      await transport.close();
      throw abortReason(signal);
    }
    this.#open.set(slot, transport);
    return transport;
  }

  /** Powers off every open slot, releases the interface and closes the device. Safe to call twice. */
  async close(): Promise<void> {
    this.#open.clear();
    await this.reader.close();
  }
}

/** Opens `device` for all its slots: see ReaderSlots. */
export function openReaderSlots(
  device: UsbDeviceLike,
  options: CcidReaderOptions = {},
): Promise<ReaderSlots> {
  return ReaderSlots.open(device, options);
}
