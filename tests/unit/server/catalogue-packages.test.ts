/**
 * Catalogue `file` orders and `--profiles <dir>`: profile packages served as they are, with the
 * ICCID of their own ProfileHeader in whichever encoding it uses (nibble-swapped BCD, or the
 * plain digit order of the GSMA TS.48 test packages), checked when the catalogue loads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  children,
  concat,
  decodeAll,
  decodeOne,
  encodeIccid,
  encodeTlv,
  find,
  fromBase64,
  fromHex,
  toHex,
  utf8,
} from '../../../src/codec/index.ts';
import { encodeOid } from '../../../src/rsp/index.ts';
import { encodeMinimalProfile } from '../../../src/rsp/saip.ts';
import { startLocalServices, type LocalServices } from '../../../src/server/local-services.ts';
import {
  CatalogueError,
  matchingIdForFile,
  ordersFromPackages,
  parseCatalogue,
} from '../../../src/server/smdp/catalogue.ts';
import { loadCatalogueFile } from '../../../src/server/smdp/node.ts';
import { makeWorld, yes } from '../e2e-node/harness.ts';

type Encoding = 'swapped' | 'plain';

/** The ProfileHeader ICCID bytes: EF.ICCID-style swapped BCD, or digits in reading order. */
function iccidBytes(iccid: string, encoding: Encoding): Uint8Array {
  return encoding === 'swapped' ? encodeIccid(iccid) : fromHex(iccid.padEnd(20, 'F'));
}

/**
 * A package shaped like the TS.48 generic test profiles as far as the SAIP encoder goes: the
 * encoder's elements (generic file elements with long-form lengths, the End element), behind a
 * ProfileHeader like TS.48's: SAIP 2.3, "GSMA Generic eUICC Test Profile", a list of mandatory
 * services and mandatory GFSTE OIDs (so the header itself has a two-byte length), and the ICCID
 * in the given encoding.
 */
function ts48Like(iccid: string, encoding: Encoding, size = 3000): Uint8Array {
  const profileType = 'GSMA Generic eUICC Test Profile';
  const base = decodeAll(encodeMinimalProfile({ iccid, profileType, size }));
  const gfste = [1, 3, 4, 5, 7, 8, 9, 10, 11, 12].map((n) =>
    encodeTlv(0x06, encodeOid(`2.23.143.1.2.${n}`)),
  );
  const header = encodeTlv(
    0xa0,
    encodeTlv(0x80, Uint8Array.of(2)),
    encodeTlv(0x81, Uint8Array.of(3)),
    encodeTlv(0x82, utf8.encode(profileType)),
    encodeTlv(0x83, iccidBytes(iccid, encoding)),
    encodeTlv(0xa5, ...[0x81, 0x82, 0x83, 0x91, 0x92, 0x95].map((t) => encodeTlv(t))),
    encodeTlv(0xa6, ...gfste),
  );
  expect(header.length).toBeGreaterThan(127);
  return concat(header, ...base.slice(1).map((e) => e.raw));
}

const PLAIN_ICCID = '8949449999999990023';
const SWAPPED_ICCID = '89990010000000007777';
const PLAIN = ts48Like(PLAIN_ICCID, 'plain');
const SWAPPED = ts48Like(SWAPPED_ICCID, 'swapped');

const metadata = { serviceProviderName: 'Test SP', profileName: 'Package' };

function catalogue(profiles: Record<string, unknown>[]): unknown {
  return {
    orders: profiles.map((profile, i) => ({ matchingId: `PKG-${i}`, metadata, profile })),
  };
}

function refusal(fn: () => unknown): CatalogueError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CatalogueError) return e;
    throw e;
  }
  throw new Error('the catalogue was accepted');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'weblpa-packages-'));
}

/** Downloads an order into a new software eUICC; returns its ICCID and the StoreMetadata ICCID. */
async function download(
  services: LocalServices,
  matchingId: string,
): Promise<{ iccid: string | undefined; metadataIccid: string; profiles: string[] }> {
  let metadataIccid = '';
  // Reads the StoreMetadata the SM-DP+ sends (authenticateClient profileMetadata `BF25`).
  const spy: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (String(input instanceof Request ? input.url : input).endsWith('/authenticateClient')) {
      const body = (await res.clone().json()) as { profileMetadata?: string };
      if (body.profileMetadata !== undefined) {
        const fields = children(decodeOne(fromBase64(body.profileMetadata), 0xbf25));
        metadataIccid = toHex(find(fields, 0x5a)!.value).toUpperCase();
      }
    }
    return res;
  };
  const w = makeWorld(services, { fetch: spy });
  try {
    const r = await w.lpa.download({
      activationCode: `LPA:1$${services.smdpAddress}$${matchingId}`,
      confirm: yes,
    });
    const profiles = (await w.lpa.listProfiles()).map((p) => p.iccid ?? '');
    return { iccid: r.iccid, metadataIccid, profiles };
  } finally {
    await w.close();
  }
}

