/**
 * A slot's power-on and protocol: the voltage class, the protocol (T=0 or T=1) and the card's
 * speed on TPDU-level readers, following libccid (the CCID driver of pcsc-lite):
 *
 * Voltage (CCID §6.1.1 bPowerSelect): a reader with automatic voltage selection (dwFeatures
 * 0x08) powers the card its own way; otherwise 5 V, 3 V and 1.8 V are tried in that order, each
 * only when bVoltageSupport offers it, until the card answers with an ATR.
 *
 * Speed (ISO/IEC 7816-3 §9, CCID §6.1.7): TA1 is proposed when the card asks for a faster rate
 * than the default, the reader's dwMaxDataRate allows it and, when the reader lists its data
 * rates (GET_DATA_RATES, §5.3.3), the rate is in that list; a card too fast for the reader is
 * offered a lower Di that the list holds (TA1 0x95..0x97 down to 0x94). Then, per dwFeatures:
 *   - 0x40 automatic parameter negotiation: the reader does everything, the host sends no PPS;
 *   - 0x80 automatic PPS: the reader sends the PPS itself when SetParameters carries the rate;
 *   - neither: the host sends the PPS request through XfrBlock and SetParameters follows.
 * A failed PPS (or a refused SetParameters) powers the card again and runs at the default rate.
 */
import type { Atr } from './atr.ts';
import { diOf, fiOf, parseAtr } from './atr.ts';
import {
  LevelParameter,
  PowerSelect,
  getParameters,
  iccPowerOff,
  iccPowerOn,
  setParameters,
} from './ccid-messages.ts';
import { CcidFeature, type CcidClassDescriptor } from './descriptors.ts';
import { AtrError, CcidError, ReaderRefusedError } from './errors.ts';
import type { CcidPipe } from './pipe.ts';
import { validIfs } from './t1-link.ts';
import { TransportClosedError } from '../transport.ts';

/** The default Fi/Di (F 372, D 1). */
export const DEFAULT_FINDEX_DINDEX = 0x11;

/** bps of a card clocked at `clockKhz` with the Fi/Di of `findexDindex` (undefined when RFU). */
export function bitRate(findexDindex: number, clockKhz: number): number | undefined {
  const f = fiOf(findexDindex);
  const d = diOf(findexDindex);
  if (f === undefined || d === undefined) return undefined;
  return Math.floor((1000 * clockKhz * d) / f);
}

/** libccid accepts a data rate within 2 bps of a listed one. */
function listed(rate: number, rates: readonly number[] | undefined): boolean {
  return rates === undefined || rates.some((r) => Math.abs(r - rate) <= 2);
}

export type SpeedProposal =
  | { findexDindex: number; why: 'default' | 'ta1' | 'lowerDi' | 'tooFast' | 'notListed' }
  | { refused: string };

/**
 * The Fi/Di to ask for (libccid's IFDHSetProtocolParameters): TA1 when faster than the default
 * and within the reader's limits, a lower Di in the reader's list when the card is too fast,
 * otherwise the default. A card in specific mode runs at TA1 already: refused when the reader
 * cannot follow.
 */
export function proposeSpeed(
  atr: Atr,
  descriptor: CcidClassDescriptor,
  dataRates: readonly number[] | undefined,
): SpeedProposal {
  const ta1 = atr.groups.find((g) => g.index === 1)?.ta;
  const clock = descriptor.defaultClock;
  const base = bitRate(DEFAULT_FINDEX_DINDEX, clock) ?? 0;
  const maxRate = descriptor.maxDataRate;
  if (ta1 === undefined) return { findexDindex: DEFAULT_FINDEX_DINDEX, why: 'default' };
  const rate = bitRate(ta1, clock) ?? base; // RFU values: as the default (libccid: f 372, d 1)
  if (atr.specificMode !== undefined && !atr.specificMode.implicitParameters) {
    if (rate <= maxRate + 2 && listed(rate, dataRates)) return { findexDindex: ta1, why: 'ta1' };
    return {
      refused: `the card runs only at ${rate} bps (TA1 0x${ta1.toString(16)}, specific mode) and the reader offers at most ${maxRate} bps${dataRates ? ' from its list of rates' : ''}`,
    };
  }
  if (rate > base && rate <= maxRate) {
    if (listed(rate, dataRates)) return { findexDindex: ta1, why: 'ta1' };
    return { findexDindex: DEFAULT_FINDEX_DINDEX, why: 'notListed' };
  }
  if (rate > maxRate + 2 && ta1 <= 0x97 && dataRates !== undefined) {
    for (let lower = ta1 - 1; lower >= 0x94; lower--) {
      const r = bitRate(lower, clock);
      if (r !== undefined && listed(r, dataRates)) return { findexDindex: lower, why: 'lowerDi' };
    }
  }
  return { findexDindex: DEFAULT_FINDEX_DINDEX, why: rate > maxRate ? 'tooFast' : 'default' };
}

