/**
 * Reading the fields of a successful ES9+/ES11 answer (docs/protocol.md §4.2): strings, the hex
 * transaction ID (equal to the request's, ignoring case), base64 values that must be exactly one
 * TLV with the expected tag (returned as the exact bytes received, never re-encoded: they carry
 * signatures the eUICC verifies) and the ES11 event list. Every failure is an
 * Es9pTransportError('badResponse') naming the field.
 */
import { CodecError, TlvError, fromBase64, readTlv, tagHex } from '../codec/index.ts';
import { isRecord, type Json } from './channel.ts';
import { Es9pTransportError } from './errors.ts';

/** Tags the answer fields must carry (docs/protocol.md §4.2). */
export const AnswerTag = {
  sequence: 0x30,
  signature: 0x5f37,
  octetString: 0x04,
  storeMetadataRequest: 0xbf25,
  boundProfilePackage: 0xbf36,
} as const;

/** An SM-DS event (ES11.AuthenticateClient, SGP.22 v2.2.2 §5.8.2). */
export interface EventEntry {
  eventId: string;
  rspServerAddress: string;
}

/** Reads the fields of a successful answer; every failure is a badResponse error. */
export class Fields {
  constructor(
    readonly fn: string,
    readonly json: Json,
  ) {}

  #bad(detail: string): Es9pTransportError {
    return new Es9pTransportError(
      'badResponse',
      this.fn,
      `${this.fn}: unexpected answer from the server: ${detail}.`,
      { httpStatus: 200 },
    );
  }

  string(name: string): string {
    const v = this.json[name];
    if (typeof v !== 'string') throw this.#bad(`field "${name}" is missing or not a string`);
    return v;
  }

  /** A hex transaction ID (1..16 bytes); equal to `expected` ignoring case when given. */
  transactionId(expected?: string): string {
    const v = this.string('transactionId');
    if (!/^(?:[0-9A-Fa-f]{2}){1,16}$/.test(v))
      throw this.#bad(`transactionId "${v.slice(0, 40)}" is not 1 to 16 bytes of hex`);
    if (expected !== undefined && v.toLowerCase() !== expected.toLowerCase())
      throw this.#bad(`transactionId ${v} differs from the request's ${expected}`);
    return v;
  }

  /** Base64 of exactly one TLV with tag `tag`; returns the decoded bytes as received. */
  tlv(name: string, tag: number): Uint8Array {
    const text = this.string(name);
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(text);
    } catch (e) {
      if (e instanceof CodecError) throw this.#bad(`field "${name}" is not valid base64`);
      throw e;
    }
    let tlvTag: number;
    let next: number;
    try {
      const r = readTlv(bytes);
      tlvTag = r.tlv.tag;
      next = r.next;
    } catch (e) {
      if (e instanceof TlvError)
        throw this.#bad(`field "${name}" is not a valid TLV (${e.message})`);
      throw e;
    }
    if (tlvTag !== tag)
      throw this.#bad(`field "${name}" has tag ${tagHex(tlvTag)} (expected ${tagHex(tag)})`);
    if (next !== bytes.length)
      throw this.#bad(`field "${name}" has ${bytes.length - next} bytes after its TLV`);
    return bytes;
  }

  eventEntries(): EventEntry[] {
    const v = this.json.eventEntries;
    // No events is a normal outcome; servers may then leave the list out.
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.#bad('field "eventEntries" is not an array');
    return v.map((entry: unknown, i) => {
      if (
        !isRecord(entry) ||
        typeof entry.eventId !== 'string' ||
        typeof entry.rspServerAddress !== 'string'
      )
        throw this.#bad(`eventEntries[${i}] lacks a string eventId or rspServerAddress`);
      return { eventId: entry.eventId, rspServerAddress: entry.rspServerAddress };
    });
  }
}
