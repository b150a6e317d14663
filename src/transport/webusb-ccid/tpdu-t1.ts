/**
 * T=1 block engine for TPDU-level CCID readers (ISO/IEC 7816-3 §11). At TPDU level with T=1 the
 * host builds every block and the reader only moves it (CCID rev 1.1 §6.1.4), so this layer does
 * the framing, the send sequence numbers, chaining, the S-block dialogues and the error recovery.
 * It is independent of USB: it talks through `exchangeBlock`, one block out and one block in.
 *
 * Block (§11.3): prologue NAD PCB LEN, information field INF (0..254 bytes), epilogue EDC (LRC,
 * one byte, or CRC, two bytes, chosen by the first TC for T=1 in the ATR, §11.4.4).
 *   I-block PCB 0 N(S) M 00000            (§11.3.2)
 *   R-block PCB 1 0 0 N(R) 00ee           ee: 00 no error, 01 EDC/parity error, 10 other error
 *   S-block PCB 1 1 r ttttt               r: response; t: 0 RESYNCH, 1 IFS, 2 ABORT, 3 WTX
 */
import { concat } from '../../codec/index.ts';

export type T1Checksum = 'lrc' | 'crc';

/**
 * Why a T=1 exchange failed.
 *  - 'parity' / 'timeout': the block did not arrive (parity error, or no block within BWT). An
 *    `exchangeBlock` function throws these; the engine answers them with error recovery.
 *  - 'edc' / 'badBlock': a block arrived but its checksum or its framing is wrong (parser).
 *  - 'retriesExhausted': no valid block after three tries; the link was resynchronised (see
 *    `resynchronised`) and this APDU is lost, or resynchronisation failed too.
 *  - 'aborted': the card aborted the chain with S(ABORT request).
 *  - 'badApdu': the command is empty or longer than a T=1 chain may carry here.
 *  - 'protocol': the card keeps the exchange going past every sane bound.
 *  - 'busy': transmit was called while another APDU was still running on the same engine.
 */
export type T1ErrorReason =
  | 'parity'
  | 'timeout'
  | 'edc'
  | 'badBlock'
  | 'retriesExhausted'
  | 'aborted'
  | 'badApdu'
  | 'protocol'
  | 'busy';

