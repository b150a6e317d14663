/**
 * Answer To Reset parser, ISO/IEC 7816-3 §8.2: TS, T0, interface bytes TAi/TBi/TCi/TDi,
 * historical bytes and the check byte TCK.
 */
import { AtrError } from './errors.ts';

export interface AtrInterfaceGroup {
  /** Group number i (1 for TA1..TD1). */
  index: number;
  /** Protocol T the bytes of this group apply to (from TD(i-1); group 1 is global, 2 is global too). */
  ta?: number;
  tb?: number;
  tc?: number;
  td?: number;
}

export interface Atr {
  bytes: Uint8Array;
  convention: 'direct' | 'inverse';
  /** Protocols the card offers, in the order announced (T=15 "global" is not a protocol). */
  protocols: number[];
  /** The first offered protocol (T=0 when no TD1 is present). */
  defaultProtocol: number;
  groups: AtrInterfaceGroup[];
  historical: Uint8Array;
  /** TCK, when present (it must be when any protocol other than T=0 is announced). */
  tck?: number;
  /** TA1 (bmFindexDindex), default 0x11. */
  findexDindex: number;
  /** Clock rate conversion factor Fi and baud rate adjustment Di from TA1 (undefined if RFU). */
  fi: number | undefined;
  di: number | undefined;
  /** TC1: extra guard time N (default 0). */
  extraGuardTime: number;
  /** TC2: T=0 waiting integer WI (default 10). */
  waitingInteger: number;
  /** TA2 present: the card is in specific mode for this protocol. */
  specificMode?: { protocol: number; implicitParameters: boolean };
  /** T=1 parameters from the first TA/TB/TC after a TD announcing T=1 (defaults 32, 4, 13, LRC). */
  t1: { ifsc: number; bwi: number; cwi: number; checksum: 'lrc' | 'crc' };
}

/** Fi and Di by TA1 nibble, ISO/IEC 7816-3 §8.3 tables 7 and 8 (undefined: RFU). */
const FI: readonly (number | undefined)[] = [
  372,
  372,
  558,
  744,
  1116,
  1488,
  1860,
  undefined,
  undefined,
  512,
  768,
  1024,
  1536,
  2048,
  undefined,
  undefined,
];
const DI: readonly (number | undefined)[] = [
  undefined,
  1,
  2,
  4,
  8,
  16,
  32,
  64,
  12,
  20,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
];

/** Fi of a TA1 (bmFindexDindex) value: its high nibble (undefined when RFU). */
export function fiOf(findexDindex: number): number | undefined {
  return FI[findexDindex >> 4];
}

/** Di of a TA1 (bmFindexDindex) value: its low nibble (undefined when RFU). */
export function diOf(findexDindex: number): number | undefined {
  return DI[findexDindex & 0x0f];
}

/** Parses an ATR. Throws AtrError{offset} on a bad TS, truncation, trailing bytes or a bad TCK. */
export function parseAtr(bytes: Uint8Array): Atr {
  const ts = bytes[0];
  if (ts === undefined) throw new AtrError('empty ATR', 0);
  // 0x3B = direct convention, 0x3F = inverse convention as read in direct convention (§8.1).
  if (ts !== 0x3b && ts !== 0x3f) {
    throw new AtrError(`TS 0x${ts.toString(16).padStart(2, '0')} is neither 3B nor 3F`, 0);
  }
  const t0 = bytes[1];
  if (t0 === undefined) throw new AtrError('missing T0', 1);
  const historicalLength = t0 & 0x0f;
  let y = t0 >> 4;
  let offset = 2;
  const groups: AtrInterfaceGroup[] = [];
  const protocols: number[] = [];
  let needTck = false;
  let index = 1;
  for (;;) {
    const group: AtrInterfaceGroup = { index };
    const take = (name: string): number => {
      const b = bytes[offset];
      if (b === undefined) throw new AtrError(`truncated: missing ${name}${index}`, offset);
      offset++;
      return b;
    };
    if (y & 0x1) group.ta = take('TA');
    if (y & 0x2) group.tb = take('TB');
    if (y & 0x4) group.tc = take('TC');
    if (y & 0x8) group.td = take('TD');
    groups.push(group);
    if (group.td === undefined) break;
    const t = group.td & 0x0f;
    if (t !== 15 && !protocols.includes(t)) protocols.push(t);
    if (t !== 0) needTck = true;
    y = group.td >> 4;
    index++;
  }
  if (offset + historicalLength > bytes.length) {
    throw new AtrError(`truncated: ${historicalLength} historical bytes announced`, bytes.length);
  }
  const historical = bytes.slice(offset, offset + historicalLength);
  offset += historicalLength;
  let tck: number | undefined;
  if (needTck) {
    const b = bytes[offset];
    if (b === undefined) throw new AtrError('truncated: missing TCK', offset);
    tck = b;
    let x = 0;
    for (let i = 1; i <= offset; i++) x ^= bytes[i]!;
    if (x !== 0) throw new AtrError('TCK check failed (XOR of T0..TCK is not 0)', offset);
    offset++;
  }
  if (offset !== bytes.length) {
    throw new AtrError(`${bytes.length - offset} unexpected bytes after the ATR`, offset);
  }
  if (protocols.length === 0) protocols.push(0);

  const g1 = groups[0]!;
  const g2 = groups[1];
  const findexDindex = g1.ta ?? 0x11;
  const atr: Atr = {
    bytes: bytes.slice(),
    convention: ts === 0x3b ? 'direct' : 'inverse',
    protocols,
    defaultProtocol: protocols[0]!,
    groups,
    historical,
    findexDindex,
    fi: fiOf(findexDindex),
    di: diOf(findexDindex),
    extraGuardTime: g1.tc ?? 0,
    waitingInteger: g2?.tc ?? 10,
    t1: { ifsc: 32, bwi: 4, cwi: 13, checksum: 'lrc' },
  };
  if (tck !== undefined) atr.tck = tck;
  if (g2?.ta !== undefined) {
    atr.specificMode = { protocol: g2.ta & 0x0f, implicitParameters: (g2.ta & 0x10) !== 0 };
  }
  // T=1 specific bytes: the group following the first TDi (i >= 2) that announces T=1 (§11.4).
  for (let i = 1; i < groups.length; i++) {
    const prev = groups[i - 1]!;
    const g = groups[i]!;
    if (i >= 2 && prev.td !== undefined && (prev.td & 0x0f) === 1) {
      if (g.ta !== undefined) atr.t1.ifsc = g.ta;
      if (g.tb !== undefined) {
        atr.t1.bwi = g.tb >> 4;
        atr.t1.cwi = g.tb & 0x0f;
      }
      if (g.tc !== undefined) atr.t1.checksum = (g.tc & 1) === 1 ? 'crc' : 'lrc';
      break;
    }
  }
  return atr;
}
