/**
 * The saved state models a card that stays powered: a download session that passed
 * PrepareDownload (transaction id, SM-DP+ OID, DPpb, the one-time key pair) is exported and
 * restored; a package that was being loaded is not, so a restored card never holds half a
 * profile and loads the whole package again.
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/codec/index.ts';
import { SoftwareEuicc } from '../../../src/euicc/index.ts';
import { checkPir, cutBpp, Driver, fields, MiniSmdp, newCard, world } from './helpers.ts';

/** A card and an SM-DP+ that went through PrepareDownload; the package is ready. */
function prepared(seed: string): { card: SoftwareEuicc; smdp: MiniSmdp; calls: Uint8Array[] } {
  const card = newCard();
  const d = new Driver(card);
  d.open();
  const smdp = new MiniSmdp(world('P-256'), {}, seed);
  const challenge = fields(d.es10('BF2E00'), 0xbf2e)[0]!.value;
  smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge)));
  smdp.getBoundProfilePackage(d.es10(smdp.prepare()));
  return { card, smdp, calls: cutBpp(smdp.boundProfilePackage()) };
}

/** Sends the package's calls; returns the ProfileInstallationResult. */
function load(card: SoftwareEuicc, calls: readonly Uint8Array[]): Uint8Array {
  const d = new Driver(card);
  d.open();
  for (const c of calls) {
    const r = d.es10(c);
    if (r.length > 0) return r;
  }
  throw new Error('no ProfileInstallationResult');
}

describe('a prepared download session in the saved state', () => {
  it('is exported after PrepareDownload and restored by fromState', () => {
    const { card, smdp, calls } = prepared('keep-1');
    const saved = card.exportState();
    expect(saved.session).toMatchObject({
      transactionId: Buffer.from(smdp.txId).toString('hex').toUpperCase(),
      serverAddress: smdp.address,
      smdpOid: '2.999.10',
      otKey: { curve: 'P-256' },
    });
    const again = SoftwareEuicc.fromState(JSON.parse(JSON.stringify(saved)) as unknown);
    expect(again.exportState()).toEqual(saved);
    // The restored card loads the package bound to the one-time key it kept.
    const pir = checkPir(load(again, calls), world('P-256').identity.euiccCert);
    expect(pir.ok).toBe(true);
    expect(again.state.profiles).toHaveLength(1);
    // The session ended with the result: nothing left to restore.
    expect(again.exportState().session).toBeUndefined();
  });

  it('a package half loaded is not saved: the restored card loads it again from the start', () => {
    const { card, calls } = prepared('keep-2');
    const d = new Driver(card);
    d.open();
    for (const c of calls.slice(0, 3)) expect(d.es10(c)).toHaveLength(0);
    expect(card.loadingProfile).toBe(true);
    const saved = card.exportState();
    expect(saved.profiles).toEqual([]);
    const again = SoftwareEuicc.fromState(saved);
    expect(again.loadingProfile).toBe(false);
    expect(again.state.profiles).toEqual([]);
    expect(checkPir(load(again, calls), world('P-256').identity.euiccCert).ok).toBe(true);
    expect(again.state.profiles).toHaveLength(1);
  });

  it('a reset or a new GetEuiccChallenge ends it, as on a card', () => {
    const { card } = prepared('keep-3');
    const restored = SoftwareEuicc.fromState(card.exportState());
    restored.reset();
    expect(restored.exportState().session).toBeUndefined();
    const other = SoftwareEuicc.fromState(card.exportState());
    const d = new Driver(other);
    d.open();
    d.es10('BF2E00');
    expect(other.exportState().session).toBeUndefined();
  });

  it('CancelSession works on a restored session and ends it', () => {
    const { card, smdp } = prepared('keep-4');
    const restored = SoftwareEuicc.fromState(card.exportState());
    const d = new Driver(restored);
    d.open();
    const txId = smdp.txId;
    const req = new Uint8Array([
      0xbf,
      0x41,
      5 + txId.length,
      0x80,
      txId.length,
      ...txId,
      0x81,
      1,
      0,
    ]);
    const res = d.es10(req);
    expect(fields(res, 0xbf41)[0]!.tag).toBe(0xa0);
    expect(restored.exportState().session).toBeUndefined();
  });

  it('a session that does not fit the card is refused with its field path', () => {
    const { card } = prepared('keep-5');
    const saved = card.exportState();
    const tooShort = {
      ...saved,
      session: { ...saved.session!, otKey: { curve: 'P-256', privateKey: 'AA' } },
    };
    expect(() => SoftwareEuicc.fromState(tooShort)).toThrow(/session\.otKey\.privateKey/);
    const otherCi = { ...saved, session: { ...saved.session!, ciPkId: '00'.repeat(20) } };
    expect(() => SoftwareEuicc.fromState(otherCi)).toThrow(/session\.ciPkId/);
    expect(fromHex(saved.session!.dpPb)[0]).toBe(0x30);
  });
});