export class T1Error extends Error {
  override readonly name = 'T1Error';
  constructor(
    message: string,
    readonly reason: T1ErrorReason,
    /** For 'retriesExhausted': whether S(RESYNCH) succeeded, so the next APDU can be tried. */
    readonly resynchronised = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Block types of the PCB (§11.3.2). */
export const T1Pcb = {
  /** I-block: N(S) in bit 7, more-data bit M in bit 6. */
  iBlock: 0x00,
  iNs: 0x40,
  iMore: 0x20,
  /** R-block: N(R) in bit 5, error code in bits 2-1. */
  rBlock: 0x80,
  rNr: 0x10,
  /** S-block: bit 6 marks the response; bits 5-1 the type. */
  sBlock: 0xc0,
  sResponse: 0x20,
} as const;

export const T1SType = { resynch: 0, ifs: 1, abort: 2, wtx: 3 } as const;
export type T1SType = (typeof T1SType)[keyof typeof T1SType];

/** R-block error codes (bits 2-1 of the PCB). */
export const T1RError = { none: 0, edc: 1, other: 2 } as const;
export type T1RError = (typeof T1RError)[keyof typeof T1RError];

/** A decoded block. */
export type T1Block =
  | { kind: 'I'; nad: number; ns: 0 | 1; more: boolean; inf: Uint8Array }
  | { kind: 'R'; nad: number; nr: 0 | 1; error: T1RError }
  | { kind: 'S'; nad: number; response: boolean; type: T1SType; inf: Uint8Array };

/** Largest INF a block may carry (§11.4.2: IFSC/IFSD range 0x01..0xFE). */
export const T1_MAX_INF = 254;
/** IFSC/IFSD when the ATR says nothing (§11.4.2). */
export const T1_DEFAULT_IFS = 32;

const bit = (v: number): 0 | 1 => (v === 0 ? 0 : 1);

/** LRC: XOR of every prologue and INF byte (§11.4.4). */
export function t1Lrc(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

/** Table for the bit-reflected CRC with polynomial x^16 + x^12 + x^5 + 1 (0x8408 reflected). */
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/**
 * CRC of the T=1 epilogue (§11.4.4 refers to ISO/IEC 13239: polynomial x^16 + x^12 + x^5 + 1,
 * register preset to FFFF, bits taken least significant first). The standard leaves the final
 * complement and the byte order open; this follows the host stacks in use (no final complement,
 * high byte of the register sent first), the same register as CRC-16/MCRF4XX.
 */
export function t1Crc(bytes: Uint8Array): number {
  let v = 0xffff;
  for (const b of bytes) v = (v >>> 8) ^ CRC_TABLE[(v ^ b) & 0xff]!;
  return v;
}

function epilogue(body: Uint8Array, checksum: T1Checksum): Uint8Array {
  if (checksum === 'lrc') return Uint8Array.of(t1Lrc(body));
  const crc = t1Crc(body);
  return Uint8Array.of(crc >> 8, crc & 0xff);
}

/** Encodes one block: NAD PCB LEN INF EDC. */
export function encodeT1Block(
  nad: number,
  pcb: number,
  inf: Uint8Array,
  checksum: T1Checksum,
): Uint8Array {
  if (inf.length > T1_MAX_INF) throw new RangeError(`T=1 INF of ${inf.length} bytes exceeds 254`);
  const body = concat(Uint8Array.of(nad, pcb, inf.length), inf);
  return concat(body, epilogue(body, checksum));
}

/** Builds the PCB of a block description. */
export function t1Pcb(block: T1Block): number {
  switch (block.kind) {
    case 'I':
      return (block.ns ? T1Pcb.iNs : 0) | (block.more ? T1Pcb.iMore : 0);
    case 'R':
      return T1Pcb.rBlock | (block.nr ? T1Pcb.rNr : 0) | block.error;
    case 'S':
      return T1Pcb.sBlock | (block.response ? T1Pcb.sResponse : 0) | block.type;
  }
}

/** Encodes a block description. */
export function encodeBlock(block: T1Block, checksum: T1Checksum): Uint8Array {
  const inf = block.kind === 'R' ? new Uint8Array(0) : block.inf;
  return encodeT1Block(block.nad, t1Pcb(block), inf, checksum);
}

/**
 * Decodes one block. Throws T1Error 'edc' when the checksum fails and 'badBlock' when the
 * framing or the PCB is not a valid block (§11.6: LEN FF, a length mismatch, RFU bits, an S
 * INF of the wrong size, an IFS value outside 01..FE).
 */
export function decodeT1Block(bytes: Uint8Array, checksum: T1Checksum): T1Block {
  const edcLength = checksum === 'lrc' ? 1 : 2;
  if (bytes.length < 3 + edcLength) {
    throw new T1Error(`T=1 block of ${bytes.length} bytes is too short`, 'badBlock');
  }
  const len = bytes[2]!;
  if (len === 0xff) throw new T1Error('T=1 block with reserved LEN FF', 'badBlock');
  if (bytes.length !== 3 + len + edcLength) {
    throw new T1Error(
      `T=1 block announces LEN ${len} but carries ${bytes.length - 3 - edcLength} bytes`,
      'badBlock',
    );
  }
  const body = bytes.subarray(0, 3 + len);
  const want = epilogue(body, checksum);
  const got = bytes.subarray(3 + len);
  if (want.some((b, i) => b !== got[i])) throw new T1Error('T=1 checksum mismatch', 'edc');
  const nad = bytes[0]!;
  const pcb = bytes[1]!;
  const inf = bytes.slice(3, 3 + len);
  if ((pcb & 0x80) === 0) {
    if ((pcb & 0x1f) !== 0) throw new T1Error('I-block with RFU PCB bits set', 'badBlock');
    return { kind: 'I', nad, ns: bit(pcb & T1Pcb.iNs), more: (pcb & T1Pcb.iMore) !== 0, inf };
  }
  if ((pcb & 0xc0) === T1Pcb.rBlock) {
    const error = pcb & 0x0f;
    if ((pcb & 0x20) !== 0 || error > 2 || len !== 0) {
      throw new T1Error(
        `invalid R-block (PCB ${pcb.toString(16).padStart(2, '0')}, LEN ${len})`,
        'badBlock',
      );
    }
    return { kind: 'R', nad, nr: bit(pcb & T1Pcb.rNr), error: error as T1RError };
  }
  const type = pcb & 0x1f;
  const wantLen = type === T1SType.ifs || type === T1SType.wtx ? 1 : 0;
  if (type > 3 || len !== wantLen) {
    throw new T1Error(
      `invalid S-block (PCB ${pcb.toString(16).padStart(2, '0')}, LEN ${len})`,
      'badBlock',
    );
  }
  if (type === T1SType.ifs && (inf[0] === 0 || inf[0] === 0xff)) {
    throw new T1Error(`S(IFS) with IFS value ${inf[0]} outside 01..FE`, 'badBlock');
  }
  return {
    kind: 'S',
    nad,
    response: (pcb & T1Pcb.sResponse) !== 0,
    type: type as T1SType,
    inf,
  };
}

/**
 * Sends one block and returns the card's next block. `wtx` is the multiplier the card granted in
 * S(WTX request) when the block is the matching S(WTX response) (0 otherwise): the reader should
 * wait that many BWTs (CCID bBWI). Throw T1Error 'parity' or 'timeout' when no block came back;
 * any other rejection ends the APDU as it is.
 */
export type T1BlockExchange = (block: Uint8Array, wtx: number) => Promise<Uint8Array>;

export interface T1Options {
  /** Card's information field size: TA of the first T=1 group in the ATR (default 32). */
  ifsc?: number;
  /** IFSD to announce with S(IFS request) before the first APDU (default 254; false: do not). */
  ifsd?: number | false;
  /** EDC from the ATR's TC for T=1 (default LRC). */
  checksum?: T1Checksum;
  /** NAD of the blocks sent (default 0: no node addressing). */
  nad?: number;
  /** Largest INF this side may send whatever IFSC says (the reader's message size). */
  maxSendInf?: number;
}

/** A block is sent at most this many times before resynchronisation (§11.6.3). */
const MAX_TRIES = 3;
/** Blocks for one APDU before the engine calls it a runaway card: 64 KiB in 1-byte chunks + slack. */
const MAX_BLOCKS = 70_000;
/** Largest command this engine chains: an extended APDU (4 + 3 + 65535 + 3). */
const MAX_APDU = 65_545;
/** Largest response collected: 65536 data bytes + SW1 SW2. */
const MAX_RESPONSE = 65_538;

function invalidCode(err: T1Error): T1RError {
  return err.reason === 'edc' || err.reason === 'parity' ? T1RError.edc : T1RError.other;
}

function isReceiveError(err: unknown): err is T1Error {
  return (
    err instanceof T1Error &&
    (err.reason === 'edc' ||
      err.reason === 'parity' ||
      err.reason === 'badBlock' ||
      err.reason === 'timeout')
  );
}

/** One T=1 link to one card: keeps N(S) both ways, IFSC and IFSD across APDUs. */
export class T1Engine {
  readonly checksum: T1Checksum;
  readonly nad: number;
  #exchange: T1BlockExchange;
  #initialIfsc: number;
  #ifsc: number;
  #ifsd = T1_DEFAULT_IFS;
  #wantIfsd: number | false;
  #maxSendInf: number;
  /** N(S) of our next I-block. */
  #ns: 0 | 1 = 0;
  /** N(S) expected on the card's next I-block. */
  #nr: 0 | 1 = 0;
  #ifsDone = false;
  #needResynch = false;
  #busy = false;

  constructor(exchangeBlock: T1BlockExchange, options: T1Options = {}) {
    const ifsc = options.ifsc ?? T1_DEFAULT_IFS;
    if (!Number.isInteger(ifsc) || ifsc < 1 || ifsc > T1_MAX_INF) {
      throw new RangeError(`IFSC ${ifsc} outside 1..254`);
    }
    const ifsd = options.ifsd ?? T1_MAX_INF;
    if (ifsd !== false && (!Number.isInteger(ifsd) || ifsd < 1 || ifsd > T1_MAX_INF)) {
      throw new RangeError(`IFSD ${ifsd} outside 1..254`);
    }
    this.#exchange = exchangeBlock;
    this.#initialIfsc = ifsc;
    this.#ifsc = ifsc;
    this.#wantIfsd = ifsd;
    this.checksum = options.checksum ?? 'lrc';
    this.nad = options.nad ?? 0;
    this.#maxSendInf = Math.max(1, Math.min(T1_MAX_INF, options.maxSendInf ?? T1_MAX_INF));
  }

  /** Current card IFS (the ATR's, or what the card later asked for with S(IFS request)). */
  get ifsc(): number {
    return this.#ifsc;
  }

  /** Current IFSD the card agreed to (32 until S(IFS) succeeded). */
  get ifsd(): number {
    return this.#ifsd;
  }

  /** Whether the next APDU starts with S(RESYNCH) because the last one broke off. */
  get needsResynch(): boolean {
    return this.#needResynch;
  }

  #block(block: T1Block): Uint8Array {
    return encodeBlock(block, this.checksum);
  }

  #s(type: T1SType, response: boolean, inf: Uint8Array = new Uint8Array(0)): Uint8Array {
    return this.#block({ kind: 'S', nad: this.nad, response, type, inf });
  }

  #r(nr: 0 | 1, error: T1RError): Uint8Array {
    return this.#block({ kind: 'R', nad: this.nad, nr, error });
  }

