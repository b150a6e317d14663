/**
 * Building blocks of SAIP ProfileElements (TCA eUICC Profile Package, `PEDefinitions`):
 * PEHeader, the Fcp of a file, the `File` SEQUENCE OF CHOICE used by template PEs and the
 * FileManagement commands of PE-GenericFileManagement. File descriptors, sizes and access
 * rules are coded as ETSI TS 102 222 / TS 102 221 FCP fields.
 */
import { concat, encodeTlv, encodeUnsigned, fromHex } from '../../codec/index.ts';
import { encodeOid } from '../oid.ts';

/** PEHeader `A0 { [80 00 mandated] 81 identification }`. */
export function peHeader(id: number, mandated = true): Uint8Array {
  if (!Number.isInteger(id) || id < 0 || id > 0x7fff)
    throw new RangeError(`PE identification ${id} is not a UInt15`);
  const parts = mandated ? [encodeTlv(0x80)] : [];
  parts.push(encodeTlv(0x81, encodeUnsigned(id)));
  return encodeTlv(0xa0, ...parts);
}

/** templateID `81` (OBJECT IDENTIFIER contents under an implicit context tag). */
export function templateId(oid: string): Uint8Array {
  return encodeTlv(0x81, encodeOid(oid));
}

/** TS 102 222 file descriptors (FCP tag 82). */
export const Descriptor = {
  /** Shareable working EF, transparent. */
  transparent: (): Uint8Array => Uint8Array.of(0x41, 0x21),
  /** Shareable working EF, linear fixed, with the record length. */
  linear: (recordLength: number): Uint8Array =>
    Uint8Array.of(0x42, 0x21, recordLength >> 8, recordLength & 0xff),
  /** Shareable working EF, cyclic, with the record length. */
  cyclic: (recordLength: number): Uint8Array =>
    Uint8Array.of(0x46, 0x21, recordLength >> 8, recordLength & 0xff),
  /** Shareable working EF with BER-TLV structure. */
  berTlv: (): Uint8Array => Uint8Array.of(0x79, 0x21),
  /** Shareable DF. */
  df: (): Uint8Array => Uint8Array.of(0x78, 0x21),
} as const;

export interface Fcp {
  descriptor?: Uint8Array;
  fileId?: number;
  /** ADF name (AID). */
  dfName?: Uint8Array;
  /** securityAttributesReferenced: EF.ARR file ID and record, or the record alone. */
  arr?: number[];
  /** efFileSize (EFs only). */
  size?: number;
  /** pinStatusTemplateDO (DFs and ADFs only). */
  pinStatus?: Uint8Array;
  /** Short EF identifier (1..30); null: the EF has none (empty `88`). */
  sfi?: number | null;
  /** specialFileInformation `C0`. */
  special?: number;
  /** fillPattern `C1`. */
  fillPattern?: Uint8Array;
  /** repeatPattern `C2`. */
  repeatPattern?: Uint8Array;
  /** maximumFileSize `86` (BER-TLV files). */
  maxSize?: number;
  /** linkPath `C7`: the path of the file this one is linked to. */
  linkPath?: number[];
}

/** The fields of an Fcp in the order of the SAIP SEQUENCE (DER keeps declaration order). */
function fcpFields(f: Fcp): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (f.descriptor) out.push(encodeTlv(0x82, f.descriptor));
  if (f.fileId !== undefined) out.push(encodeTlv(0x83, fid(f.fileId)));
  if (f.dfName) out.push(encodeTlv(0x84, f.dfName));
  if (f.arr) out.push(encodeTlv(0x8b, Uint8Array.from(f.arr)));
  if (f.size !== undefined) out.push(encodeTlv(0x80, minimal(f.size)));
  if (f.pinStatus) out.push(encodeTlv(0xc6, f.pinStatus));
  if (f.sfi === null) out.push(encodeTlv(0x88));
  else if (f.sfi !== undefined) out.push(encodeTlv(0x88, Uint8Array.of(f.sfi << 3)));
  const prop: Uint8Array[] = [];
  if (f.special !== undefined) prop.push(encodeTlv(0xc0, Uint8Array.of(f.special)));
  if (f.fillPattern) prop.push(encodeTlv(0xc1, f.fillPattern));
  if (f.repeatPattern) prop.push(encodeTlv(0xc2, f.repeatPattern));
  if (f.maxSize !== undefined) prop.push(encodeTlv(0x86, minimal(f.maxSize)));
  if (prop.length > 0 || f.descriptor?.[0] === 0x79) out.push(encodeTlv(0xa5, ...prop));
  if (f.linkPath) out.push(encodeTlv(0xc7, concat(...f.linkPath.map(fid))));
  return out;
}

