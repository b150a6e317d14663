/**
 * Masking of APDUs as the log records them, one exchange at a time. ES10 data is cut into
 * pieces on the wire: a request into STORE DATA blocks (GPC Card Specification §11.11, SGP.22
 * v2.2.2 §5.7), a long response into the answers of GET RESPONSE commands after 61xx (ISO/IEC
 * 7816-4 §7.6.1). A secret value can straddle two pieces, so the pieces are put together again
 * first, masked as a whole (mask.ts maskTlv) and cut back into the same pieces.
 *
 * Until the last piece has arrived, and when the whole does not decode, an APDU's data is
 * unknown here: `command(id)` / `response(id)` are then undefined and the log shows a
 * placeholder instead of the bytes. Commands other than STORE DATA carry no ES10 data (SELECT,
 * MANAGE CHANNEL, GET RESPONSE, TERMINAL CAPABILITY) and are shown as they are, with their
 * responses.
 */
import { bytesEqual, concat } from '../../codec/index.ts';
import { maskTlv } from './mask.ts';

const INS_STORE_DATA = 0xe2;
const INS_GET_RESPONSE = 0xc0;

export interface CommandParts {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Offset of the data field (after Lc). */
  dataStart: number;
  /** Length of the data field (Nc). */
  dataLength: number;
}

/** The header and data field of a command APDU (short or extended), or undefined if malformed. */
export function parseCommand(c: Uint8Array): CommandParts | undefined {
  if (c.length < 4) return undefined;
  const head = { cla: c[0]!, ins: c[1]!, p1: c[2]!, p2: c[3]! };
  // Case 1 (no data, no Le) and case 2 short (Le only).
  if (c.length <= 5) return { ...head, dataStart: c.length, dataLength: 0 };
  const lc = c[4]!;
  if (lc !== 0) {
    // Short Lc: data, then at most one Le byte.
    if (c.length === 5 + lc || c.length === 6 + lc)
      return { ...head, dataStart: 5, dataLength: lc };
    return undefined;
  }
  // Extended: 00 then two bytes (Lc, or Le when nothing follows).
  if (c.length === 7) return { ...head, dataStart: 7, dataLength: 0 };
  if (c.length < 7) return undefined;
  const n = (c[5]! << 8) | c[6]!;
  if (n !== 0 && (c.length === 7 + n || c.length === 9 + n))
    return { ...head, dataStart: 7, dataLength: n };
  return undefined;
}

/** The logical channel in a CLA byte (ISO/IEC 7816-4 §5.4.1): the key pieces are grouped by. */
function channelOf(cla: number): number {
  return (cla & 0x40) !== 0 ? 4 + (cla & 0x0f) : cla & 0x03;
}

function isStoreData(p: CommandParts | undefined): boolean {
  return p !== undefined && p.ins === INS_STORE_DATA && (p.cla & 0x80) !== 0;
}

interface Block {
  id: number;
  command: Uint8Array;
  parts: CommandParts;
}

interface Sequence {
  blocks: Block[];
  nextP2: number;
}

interface Piece {
  id: number;
  response: Uint8Array;
}

interface Chain {
  es10: boolean;
  pieces: Piece[];
}

/** ES10 data that came in several pieces, put together (kept on the entry of its last piece). */
export interface Whole {
  raw: Uint8Array;
  masked: Uint8Array;
  pieces: number;
}

interface LastBlock {
  p2: number;
  data: Uint8Array;
  masked: Uint8Array;
}

export class ApduMasker {
  readonly #commands = new Map<number, Uint8Array>();
  readonly #responses = new Map<number, Uint8Array>();
  readonly #wholeRequests = new Map<number, Whole>();
  readonly #wholeResponses = new Map<number, Whole>();
  /** STORE DATA blocks of a request not complete yet, per channel. */
  readonly #sequences = new Map<number, Sequence>();
  /** The last block of the request completed last, per channel (resent after 6Cxx). */
  readonly #lastBlocks = new Map<number, LastBlock>();
  /** Response pieces of a 61xx chain not complete yet, per channel. */
  readonly #chains = new Map<number, Chain>();

  /** The command with secret values masked, or undefined when its data must stay hidden. */
  command(id: number): Uint8Array | undefined {
    return this.#commands.get(id);
  }

  /** The response with secret values masked, or undefined when its data must stay hidden. */
  response(id: number): Uint8Array | undefined {
    return this.#responses.get(id);
  }

  /** On the last STORE DATA block of a request sent in several: the whole request. */
  wholeRequest(id: number): Whole | undefined {
    return this.#wholeRequests.get(id);
  }

  /** On the last GET RESPONSE of a response that came in several pieces: the whole response. */
  wholeResponse(id: number): Whole | undefined {
    return this.#wholeResponses.get(id);
  }

  forget(id: number): void {
    this.#commands.delete(id);
    this.#responses.delete(id);
    this.#wholeRequests.delete(id);
    this.#wholeResponses.delete(id);
  }

  clear(): void {
    this.#commands.clear();
    this.#responses.clear();
    this.#wholeRequests.clear();
    this.#wholeResponses.clear();
    this.#sequences.clear();
    this.#lastBlocks.clear();
    this.#chains.clear();
  }