  /** One exchange; a lost or broken answer comes back as the T1Error that says why. */
  async #send(block: Uint8Array, wtx = 0): Promise<T1Block | T1Error> {
    let raw: Uint8Array;
    try {
      raw = await this.#exchange(block, wtx);
    } catch (err) {
      if (isReceiveError(err)) return err;
      throw err;
    }
    try {
      const b = decodeT1Block(raw, this.checksum);
      // The card answers with source and destination swapped (§11.3.2: DAD in bits 3-1, SAD in
      // bits 7-5; bits 8 and 4 are the old VPP control and ignored). Other addresses are not ours.
      const expected = ((this.nad & 0x07) << 4) | ((this.nad >> 4) & 0x07);
      if ((b.nad & 0x77) !== expected) {
        return new T1Error(`block with NAD ${b.nad.toString(16)}`, 'badBlock');
      }
      return b;
    } catch (err) {
      if (isReceiveError(err)) return err;
      throw err;
    }
  }

  /**
   * Sends an S(request) and waits for the matching S(response) echoing the INF, answering WTX
   * requests in between and resending up to three times. True when the card answered.
   */
  async #sRequest(type: T1SType, inf: Uint8Array): Promise<boolean> {
    const request = this.#s(type, false, inf);
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      let out = request;
      let wtx = 0;
      for (let guard = 0; guard < MAX_BLOCKS; guard++) {
        // Only a WTX answer continues this loop, so `wtx` is the grant for `out` when it is sent.
        const reply = await this.#send(out, wtx);
        if (reply instanceof T1Error) break;
        if (reply.kind === 'S' && !reply.response && reply.type === T1SType.wtx) {
          wtx = reply.inf[0]!;
          out = this.#s(T1SType.wtx, true, reply.inf);
          continue;
        }
        if (
          reply.kind === 'S' &&
          reply.response &&
          reply.type === type &&
          reply.inf.length === inf.length &&
          reply.inf.every((b, i) => b === inf[i])
        ) {
          return true;
        }
        break;
      }
    }
    return false;
  }

  /**
   * S(RESYNCH request) (§11.6.3): on success both N(S) restart at 0 and IFSC/IFSD go back to
   * their initial values; IFSD is announced again before the next APDU.
   */
  async #resynch(): Promise<boolean> {
    // #sRequest sends S(RESYNCH request) up to three times, as §11.6.3 allows.
    if (await this.#sRequest(T1SType.resynch, new Uint8Array(0))) {
      this.#ns = 0;
      this.#nr = 0;
      this.#ifsc = this.#initialIfsc;
      this.#ifsd = T1_DEFAULT_IFS;
      this.#ifsDone = false;
      this.#needResynch = false;
      return true;
    }
    this.#needResynch = true;
    return false;
  }

  async #giveUp(cause: T1Error | undefined): Promise<never> {
    const ok = await this.#resynch();
    throw new T1Error(
      ok
        ? 'the card sent no valid T=1 block after three tries; the link was resynchronised and the command is lost'
        : 'the card sent no valid T=1 block after three tries and did not answer S(RESYNCH)',
      'retriesExhausted',
      ok,
      cause === undefined ? undefined : { cause },
    );
  }

  /** Brings the link up: pending resynchronisation, then S(IFS request) with our IFSD. */
  async #ready(): Promise<void> {
    if (this.#needResynch && !(await this.#resynch())) {
      throw new T1Error(
        'the T=1 link is out of step and the card does not answer S(RESYNCH)',
        'retriesExhausted',
      );
    }
    if (this.#ifsDone || this.#wantIfsd === false) return;
    const ifsd = this.#wantIfsd;
    if (await this.#sRequest(T1SType.ifs, Uint8Array.of(ifsd))) {
      this.#ifsd = ifsd;
      this.#ifsDone = true;
      return;
    }
    // The card would not take S(IFS): resynchronise and stay at the default IFSD of 32, which
    // every card accepts, rather than fail every APDU on the same request.
    if (!(await this.#resynch())) {
      throw new T1Error(
        'the card answers neither S(IFS request) nor S(RESYNCH request)',
        'retriesExhausted',
      );
    }
    this.#ifsDone = true;
  }

  /** Carries one command APDU as I-blocks (chained by IFSC) and returns the response APDU. */
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (apdu.length === 0 || apdu.length > MAX_APDU) {
      throw new T1Error(`a ${apdu.length}-byte command cannot be carried over T=1`, 'badApdu');
    }
    if (this.#busy) {
      throw new T1Error('T1Engine.transmit called while another APDU is running', 'busy');
    }
    this.#busy = true;
    try {
      await this.#ready();
      return await this.#run(apdu);
    } catch (err) {
      // A failure in the middle of a chain leaves both sides out of step: resynchronise first
      // next time. After a completed resynchronisation the flag is already clear.
      if (!(err instanceof T1Error && err.reason === 'retriesExhausted')) this.#needResynch = true;
      throw err;
    } finally {
      this.#busy = false;
    }
  }

  async #run(apdu: Uint8Array): Promise<Uint8Array> {
    let offset = 0;
    let chunk = 0;
    /** Our last I-block, resent when the card asks for it with R(N(R) = its N(S)). */
    let lastI: Uint8Array = new Uint8Array(0);
    /** Whether our last I-block had M set (we are sending a chain). */
    let sendingChain = false;
    /** Whether the card's answer has begun (our command is acknowledged). */
    let receiving = false;
    const parts: Uint8Array[] = [];
    let received = 0;
    let errors = 0;
    let lastError: T1Error | undefined;

    const nextI = (): Uint8Array => {
      chunk = Math.min(this.#ifsc, this.#maxSendInf, apdu.length - offset);
      sendingChain = offset + chunk < apdu.length;
      lastI = this.#block({
        kind: 'I',
        nad: this.nad,
        ns: this.#ns,
        more: sendingChain,
        inf: apdu.subarray(offset, offset + chunk),
      });
      return lastI;
    };
    const ack = (): Uint8Array => this.#r(this.#nr, T1RError.none);
    /** One more failed try of the current step; resynchronise and fail after the third. */
    const fail = async (err: T1Error): Promise<void> => {
      lastError = err;
      if (++errors >= MAX_TRIES) await this.#giveUp(lastError);
    };

    let out = nextI();
    let wtx = 0;
    for (let guard = 0; guard < MAX_BLOCKS; guard++) {
      const reply = await this.#send(out, wtx);
      wtx = 0;
      if (reply instanceof T1Error) {
        await fail(reply);
        // Ask for the block we expect; the card resends its last block, or asks us for ours.
        out = this.#r(this.#nr, invalidCode(reply));
        continue;
      }
      if (reply.kind === 'I') {
        if (sendingChain || reply.ns !== this.#nr) {
          await fail(new T1Error('unexpected I-block', 'badBlock'));
          out = this.#r(this.#nr, T1RError.other);
          continue;
        }
        if (!receiving) {
          // The card's first I-block acknowledges our last one (§11.6).
          this.#ns ^= 1;
          receiving = true;
        }
        this.#nr ^= 1;
        errors = 0;
        received += reply.inf.length;
        if (received > MAX_RESPONSE) {
          throw new T1Error(`response longer than ${MAX_RESPONSE} bytes`, 'protocol');
        }
        parts.push(reply.inf);
        if (reply.more) {
          out = ack();
          continue;
        }
        return concat(...parts);
      }
      if (reply.kind === 'R') {
        if (!receiving && sendingChain && reply.nr !== this.#ns) {
          // R(N(R) = next N(S)): the chained block arrived, send the next part (§11.6).
          this.#ns ^= 1;
          offset += chunk;
          errors = 0;
          out = nextI();
          continue;
        }
        if (!receiving && reply.nr === this.#ns) {
          // The card asks for our last I-block again.
          await fail(new T1Error('the card asked for the I-block again', 'badBlock'));
          out = lastI;
          continue;
        }
        if (receiving) {
          // The card did not get our acknowledgement: send it again.
          await fail(new T1Error('the card asked for the R-block again', 'badBlock'));
          out = ack();
          continue;
        }
        await fail(new T1Error('R-block out of sequence', 'badBlock'));
        out = this.#r(this.#nr, T1RError.other);
        continue;
      }
      // S-blocks from the card.
      if (!reply.response && reply.type === T1SType.wtx) {
        // §11.6: answer with the same multiplier; the next wait is that many BWTs.
        wtx = reply.inf[0]!;
        out = this.#s(T1SType.wtx, true, reply.inf);
        continue;
      }
      if (!reply.response && reply.type === T1SType.ifs) {
        this.#ifsc = reply.inf[0]!;
        out = this.#s(T1SType.ifs, true, reply.inf);
        continue;
      }
      if (!reply.response && reply.type === T1SType.abort) {
        // Confirm the abort; its answer does not matter, the next APDU resynchronises.
        await this.#send(this.#s(T1SType.abort, true));
        this.#needResynch = true;
        throw new T1Error('the card aborted the command with S(ABORT request)', 'aborted');
      }
      await fail(new T1Error('unexpected S-block', 'badBlock'));
      out = this.#r(this.#nr, T1RError.other);
    }
    throw new T1Error('the card keeps the T=1 exchange going without an end', 'protocol');
  }
}