/** How the card's speed was settled. */
export type SpeedNegotiation =
  | 'default' // no PPS: the default rate (or the card asks for nothing faster)
  | 'reader' // the reader negotiates on its own (dwFeatures 0x40)
  | 'readerPps' // the reader sent the PPS on SetParameters (dwFeatures 0x80)
  | 'hostPps' // this driver sent the PPS
  | 'specificMode' // the card started at TA1's rate (TA2)
  | 'fallback'; // the PPS failed: the card was powered again and runs at the default rate

export interface SlotSpeed {
  findexDindex: number;
  /** Bits per second at dwDefaultClock. */
  bitRate: number;
  negotiation: SpeedNegotiation;
}

export interface PowerOnResult {
  atr: Uint8Array;
  /** The bPowerSelect that answered (0: the reader chose). */
  voltage: PowerSelect;
  /** Every bPowerSelect tried, in order. */
  tried: PowerSelect[];
}

const VOLTAGE_ORDER: readonly { select: PowerSelect; bit: number; label: string }[] = [
  { select: PowerSelect.v5, bit: 0x01, label: '5 V' },
  { select: PowerSelect.v3, bit: 0x02, label: '3 V' },
  { select: PowerSelect.v1_8, bit: 0x04, label: '1.8 V' },
];

/** Power-on with the voltage classes the reader needs to be told (see the file comment). */
export async function powerOnSlot(pipe: CcidPipe, slot: number): Promise<PowerOnResult> {
  const d = pipe.descriptor;
  const automatic = (d.features & CcidFeature.automaticVoltage) !== 0 || d.voltageSupport === 0;
  const classes = automatic
    ? [{ select: PowerSelect.automatic, bit: 0, label: 'automatic' }]
    : VOLTAGE_ORDER.filter((v) => (d.voltageSupport & v.bit) !== 0);
  const tried: PowerSelect[] = [];
  let last: unknown;
  for (const v of classes) {
    tried.push(v.select);
    try {
      const r = await pipe.command((seq) => iccPowerOn(slot, seq, v.select), slot);
      return { atr: r.data, voltage: v.select, tried };
    } catch (err) {
      if (automatic || !(err instanceof CcidError && err.reason === 'slotError')) throw err;
      last = err;
      // Deactivate before the next class (ISO/IEC 7816-3 §6.2.4).
      await pipe.command((seq) => iccPowerOff(slot, seq), slot).catch(() => undefined);
    }
  }
  throw new ReaderRefusedError(
    pipe.name,
    'noVoltage',
    `no card answered in slot ${slot} at ${classes.map((c) => c.label).join(', ')} (bVoltageSupport 0x${d.voltageSupport.toString(16).padStart(2, '0')}, no automatic voltage selection)${last instanceof CcidError && last.errorName ? `; last error ${last.errorName}` : ''}`,
    'slotError',
  );
}

/** GET_DATA_RATES (§5.3.3): the reader's list of data rates, undefined when it has none. */
export async function readDataRates(pipe: CcidPipe): Promise<number[] | undefined> {
  const n = pipe.descriptor.numDataRatesSupported;
  if (n === 0) return undefined;
  try {
    const r = await pipe.controlIn(
      {
        requestType: 'class',
        recipient: 'interface',
        request: 0x03,
        value: 0,
        index: pipe.interfaceNumber,
      },
      n * 4,
    );
    if (r.status !== 'ok' || !r.data || r.data.byteLength < 4) return undefined;
    const rates: number[] = [];
    for (let o = 0; o + 4 <= r.data.byteLength; o += 4) rates.push(r.data.getUint32(o, true));
    return rates;
  } catch {
    return undefined; // libccid: "will use whatever is returned"
  }
}

/** PPS request (ISO/IEC 7816-3 §9.2): PPSS, PPS0 (T, PPS1 present), PPS1, PCK. */
export function ppsRequest(protocol: 0 | 1, findexDindex: number | undefined): Uint8Array {
  const bytes =
    findexDindex === undefined ? [0xff, protocol] : [0xff, 0x10 | protocol, findexDindex];
  return Uint8Array.from([...bytes, bytes.reduce((x, b) => x ^ b, 0)]);
}

/** The Fi/Di a PPS response confirms (§9.3), or undefined when it is not a successful answer. */
function ppsConfirmed(request: Uint8Array, response: Uint8Array): number | undefined {
  if (response.length < 3 || response[0] !== 0xff) return undefined;
  if ((response[1]! & 0x0f) !== (request[1]! & 0x0f)) return undefined;
  if (response.reduce((x, b) => x ^ b, 0) !== 0) return undefined;
  if ((response[1]! & 0x10) === 0) return DEFAULT_FINDEX_DINDEX; // the card keeps the default
  return response[2] === request[2] ? response[2] : undefined;
}

