/**
 * Every TS.48-shaped test profile variant installs into the software eUICC through a real
 * download (ES9+ over HTTP on 127.0.0.1 from the test SM-DP+, ES10 over the virtual
 * transport), with its ICCID and profile class as ordered. Malformed packages and a header
 * ICCID that differs from the metadata stop the load with the ErrorReason SGP.22 v2.2.2
 * §5.7.6 gives them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTlv, fromHex, luhnCheckDigit } from '../../../src/codec/index.ts';
import {
  encodeTestProfile,
  parseProfilePackage,
  TEST_PROFILE_VARIANTS,
} from '../../../src/rsp/saip.ts';
import type { IccidEncoding, TestProfileVariant } from '../../../src/rsp/saip.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import { packageProfile } from '../../../src/server/smdp/catalogue.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import type { ProfileClass } from '../../../src/server/smdp/asn1.ts';
import { ac, makeWorld, yes } from '../e2e-node/harness.ts';
import { checkPir, download, Driver, MiniSmdp, newCard, world } from './helpers.ts';

const CLASSES: readonly ProfileClass[] = ['test', 'operational', 'provisioning'];

interface Case {
  variant: TestProfileVariant;
  iccid: string;
  encoding: IccidEncoding;
  profileClass: ProfileClass;
}

const CASES: Case[] = TEST_PROFILE_VARIANTS.map((variant, i) => {
  const payload = `8999001234567${String(i).padStart(5, '0')}`;
  return {
    variant,
    iccid: payload + luhnCheckDigit(payload),
    // TS.48 packages carry the header ICCID unswapped; alternate to cover both codings.
    encoding: i % 2 === 0 ? 'unswapped' : 'swapped',
    profileClass: CLASSES[i % CLASSES.length]!,
  };
});

function order(c: Case): Order {
  const data = encodeTestProfile(c.variant, { iccid: c.iccid, iccidEncoding: c.encoding });
  // The test SM-DP+ reads the header ICCID and sends its 10 bytes as they are in StoreMetadata.
  const profile = packageProfile(data, `${c.variant}.der`, c.variant, c.variant);
  expect(profile.iccid.digits).toBe(c.iccid);
  expect(profile.iccid.encoding).toBe(c.encoding === 'swapped' ? 'swapped' : 'plain');
  return {
    matchingId: `SAIP-${c.variant.toUpperCase()}`,
    label: c.variant,
    reusable: true,
    // The SM-DP+ sends this ICCID in StoreMetadata; the package header carries the same.
    iccid: c.iccid,
    metadata: {
      serviceProviderName: 'WebLPA',
      profileName: `TS.48-like ${c.variant}`,
      profileClass: c.profileClass,
    },
    profile,
  };
}

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({
    smdpPort: 0,
    relayPort: 0,
    seed: 'saip-variants',
    catalogue: CASES.map(order),
  });
}, 60_000);
afterAll(async () => {
  await services.close();
});

describe('TS.48-shaped packages install through the test SM-DP+', () => {
  it.each(CASES)(
    '$variant (header ICCID $encoding, class $profileClass)',
    async (c) => {
      const w = makeWorld(services);
      try {
        const r = await w.lpa.download({
          activationCode: ac(services, `SAIP-${c.variant.toUpperCase()}`),
          confirm: yes,
        });
        expect(r.iccid).toBe(c.iccid);
        expect(r.notification).toMatchObject({ sent: true, removed: true });
        const profiles = await w.lpa.listProfiles();
        expect(profiles.map((p) => [p.iccid, p.profileClass, p.profileName])).toEqual([
          [c.iccid, c.profileClass, `TS.48-like ${c.variant}`],
        ]);
        const note = services
          .state()
          .notifications.filter((n) => n.eid === w.euicc.eid && n.kind === 'install');
        expect(note).toMatchObject([{ iccid: c.iccid, verified: true, result: { success: true } }]);
      } finally {
        await w.close();
      }
    },
    60_000,
  );
});

describe('the software eUICC refuses what SAIP does not allow', () => {
  const ICCID = '89000123456789012341';
  const w = world('P-256');

  function install(profile: Uint8Array, iccid = ICCID, iccidBytes?: Uint8Array) {
    const card = newCard('P-256', { config: { nvmBytes: 1_000_000 } });
    const d = new Driver(card);
    d.open();
    const { pir } = download(
      d,
      new MiniSmdp(w, { iccid, profile, ...(iccidBytes ? { iccidBytes } : {}) }),
    );
    return { card, result: checkPir(pir, w.identity.euiccCert) };
  }

  /** The package with its PE number `index` replaced. */
  function replacePe(pkg: Uint8Array, index: number, pe: Uint8Array): Uint8Array {
    const els = parseProfilePackage(pkg).elements.map((e) => e.raw);
    els[index] = pe;
    return Uint8Array.from(els.flatMap((e) => [...e]));
  }

  it('installs a package with an unknown PE that is not mandated, refuses a mandated one', () => {
    const pkg = encodeTestProfile('ts48v5-saip2.3-bertlv-suci', { iccid: ICCID });
    const ids = parseProfilePackage(pkg).elements.length;
    const unknown = (mandated: boolean): Uint8Array =>
      encodeTlv(
        0xbf30,
        encodeTlv(0xa0, ...(mandated ? [fromHex('8000')] : []), fromHex('810200FE')),
        fromHex('0401FF'),
      );
    const end = parseProfilePackage(pkg).elements.at(-1)!.raw;
    const withUnknown = (mandated: boolean): Uint8Array =>
      Uint8Array.from([...replacePe(pkg, ids - 1, unknown(mandated)), ...end]);
    const ok = install(withUnknown(false));
    expect(ok.result.ok).toBe(true);
    expect(ok.card.state.profiles.map((p) => p.iccid)).toEqual([ICCID]);
    // PE processing error (12) in loadProfileElements (5).
    const bad = install(withUnknown(true));
    expect(bad.result).toMatchObject({ ok: false, bppCommandId: 5, errorReason: 12 });
    expect(bad.card.state.profiles).toHaveLength(0);
  });

  it('refuses a malformed PE (a PIN of 7 bytes) with a PE processing error', () => {
    const pkg = encodeTestProfile('ts48v1', { iccid: ICCID });
    const els = parseProfilePackage(pkg).elements;
    const pinIndex = els.findIndex((e) => e.tag === 0xa2);
    expect(pinIndex).toBeGreaterThan(0);
    const badPin = encodeTlv(
      0xa2,
      fromHex('A0058000810104'),
      encodeTlv(
        0xa1,
        encodeTlv(0xa0, encodeTlv(0x30, fromHex('800101'), fromHex('810730303030FFFFFF'))),
      ),
    );
    const { card, result } = install(replacePe(pkg, pinIndex, badPin));
    expect(result).toMatchObject({ ok: false, bppCommandId: 5, errorReason: 12 });
    expect(card.state.profiles).toHaveLength(0);
  });

  it.each(['swapped', 'unswapped'] as const)(
    'compares the %s header ICCID with the metadata ICCID (data mismatch 13)',
    (iccidEncoding) => {
      const header = (iccid: string): Uint8Array =>
        parseProfilePackage(encodeTestProfile('ts48v4', { iccid, iccidEncoding })).header
          .iccidBytes;
      const other = encodeTestProfile('ts48v4', { iccid: '89000123456789012358', iccidEncoding });
      const { result } = install(other, ICCID, header(ICCID));
      expect(result).toMatchObject({ ok: false, bppCommandId: 5, errorReason: 13 });
      const same = install(
        encodeTestProfile('ts48v4', { iccid: ICCID, iccidEncoding }),
        ICCID,
        header(ICCID),
      );
      expect(same.result.ok).toBe(true);
      expect(same.card.state.profiles.map((p) => p.iccid)).toEqual([ICCID]);
    },
  );
});