describe('catalogue file orders', () => {
  let dir: string;
  let services: LocalServices;
  beforeAll(async () => {
    dir = tempDir();
    writeFileSync(join(dir, 'plain.der'), PLAIN);
    writeFileSync(join(dir, 'swapped.der'), SWAPPED);
    writeFileSync(
      join(dir, 'catalogue.json'),
      JSON.stringify({
        orders: [
          { matchingId: 'TS48-PLAIN', metadata, profile: { file: 'plain.der' } },
          { matchingId: 'SWAPPED', metadata, profile: { file: 'swapped.der' } },
          // An iccid beside the file is accepted when it names the header's ICCID.
          {
            matchingId: 'PLAIN-NAMED',
            reusable: true,
            metadata,
            profile: { file: 'plain.der', iccid: PLAIN_ICCID },
          },
        ],
      }),
    );
    services = await startLocalServices({
      smdpPort: 0,
      relayPort: 0,
      seed: 'catalogue-packages',
      catalogue: join(dir, 'catalogue.json'),
    });
  }, 60_000);
  afterAll(async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['TS48-PLAIN', PLAIN_ICCID, 'plain', '8949449999999990023F'],
    ['SWAPPED', SWAPPED_ICCID, 'swapped', '98990001000000007777'],
  ] as const)(
    'installs %s with the ICCID of its header (%s, %s), its bytes sent unchanged',
    async (matchingId, iccid, encoding, headerHex) => {
      expect(toHex(iccidBytes(iccid, encoding)).toUpperCase()).toBe(headerHex);
      const r = await download(services, matchingId);
      expect(r.metadataIccid).toBe(headerHex);
      expect(r.iccid).toBe(iccid);
      expect(r.profiles).toEqual([iccid]);
      const installs = services
        .state()
        .notifications.filter((n) => n.kind === 'install' && n.iccid === iccid);
      expect(installs.at(-1)).toMatchObject({ verified: true, result: { success: true } });
    },
    60_000,
  );

  it('a reusable file order serves the same package and ICCID every time', async () => {
    const a = await download(services, 'PLAIN-NAMED');
    const b = await download(services, 'PLAIN-NAMED');
    expect([a.iccid, b.iccid]).toEqual([PLAIN_ICCID, PLAIN_ICCID]);
    expect(b.metadataIccid).toBe('8949449999999990023F');
  }, 60_000);

  it('shows the header ICCID digits for file orders', () => {
    const orders = loadCatalogueFile(join(dir, 'catalogue.json'));
    expect(orders.map((o) => [o.matchingId, o.iccid])).toEqual([
      ['TS48-PLAIN', PLAIN_ICCID],
      ['SWAPPED', SWAPPED_ICCID],
      ['PLAIN-NAMED', PLAIN_ICCID],
    ]);
  });
});