export interface SettledSlot {
  protocol: 0 | 1;
  speed: SlotSpeed;
  /** The ATR the slot now runs with (a new one when the card was powered again). */
  atr: Atr;
}

/**
 * TPDU level: protocol and speed. T=0 is preferred when the card and the reader offer it; T=1
 * otherwise. `repower` powers the card again (after a failed PPS) and returns its new ATR.
 */
export async function settleSlot(
  pipe: CcidPipe,
  slot: number,
  atr: Atr,
  dataRates: readonly number[] | undefined,
  repower: () => Promise<Atr>,
): Promise<SettledSlot> {
  const current = await pipe.command((seq) => getParameters(slot, seq), slot);
  const protocol = chooseProtocol(pipe, atr, current.specific);
  try {
    return await settleAs(pipe, slot, atr, dataRates, repower, protocol, current.specific);
  } catch (err) {
    if (!(err instanceof ProtocolSwitchRefused)) throw err;
    // The reader runs T=1 and will not switch; the card offers T=1 too.
    return settleAs(pipe, slot, atr, dataRates, repower, 1, current.specific);
  }
}

async function settleAs(
  pipe: CcidPipe,
  slot: number,
  atr: Atr,
  dataRates: readonly number[] | undefined,
  repower: () => Promise<Atr>,
  protocol: 0 | 1,
  running: number,
): Promise<SettledSlot> {
  const d = pipe.descriptor;
  const current = { specific: running };
  const proposal = proposeSpeed(atr, d, dataRates);
  if ('refused' in proposal) throw new ReaderRefusedError(pipe.name, 'speed', proposal.refused);
  const clock = d.defaultClock;
  const speedOf = (fd: number, negotiation: SpeedNegotiation): SlotSpeed => ({
    findexDindex: fd,
    bitRate: bitRate(fd, clock) ?? bitRate(DEFAULT_FINDEX_DINDEX, clock) ?? 0,
    negotiation,
  });
  const specific = atr.specificMode !== undefined;
  const wanted = proposal.findexDindex;

  if (specific) {
    const fd = atr.specificMode!.implicitParameters ? DEFAULT_FINDEX_DINDEX : wanted;
    await sendParameters(pipe, slot, protocol, atr, fd, current.specific);
    return { protocol, speed: speedOf(fd, 'specificMode'), atr };
  }
  if ((d.features & CcidFeature.automaticParameterNegotiation) !== 0) {
    // The reader negotiates protocol and speed itself; only a protocol switch is asked for.
    if (current.specific !== protocol) {
      await sendParameters(pipe, slot, protocol, atr, wanted, current.specific);
    }
    return { protocol, speed: speedOf(wanted, 'reader'), atr };
  }
  if ((d.features & CcidFeature.automaticPps) !== 0) {
    if (wanted === DEFAULT_FINDEX_DINDEX) {
      await sendParameters(pipe, slot, protocol, atr, wanted, current.specific);
      return { protocol, speed: speedOf(wanted, 'default'), atr };
    }
    try {
      await sendParameters(pipe, slot, protocol, atr, wanted, current.specific, true);
      return { protocol, speed: speedOf(wanted, 'readerPps'), atr };
    } catch (err) {
      if (!(err instanceof CcidError)) throw err;
    }
    const again = await repower();
    await sendParameters(pipe, slot, protocol, again, DEFAULT_FINDEX_DINDEX, undefined, true);
    return { protocol, speed: speedOf(DEFAULT_FINDEX_DINDEX, 'fallback'), atr: again };
  }
  // The host negotiates: PPS when the card should leave its default protocol or speed.
  // A slot the reader already runs in the wanted protocol needs no PPS for the protocol alone.
  const needPps =
    wanted !== DEFAULT_FINDEX_DINDEX ||
    (protocol !== atr.defaultProtocol && current.specific !== protocol);
  if (!needPps) {
    await sendParameters(pipe, slot, protocol, atr, wanted, current.specific);
    return { protocol, speed: speedOf(wanted, 'default'), atr };
  }
  const request = ppsRequest(protocol, wanted !== DEFAULT_FINDEX_DINDEX ? wanted : undefined);
  const confirmed = await tryPps(pipe, slot, request);
  if (confirmed !== undefined) {
    await sendParameters(pipe, slot, protocol, atr, confirmed, current.specific, true);
    return {
      protocol,
      speed: speedOf(confirmed, confirmed === DEFAULT_FINDEX_DINDEX ? 'default' : 'hostPps'),
      atr,
    };
  }
  // ISO/IEC 7816-3 §9.1: after a failed PPS the card is reset; run at the default rate.
  const again = await repower();
  if (protocol !== again.defaultProtocol && current.specific !== protocol) {
    const only = ppsRequest(protocol, undefined);
    if ((await tryPps(pipe, slot, only)) === undefined) {
      throw new ReaderRefusedError(
        pipe.name,
        'protocol',
        `the card refused the PPS for T=${protocol}, even at the default rate`,
      );
    }
  }
  await sendParameters(pipe, slot, protocol, again, DEFAULT_FINDEX_DINDEX, undefined, true);
  return { protocol, speed: speedOf(DEFAULT_FINDEX_DINDEX, 'fallback'), atr: again };
}