function fid(id: number): Uint8Array {
  return Uint8Array.of(id >> 8, id & 0xff);
}

/** An unsigned number on the fewest octets (no leading 00), as efFileSize requires. */
function minimal(n: number): Uint8Array {
  if (n === 0) return Uint8Array.of(0);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from(bytes);
}

/** What to put in a file: whole content, or records written one after another. */
export interface FileSpec {
  fcp?: Fcp;
  content?: Uint8Array;
  /** Records of a linear fixed file: each is written, then the rest of the record skipped. */
  records?: { length: number; data: Uint8Array[] };
}

/**
 * A template file: `File ::= SEQUENCE OF CHOICE { doNotCreate [0], fileDescriptor [1] Fcp,
 * fillFileOffset [2], fillFileContent [3] }` under the PE's own context tag. An empty spec
 * creates the file as the template defines it.
 */
export function templateFile(tag: number, spec: FileSpec = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  if (spec.fcp) parts.push(encodeTlv(0xa1, ...fcpFields(spec.fcp)));
  if (spec.content) parts.push(encodeTlv(0x83, spec.content));
  if (spec.records) parts.push(...writeRecords(spec.records, 0x82, 0x83));
  return encodeTlv(tag, ...parts);
}

function writeRecords(
  r: { length: number; data: Uint8Array[] },
  offsetTag: number,
  contentTag: number,
): Uint8Array[] {
  const parts: Uint8Array[] = [];
  r.data.forEach((rec, i) => {
    if (rec.length > r.length) throw new RangeError('record longer than the record length');
    parts.push(encodeTlv(contentTag, rec));
    const skip = r.length - rec.length;
    if (i < r.data.length - 1 && skip > 0) parts.push(encodeTlv(offsetTag, encodeUnsigned(skip)));
  });
  return parts;
}

/** One step of a FileManagement command list. */
export type FileCommand =
  | { path: number[] }
  | { create: Fcp }
  | { content: Uint8Array }
  | { offset: number }
  | { records: { length: number; data: Uint8Array[] } };

/**
 * `FileManagement ::= SEQUENCE OF CHOICE { filePath [0], createFCP [APPLICATION 2] Fcp,
 * fillFileOffset UInt16, fillFileContent [1] }`: filePath `80` (FIDs from the MF, or the
 * temporary FID of an ADF; empty for the MF), createFCP `62`, offset `02`, content `81`.
 */
export function fileManagement(commands: readonly FileCommand[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const c of commands) {
    if ('path' in c) parts.push(encodeTlv(0x80, concat(...c.path.map(fid))));
    else if ('create' in c) parts.push(encodeTlv(0x62, ...fcpFields(c.create)));
    else if ('content' in c) parts.push(encodeTlv(0x81, c.content));
    else if ('offset' in c) parts.push(encodeTlv(0x02, encodeUnsigned(c.offset)));
    else parts.push(...writeRecords(c.records, 0x02, 0x81));
  }
  return encodeTlv(0x30, ...parts);
}

/** Bytes from hex written with spaces for readability. */
export function hex(text: string): Uint8Array {
  return fromHex(text.replace(/\s+/g, ''));
}

/** `value` padded with FF to `length` bytes. */
export function padFF(value: Uint8Array, length: number): Uint8Array {
  if (value.length > length) throw new RangeError('value longer than the field');
  const out = new Uint8Array(length).fill(0xff);
  out.set(value);
  return out;
}
