/**
 * vsmartcard's vpcd protocol, the virtual card's side. vpcd (the PC/SC reader driver) listens on
 * a TCP port; the virtual card connects to it as a client. Every message, both ways, is a 2-byte
 * big-endian length followed by that many bytes. From vpcd, a 1-byte message is a control byte
 * (0 power off, 1 power on, 2 reset, 4 "send your ATR"), anything longer a command APDU. The card
 * answers "send your ATR" with the ATR and each command APDU with the response APDU, both framed
 * the same way; power off, power on and reset get no answer.
 */

export const VPCD_CONTROL = {
  POWER_OFF: 0,
  POWER_ON: 1,
  RESET: 2,
  GET_ATR: 4,
} as const;

/** The port of vpcd's first reader slot (the second listens on 35964). */
export const VPCD_DEFAULT_PORT = 35963;

/** The 2-byte length field bounds every message. */
export const VPCD_MAX_MESSAGE = 0xffff;

export class VpcdFrameError extends Error {
  override readonly name = 'VpcdFrameError';
}

/** One message with its 2-byte big-endian length in front. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > VPCD_MAX_MESSAGE)
    throw new VpcdFrameError(
      `a vpcd message holds at most ${VPCD_MAX_MESSAGE} bytes, not ${payload.length}`,
    );
  const out = new Uint8Array(payload.length + 2);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}

/**
 * Splits a TCP byte stream into vpcd messages: a chunk may end inside a length or a message
 * and may carry several messages. At most one incomplete message (< 64 KiB + 2) is kept.
 */
export class VpcdFrameDecoder {
  private pending: Uint8Array = new Uint8Array(0);

  /** Bytes received that do not yet form a complete message. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Feeds received bytes; returns the messages they completed, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    let buf = chunk;
    if (this.pending.length > 0) {
      buf = new Uint8Array(this.pending.length + chunk.length);
      buf.set(this.pending, 0);
      buf.set(chunk, this.pending.length);
    }
    const out: Uint8Array[] = [];
    let off = 0;
    while (buf.length - off >= 2) {
      const len = (buf[off]! << 8) | buf[off + 1]!;
      if (buf.length - off - 2 < len) break;
      // Copies (a Node Buffer's slice would be a view of the socket's chunk).
      out.push(Uint8Array.from(buf.subarray(off + 2, off + 2 + len)));
      off += 2 + len;
    }
    this.pending = Uint8Array.from(buf.subarray(off));
    return out;
  }

  /** Forgets a partial message (a new connection starts clean). */
  clear(): void {
    this.pending = new Uint8Array(0);
  }
}