async function tryPps(
  pipe: CcidPipe,
  slot: number,
  request: Uint8Array,
): Promise<number | undefined> {
  try {
    const r = await pipe.xfr(slot, request, LevelParameter.whole);
    return ppsConfirmed(request, r.data);
  } catch (err) {
    if (err instanceof CcidError && err.reason === 'slotError') return undefined;
    if (err instanceof TransportClosedError) throw err;
    if (err instanceof CcidError) return undefined;
    throw err;
  }
}

function chooseProtocol(pipe: CcidPipe, atr: Atr, running: number): 0 | 1 {
  const d = pipe.descriptor;
  const cardT0 = atr.protocols.includes(0);
  const cardT1 = atr.protocols.includes(1);
  if (cardT0 && (d.protocols.t0 || running === 0)) return 0;
  if (!cardT1) {
    throw new ReaderRefusedError(
      pipe.name,
      'protocol',
      cardT0
        ? 'the card speaks only T=0, which this reader does not offer'
        : `the card offers T=${atr.protocols.join(', T=')}, neither T=0 nor T=1`,
    );
  }
  if (!d.protocols.t1) {
    throw new ReaderRefusedError(
      pipe.name,
      'protocol',
      'the card speaks only T=1, which this reader does not offer',
    );
  }
  return 1;
}

/**
 * SetParameters for `protocol` at `findexDindex` (§6.1.7), skipped when the slot already runs
 * the protocol at the default rate and nothing needs telling (`force` sends it anyway). A reader
 * that refuses to switch T=1 to T=0 keeps T=1 when the card offers it.
 */
async function sendParameters(
  pipe: CcidPipe,
  slot: number,
  protocol: 0 | 1,
  atr: Atr,
  findexDindex: number,
  running: number | undefined,
  force = false,
): Promise<void> {
  if (!force && running === protocol && findexDindex === DEFAULT_FINDEX_DINDEX) {
    if (protocol === 0 || pipe.descriptor.automaticParameters) return;
  }
  const params =
    protocol === 0
      ? {
          protocol: 0 as const,
          findexDindex,
          convention: atr.convention,
          guardTime: atr.extraGuardTime,
          waitingInteger: atr.waitingInteger,
          clockStop: 0,
        }
      : {
          protocol: 1 as const,
          findexDindex,
          checksum: atr.t1.checksum,
          convention: atr.convention,
          guardTime: atr.extraGuardTime,
          // bmWaitingIntegersT1: BWI in bits 7-4, CWI in bits 3-0 (TB of the first T=1 group).
          waitingIntegers: ((atr.t1.bwi & 0x0f) << 4) | (atr.t1.cwi & 0x0f),
          clockStop: 0,
          ifsc: validIfs(atr.t1.ifsc),
          nad: 0,
        };
  let answered: number | undefined;
  try {
    answered = (await pipe.command((seq) => setParameters(slot, seq, params), slot)).specific;
  } catch (err) {
    if (!(err instanceof CcidError && err.reason === 'slotError')) throw err;
    if (findexDindex !== DEFAULT_FINDEX_DINDEX) throw err; // the caller falls back
  }
  if (answered === protocol) return;
  if (
    protocol === 0 &&
    running === 1 &&
    atr.protocols.includes(1) &&
    pipe.descriptor.protocols.t1
  ) {
    throw new ProtocolSwitchRefused();
  }
  throw new ReaderRefusedError(
    pipe.name,
    'protocol',
    `the reader would not switch the slot to T=${protocol}`,
  );
}

/** The reader runs T=1 and refuses T=0: the caller keeps T=1. */
export class ProtocolSwitchRefused extends Error {
  override readonly name = 'ProtocolSwitchRefused';
}

/** Parses an ATR at TPDU level; APDU-level readers may return ATRs this parser rejects. */
export function atrOf(bytes: Uint8Array, tpdu: boolean): Atr | undefined {
  try {
    return parseAtr(bytes);
  } catch (err) {
    if (tpdu || !(err instanceof AtrError)) throw err;
    return undefined;
  }
}