describe('catalogue file orders are checked at load', () => {
  const files: Record<string, Uint8Array> = {};
  const source = {
    readFile: (name: string): Uint8Array => {
      const f = files[name];
      if (!f) throw new Error('no such file');
      return f;
    },
  };
  const elements = decodeAll(PLAIN).map((e) => e.raw);
  files['plain.der'] = PLAIN;
  files['swapped.der'] = SWAPPED;
  files['truncated.der'] = PLAIN.slice(0, PLAIN.length - 3);
  files['no-header.der'] = concat(...elements.slice(1));
  files['no-end.der'] = concat(...elements.slice(0, -1));
  files['after-end.der'] = concat(...elements, elements[1]!);
  files['empty.der'] = new Uint8Array(0);
  files['not-saip.der'] = fromHex('300302010A');

  it('accepts an iccid naming the header ICCID in either encoding', () => {
    for (const iccid of [PLAIN_ICCID, '8949449999999990023F', '894944999999999002']) {
      const [o] = parseCatalogue(catalogue([{ file: 'plain.der', iccid }]), source);
      expect(o!.iccid).toBe(PLAIN_ICCID);
    }
    // The swapped header written as its bytes, or as digits.
    for (const iccid of [SWAPPED_ICCID, '98990001000000007777'])
      expect(parseCatalogue(catalogue([{ file: 'swapped.der', iccid }]), source)).toHaveLength(1);
  });

  it.each([
    ['plain.der', '8949449999999990031', PLAIN_ICCID],
    ['swapped.der', '89990010000000007780', SWAPPED_ICCID],
  ])('refuses %s with iccid %s, naming the order and both ICCIDs', (file, given, header) => {
    const e = refusal(() => parseCatalogue(catalogue([{ file, iccid: given }]), source));
    expect(e.path).toBe('orders[0].profile.iccid');
    expect(e.message).toContain('PKG-0');
    expect(e.message).toContain(given);
    expect(e.message).toContain(header);
    expect(e.message).toContain(file);
  });

  it.each([
    ['truncated.der', /runs past the end/],
    ['no-header.der', /not the ProfileHeader/],
    ['no-end.der', /last ProfileElement is not the End element/],
    ['after-end.der', /after the End element/],
    ['empty.der', /empty/],
    ['not-saip.der', /not a ProfileElement/],
  ])('refuses %s naming the order, the file and the reason', (file, reason) => {
    const e = refusal(() => parseCatalogue(catalogue([{ file }]), source));
    expect(e.path).toBe('orders[0].profile.file');
    expect(e.message).toContain('PKG-0');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(reason);
  });

  it('refuses a bad file when the services start, not at download', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'p.der'), concat(...elements.slice(0, -1)));
      writeFileSync(
        join(dir, 'c.json'),
        JSON.stringify({ orders: [{ matchingId: 'BAD', metadata, profile: { file: 'p.der' } }] }),
      );
      await expect(
        startLocalServices({ smdpPort: 0, relayPort: 0, catalogue: join(dir, 'c.json') }),
      ).rejects.toThrow(/order BAD: p\.der is not a usable profile package/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a profiles folder', () => {
  it('names orders after the files', () => {
    expect(matchingIdForFile('TS48V1-A-UNIQUE.der')).toBe('TS48V1-A-UNIQUE');
    expect(matchingIdForFile('my profile_2.DER')).toBe('MY-PROFILE-2');
    expect(matchingIdForFile('__x__.der')).toBe('X');
    expect(matchingIdForFile(`${'a'.repeat(70)}.der`)).toBe('A'.repeat(64));
  });

  it('refuses files that give the same matching ID, a bad file, an empty folder', () => {
    expect(
      refusal(() =>
        ordersFromPackages([
          { name: 'a_b.der', data: PLAIN },
          { name: 'A-B.der', data: SWAPPED },
        ]),
      ).message,
    ).toContain('a_b.der and A-B.der both give matching ID A-B');
    expect(
      refusal(() => ordersFromPackages([{ name: 'bad.der', data: PLAIN.slice(0, 40) }])).message,
    ).toMatch(/order BAD: bad\.der is not a usable profile package/);
    expect(refusal(() => ordersFromPackages([])).message).toContain('no .der profile packages');
  });

  it('serves a folder of packages: one-time by default, reusable when asked', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'TS48V1-A-UNIQUE.der'), PLAIN);
    writeFileSync(join(dir, 'my profile_2.der'), SWAPPED);
    writeFileSync(join(dir, 'README.txt'), 'not a package');
    const oneTime = await startLocalServices({
      smdpPort: 0,
      relayPort: 0,
      seed: 'profiles-dir',
      profilesDir: dir,
    });
    try {
      expect(oneTime.profiles).toEqual([
        {
          file: 'TS48V1-A-UNIQUE.der',
          matchingId: 'TS48V1-A-UNIQUE',
          iccid: PLAIN_ICCID,
          iccidEncoding: 'plain',
          reusable: false,
          code: 'LPA:1$testsmdpplus1.example.com$TS48V1-A-UNIQUE',
        },
        {
          file: 'my profile_2.der',
          matchingId: 'MY-PROFILE-2',
          iccid: SWAPPED_ICCID,
          iccidEncoding: 'swapped',
          reusable: false,
          code: 'LPA:1$testsmdpplus1.example.com$MY-PROFILE-2',
        },
      ]);
      // Beside the demo catalogue.
      expect(oneTime.activationCodes.map((a) => a.code)).toContain(
        'LPA:1$testsmdpplus1.example.com$WEBLPA-PLAIN',
      );
      expect((await download(oneTime, 'TS48V1-A-UNIQUE')).iccid).toBe(PLAIN_ICCID);
      expect((await download(oneTime, 'MY-PROFILE-2')).iccid).toBe(SWAPPED_ICCID);
      await expect(download(oneTime, 'TS48V1-A-UNIQUE')).rejects.toThrow();
    } finally {
      await oneTime.close();
    }
    const reusable = await startLocalServices({
      smdpPort: 0,
      relayPort: 0,
      seed: 'profiles-dir',
      profilesDir: dir,
      profilesReusable: true,
    });
    try {
      expect(reusable.profiles.every((p) => p.reusable)).toBe(true);
      expect((await download(reusable, 'TS48V1-A-UNIQUE')).iccid).toBe(PLAIN_ICCID);
      expect((await download(reusable, 'TS48V1-A-UNIQUE')).iccid).toBe(PLAIN_ICCID);
    } finally {
      await reusable.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a folder whose matching IDs collide with the catalogue', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'weblpa-plain.der'), PLAIN);
      await expect(
        startLocalServices({ smdpPort: 0, relayPort: 0, profilesDir: dir }),
      ).rejects.toThrow(/duplicate matchingId WEBLPA-PLAIN/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
