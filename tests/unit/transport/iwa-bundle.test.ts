// The Isolated Web App packer: the signed bundle must parse as a web bundle (wbn's Bundle), its
// integrity block signature must verify, and its manifest must carry the usb-unrestricted and
// smart-card policies.
// The integrity block is read with a small CBOR reader written here (RFC 8949 §3) and the signed
// data rebuilt as the Integrity Block explainer describes (sha512(bundle), unsigned block,
// attributes, each with an 8-byte big-endian length), then checked with node:crypto Ed25519.
import { describe, it, expect } from 'vitest';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bundle } from 'wbn';
import { IWA_MANIFEST_PATH, loadSigningKey, packIwa } from '../../../iwa/pack.mjs';

type Cbor = number | Uint8Array | string | Cbor[] | Map<string, Cbor>;

/** Reads one CBOR item at `offset` (major types 0, 2, 3, 4, 5; definite lengths only). */
function readCbor(b: Uint8Array, offset: number): { value: Cbor; end: number } {
  const head = b[offset]!;
  const major = head >> 5;
  let info = head & 31;
  let o = offset + 1;
  let n: number;
  if (info < 24) n = info;
  else {
    const size = 1 << (info - 24);
    n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + b[o + i]!;
    o += size;
  }
  info = n;
  switch (major) {
    case 0:
      return { value: n, end: o };
    case 2:
      return { value: b.slice(o, o + n), end: o + n };
    case 3:
      return { value: new TextDecoder().decode(b.slice(o, o + n)), end: o + n };
    case 4: {
      const items: Cbor[] = [];
      for (let i = 0; i < info; i++) {
        const r = readCbor(b, o);
        items.push(r.value);
        o = r.end;
      }
      return { value: items, end: o };
    }
    case 5: {
      const map = new Map<string, Cbor>();
      for (let i = 0; i < info; i++) {
        const k = readCbor(b, o);
        const v = readCbor(b, k.end);
        map.set(k.value as string, v.value);
        o = v.end;
      }
      return { value: map, end: o };
    }
    default:
      throw new Error(`CBOR major type ${major} not expected here`);
  }
}

function lengthPrefixed(parts: Uint8Array[]): Buffer {
  return Buffer.concat(
    parts.flatMap((p) => {
      const len = Buffer.alloc(8);
      len.writeBigUInt64BE(BigInt(p.length));
      return [len, Buffer.from(p)];
    }),
  );
}

describe('IWA Signed Web Bundle', () => {
  it('packs, signs and carries the usb-unrestricted and smart-card policies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weblpa-iwa-'));
    try {
      const app = join(dir, 'app');
      mkdirSync(join(app, 'assets'), { recursive: true });
      writeFileSync(join(app, 'index.html'), '<!doctype html><title>WebLPA</title>');
      writeFileSync(join(app, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(join(app, 'manifest.webmanifest'), JSON.stringify({ name: 'WebLPA test' }));
      const { privateKey } = generateKeyPairSync('ed25519');
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const { key, source } = loadSigningKey({
        env: { IWA_SIGNING_KEY: pem },
        devKeyFile: join(dir, 'unused.pem'),
      });
      expect(source).toBe('IWA_SIGNING_KEY');
      const outFile = join(dir, 'out.swbn');
      const result = await packIwa({ appDir: app, outFile, key, version: '1.2.3' });
      expect(result.origin).toBe(`isolated-app://${result.bundleId}/`);

      const signed = new Uint8Array(readFileSync(outFile));
      // The web bundle states its own length in its last 8 bytes; the integrity block precedes it.
      const bundleLength = Number(Buffer.from(signed.slice(-8)).readBigUInt64BE());
      const bundleBytes = signed.slice(signed.length - bundleLength);
      const blockBytes = signed.slice(0, signed.length - bundleLength);

      // 1. The bundle parses and serves the manifest and the app.
      const bundle = new Bundle(bundleBytes);
      expect(bundle.urls).toEqual(
        expect.arrayContaining(['/', '/index.html', '/assets/app.js', IWA_MANIFEST_PATH]),
      );
      const manifest = JSON.parse(
        new TextDecoder().decode(bundle.getResponse(IWA_MANIFEST_PATH).body),
      ) as Record<string, unknown>;
      expect(manifest).toMatchObject({
        name: 'WebLPA test',
        version: '1.2.3',
        isolated: true,
        // The Web Smart Card API is gated by the "smart-card" policy (WICG Web Smart Card API,
        // establishContext() step 1; docs/platform.md §1.5).
        permissions_policy: { 'usb-unrestricted': ['self'], 'smart-card': ['self'] },
      });

      // 2. The integrity block: [magic, version, {webBundleId}, [[{ed25519PublicKey}, signature]]].
      const top = readCbor(blockBytes, 0);
      expect(top.end).toBe(blockBytes.length);
      const [magic, , attributes, stack] = top.value as [
        Uint8Array,
        Uint8Array,
        Map<string, Cbor>,
        Cbor[][],
      ];
      expect(Buffer.from(magic).toString('hex')).toBe('f09f968bf09f93a6'); // 🖋📦
      expect(attributes.get('webBundleId')).toBe(result.bundleId);
      expect(stack).toHaveLength(1);
      const [sigAttributes, signature] = stack[0] as [Map<string, Cbor>, Uint8Array];
      const rawPublicKey = sigAttributes.get('ed25519PublicKey') as Uint8Array;
      expect(rawPublicKey.length).toBe(32);

      // Rebuild what was signed: the block with an empty signature stack, and the attribute map.
      let o = 1; // skip the array(4) head
      for (let i = 0; i < 3; i++) o = readCbor(blockBytes, o).end;
      const unsignedBlock = Buffer.concat([
        Buffer.of(0x84),
        blockBytes.slice(1, o),
        Buffer.of(0x80),
      ]);
      const stackHead = o + 1; // array(1) head
      const entry = stackHead + 1; // array(2) head
      const attrEnd = readCbor(blockBytes, entry).end;
      const attrBytes = blockBytes.slice(entry, attrEnd);
      const data = lengthPrefixed([
        createHash('sha512').update(bundleBytes).digest(),
        unsignedBlock,
        attrBytes,
      ]);
      // SPKI DER prefix for an Ed25519 public key (RFC 8410 §4).
      const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), rawPublicKey]);
      const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      expect(verify(null, data, publicKey, signature)).toBe(true);
      // And the key is the one we signed with.
      expect(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })).toEqual(spki);
      // A flipped bundle byte breaks the signature.
      const tampered = lengthPrefixed([
        createHash('sha512')
          .update(
            Buffer.concat([
              bundleBytes.slice(0, 10),
              Buffer.of(bundleBytes[10]! ^ 1),
              bundleBytes.slice(11),
            ]),
          )
          .digest(),
        unsignedBlock,
        attrBytes,
      ]);
      expect(verify(null, tampered, publicKey, signature)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes a dev key once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weblpa-iwa-key-'));
    try {
      const file = join(dir, 'k', 'dev.pem');
      const a = loadSigningKey({ env: {}, devKeyFile: file });
      const b = loadSigningKey({ env: {}, devKeyFile: file });
      expect(a.source).toBe(file);
      expect(a.key.asymmetricKeyType).toBe('ed25519');
      expect(createPublicKey(a.key).export({ format: 'der', type: 'spki' })).toEqual(
        createPublicKey(b.key).export({ format: 'der', type: 'spki' }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
