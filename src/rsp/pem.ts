/**
 * PEM armour (RFC 7468) and EC private/public key containers: SEC 1 "EC PRIVATE KEY"
 * (RFC 5915), PKCS#8 "PRIVATE KEY" (RFC 5208/5958) and SubjectPublicKeyInfo "PUBLIC KEY".
 * The SEC 1 output is what Node's TLS accepts for an HTTPS server key.
 */
import {
  bytesEqual,
  children,
  decodeOne,
  encodeTlv,
  fromBase64,
  toBase64,
} from '../codec/index.ts';
import {
  at,
  bits,
  guard,
  int,
  kids,
  oid,
  octets,
  readBitStringBytes,
  readOid,
  seq,
  TAG,
} from './der.ts';
import {
  CURVE_OID,
  curveFromOid,
  keyPairFromPrivate,
  validatePublicKey,
  type CurveName,
  type EcKeyPair,
} from './ec.ts';
import { CertificateError, RspCryptoError } from './errors.ts';
import { OID_EC_PUBLIC_KEY } from './oid.ts';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** Every PEM block in `text`, in order. Throws CertificateError('badPem') on a broken block. */
export function pemDecode(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const [, begin, body, end] = m;
    if (begin === undefined || body === undefined || begin !== end)
      throw new CertificateError(
        'badPem',
        `BEGIN ${begin ?? '?'} does not match END ${end ?? '?'}`,
      );
    const b64 = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
      throw new CertificateError('badPem', `${begin}: not base64`);
    try {
      out.push({ label: begin, der: fromBase64(b64) });
    } catch (e) {
      throw new CertificateError('badPem', `${begin}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** PEM text with 64-character lines and a trailing newline. */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function certificateToPem(der: Uint8Array): string {
  return pemEncode('CERTIFICATE', der);
}

function toDer(derOrPem: Uint8Array | string, labels: readonly string[]): Uint8Array {
  if (typeof derOrPem !== 'string') return derOrPem;
  const block = pemDecode(derOrPem).find((b) => labels.includes(b.label));
  if (!block) throw new CertificateError('badPem', `no ${labels.join(' or ')} block`);
  return block.der;
}

function keyFromScalar(curve: CurveName, d: Uint8Array, publicKey?: Uint8Array): EcKeyPair {
  if (d.length > 32) throw new CertificateError('badKey', 'private key longer than 32 bytes');
  const padded = new Uint8Array(32);
  padded.set(d, 32 - d.length);
  let key: EcKeyPair;
  try {
    key = keyPairFromPrivate(curve, padded);
  } catch (e) {
    if (e instanceof RspCryptoError) throw new CertificateError('badKey', e.message);
    throw e;
  }
  if (publicKey && !bytesEqual(publicKey, key.publicKey))
    throw new CertificateError('badKey', 'embedded public key does not match the private key');
  return key;
}

/** RFC 5915 ECPrivateKey; `curveHint` comes from PKCS#8 when the inner parameters are absent. */
function parseSec1(der: Uint8Array, curveHint?: CurveName): EcKeyPair {
  const parts = kids(decodeOne(der), TAG.sequence, 'ECPrivateKey');
  const version = at(parts, 0, TAG.integer, 'version');
  if (version.value.length !== 1 || version.value[0] !== 1)
    throw new CertificateError('malformed', 'ECPrivateKey version must be 1');
  const d = at(parts, 1, TAG.octetString, 'privateKey').value;
  let curve = curveHint;
  let publicKey: Uint8Array | undefined;
  for (const p of parts.slice(2)) {
    if (p.tag === 0xa0) {
      const inner = children(p)[0];
      if (!inner) throw new CertificateError('malformed', 'empty ECParameters');
      const oidText = readOid(inner, 'namedCurve');
      const named = curveFromOid(oidText);
      if (!named) throw new CertificateError('unsupportedCurve', `curve ${oidText}`);
      if (curve && curve !== named) throw new CertificateError('badKey', 'curve mismatch');
      curve = named;
    } else if (p.tag === 0xa1) {
      const inner = children(p)[0];
      if (!inner) throw new CertificateError('malformed', 'empty publicKey');
      publicKey = readBitStringBytes(inner, 'publicKey');
    }
  }
  if (!curve) throw new CertificateError('malformed', 'EC private key names no curve');
  return keyFromScalar(curve, d, publicKey);
}

/** PKCS#8 PrivateKeyInfo / OneAsymmetricKey wrapping an EC key. */
function parsePkcs8(der: Uint8Array): EcKeyPair {
  const parts = kids(decodeOne(der), TAG.sequence, 'PrivateKeyInfo');
  const version = at(parts, 0, TAG.integer, 'version');
  if (version.value.length !== 1 || version.value[0]! > 1)
    throw new CertificateError('malformed', 'PrivateKeyInfo version must be 0 or 1');
  const alg = kids(at(parts, 1, TAG.sequence, 'algorithm'), TAG.sequence, 'algorithm');
  const algOid = readOid(at(alg, 0, TAG.oid, 'algorithm'), 'algorithm');
  if (algOid !== OID_EC_PUBLIC_KEY)
    throw new CertificateError('unsupportedAlgorithm', `key algorithm ${algOid}`);
  const curveOid = readOid(at(alg, 1, TAG.oid, 'namedCurve'), 'namedCurve');
  const curve = curveFromOid(curveOid);
  if (!curve) throw new CertificateError('unsupportedCurve', `curve ${curveOid}`);
  return parseSec1(at(parts, 2, TAG.octetString, 'privateKey').value, curve);
}

/**
 * An EC key pair from SEC 1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE KEY"), DER or PEM.
 * Throws CertificateError.
 */
export function parsePrivateKey(derOrPem: Uint8Array | string): EcKeyPair {
  return guard('private key', () => {
    const der = toDer(derOrPem, ['EC PRIVATE KEY', 'PRIVATE KEY']);
    const parts = kids(decodeOne(der), TAG.sequence, 'private key');
    // PKCS#8 has AlgorithmIdentifier (a SEQUENCE) second; SEC 1 has the key OCTET STRING.
    return parts[1]?.tag === TAG.sequence ? parsePkcs8(der) : parseSec1(der);
  });
}

/** RFC 5915 ECPrivateKey with the named curve and the public key. */
export function encodeSec1PrivateKey(key: EcKeyPair): Uint8Array {
  return seq(
    int(1),
    octets(key.privateKey),
    encodeTlv(0xa0, oid(CURVE_OID[key.curve])),
    encodeTlv(0xa1, bits(key.publicKey)),
  );
}

/** PKCS#8 PrivateKeyInfo wrapping the SEC 1 key (curve in the AlgorithmIdentifier). */
export function encodePkcs8PrivateKey(key: EcKeyPair): Uint8Array {
  const inner = seq(int(1), octets(key.privateKey), encodeTlv(0xa1, bits(key.publicKey)));
  return seq(int(0), seq(oid(OID_EC_PUBLIC_KEY), oid(CURVE_OID[key.curve])), octets(inner));
}

/** "EC PRIVATE KEY" PEM (SEC 1). */
export function privateKeyToPem(key: EcKeyPair): string {
  return pemEncode('EC PRIVATE KEY', encodeSec1PrivateKey(key));
}

/** SubjectPublicKeyInfo DER for an EC public key. */
export function encodePublicKey(curve: CurveName, publicKey: Uint8Array): Uint8Array {
  return seq(seq(oid(OID_EC_PUBLIC_KEY), oid(CURVE_OID[curve])), bits(publicKey));
}

/** An EC public key from SubjectPublicKeyInfo ("PUBLIC KEY"), DER or PEM. */
export function parsePublicKey(derOrPem: Uint8Array | string): {
  curve: CurveName;
  publicKey: Uint8Array;
} {
  return guard('public key', () => {
    const der = toDer(derOrPem, ['PUBLIC KEY']);
    const parts = kids(decodeOne(der), TAG.sequence, 'SubjectPublicKeyInfo');
    const alg = kids(at(parts, 0, TAG.sequence, 'algorithm'), TAG.sequence, 'algorithm');
    const algOid = readOid(at(alg, 0, TAG.oid, 'algorithm'), 'algorithm');
    if (algOid !== OID_EC_PUBLIC_KEY)
      throw new CertificateError('unsupportedAlgorithm', `key algorithm ${algOid}`);
    const curveOid = readOid(at(alg, 1, TAG.oid, 'namedCurve'), 'namedCurve');
    const curve = curveFromOid(curveOid);
    if (!curve) throw new CertificateError('unsupportedCurve', `curve ${curveOid}`);
    const publicKey = Uint8Array.from(
      readBitStringBytes(at(parts, 1, TAG.bitString, 'key'), 'key'),
    );
    if (!validatePublicKey(curve, publicKey))
      throw new CertificateError('badKey', 'not a valid uncompressed point');
    return { curve, publicKey };
  });
}
