/**
 * The one certificate field the LPA reads: the subject serialNumber of the eUICC certificate,
 * which carries the EID (SGP.22 v2.2.2 §4.5.2.1). A walk over the DER with the codec alone, so a
 * link to a real card never loads the crypto module (src/rsp parses and verifies certificates
 * in full for the software eUICC and the SM-DP+).
 */
import { children, decodeOne, type Tlv } from '../codec/index.ts';

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;
const PRINTABLE_STRING = 0x13;
const UTF8_STRING = 0x0c;
/** id-at-serialNumber, 2.5.4.5. */
const SERIAL_NUMBER_OID = Uint8Array.of(0x55, 0x04, 0x05);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The subject Name of a Certificate (RFC 5280 §4.1): tbsCertificate's sixth field, or fifth without [0] version. */
function subjectOf(certificate: Uint8Array): Tlv | undefined {
  const cert = decodeOne(certificate, SEQUENCE);
  const tbs = children(cert)[0];
  if (tbs?.tag !== SEQUENCE) return undefined;
  const fields = children(tbs);
  const start = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[start + 4];
  return subject?.tag === SEQUENCE ? subject : undefined;
}

/**
 * The subject serialNumber as text, or undefined when the certificate has none or cannot be read
 * (malformed DER throws the codec's error: callers treat both alike).
 */
export function subjectSerialNumber(certificate: Uint8Array): string | undefined {
  const subject = subjectOf(certificate);
  if (!subject) return undefined;
  for (const rdn of children(subject)) {
    if (rdn.tag !== SET) continue;
    for (const attr of children(rdn)) {
      const [type, value] = attr.tag === SEQUENCE ? children(attr) : [];
      if (type?.tag !== OID || !sameBytes(type.value, SERIAL_NUMBER_OID) || !value) continue;
      if (value.tag !== PRINTABLE_STRING && value.tag !== UTF8_STRING) return undefined;
      return new TextDecoder().decode(value.value);
    }
  }
  return undefined;
}