  /** Takes the next exchange of the log (in the order sent). */
  add(id: number, command: Uint8Array, response: Uint8Array | undefined): void {
    const parts = parseCommand(command);
    const channel = channelOf(command[0] ?? 0);
    if (isStoreData(parts)) this.#storeData(id, command, parts!, channel);
    else if (parts !== undefined || (command[1] !== INS_STORE_DATA && command.length >= 2))
      this.#commands.set(id, command);
    this.#response(id, parts, channel, response);
  }

  #storeData(id: number, command: Uint8Array, parts: CommandParts, channel: number): void {
    const data = command.subarray(parts.dataStart, parts.dataStart + parts.dataLength);
    let seq = this.#sequences.get(channel);
    if (parts.p2 === 0) {
      // A new ES10 request; blocks of an unfinished one stay hidden.
      seq = { blocks: [], nextP2: 0 };
      this.#sequences.set(channel, seq);
    }
    if (seq === undefined || parts.p2 !== seq.nextP2) {
      this.#sequences.delete(channel);
      const last = this.#lastBlocks.get(channel);
      // The last block sent again with another Le (after 6Cxx): same data, same mask.
      if (last && last.p2 === parts.p2 && bytesEqual(last.data, data))
        this.#commands.set(id, withData(command, parts, last.masked));
      return;
    }
    seq.blocks.push({ id, command, parts });
    seq.nextP2++;
    if ((parts.p1 & 0x80) === 0) return;
    this.#sequences.delete(channel);
    this.#lastBlocks.delete(channel);
    const datas = seq.blocks.map((b) =>
      b.command.subarray(b.parts.dataStart, b.parts.dataStart + b.parts.dataLength),
    );
    const raw = concat(...datas);
    const masked = maskTlv(raw);
    if (masked === undefined) return;
    if (seq.blocks.length > 1)
      this.#wholeRequests.set(id, { raw, masked, pieces: seq.blocks.length });
    let offset = 0;
    for (const [i, b] of seq.blocks.entries()) {
      const piece = masked.subarray(offset, offset + datas[i]!.length);
      offset += datas[i]!.length;
      this.#commands.set(b.id, withData(b.command, b.parts, piece));
    }
    this.#lastBlocks.set(channel, {
      p2: parts.p2,
      data,
      masked: masked.subarray(offset - data.length),
    });
  }

  #response(
    id: number,
    parts: CommandParts | undefined,
    channel: number,
    response: Uint8Array | undefined,
  ): void {
    if (response === undefined || response.length < 2) {
      // The link failed: whatever chain was open on this channel is broken.
      this.#chains.delete(channel);
      return;
    }
    const dataLength = response.length - 2;
    const sw1 = response[dataLength]!;
    if (parts?.ins === INS_GET_RESPONSE) {
      const chain = this.#chains.get(channel);
      if (chain === undefined) {
        // Not part of a chain seen from its start: only a bare status word is known to be safe.
        if (dataLength === 0) this.#responses.set(id, response);
        return;
      }
      if (dataLength === 0 && sw1 === 0x6c) {
        // Wrong Le: the same GET RESPONSE follows with the right one.
        this.#responses.set(id, response);
        return;
      }
      chain.pieces.push({ id, response });
      if (sw1 !== 0x61) {
        this.#chains.delete(channel);
        this.#finish(chain);
      }
      return;
    }
    this.#chains.delete(channel);
    if (dataLength === 0 && sw1 !== 0x61) {
      this.#responses.set(id, response);
      return;
    }
    const chain: Chain = { es10: isStoreData(parts), pieces: [{ id, response }] };
    if (sw1 === 0x61) this.#chains.set(channel, chain);
    else this.#finish(chain);
  }

  #finish(chain: Chain): void {
    if (!chain.es10) {
      for (const p of chain.pieces) this.#responses.set(p.id, p.response);
      return;
    }
    const datas = chain.pieces.map((p) => p.response.subarray(0, p.response.length - 2));
    const raw = concat(...datas);
    const masked = maskTlv(raw);
    if (masked === undefined) {
      // Undecodable ES10 data stays hidden; pieces without data show their status word.
      for (const [i, p] of chain.pieces.entries())
        if (datas[i]!.length === 0) this.#responses.set(p.id, p.response);
      return;
    }
    const withData = datas.filter((d) => d.length > 0).length;
    if (withData > 1)
      this.#wholeResponses.set(chain.pieces[chain.pieces.length - 1]!.id, {
        raw,
        masked,
        pieces: withData,
      });
    let offset = 0;
    for (const [i, p] of chain.pieces.entries()) {
      const n = datas[i]!.length;
      const out = p.response.slice();
      out.set(masked.subarray(offset, offset + n), 0);
      offset += n;
      this.#responses.set(p.id, out);
    }
  }
}

function withData(command: Uint8Array, parts: CommandParts, data: Uint8Array): Uint8Array {
  const out = command.slice();
  out.set(data, parts.dataStart);
  return out;
}
