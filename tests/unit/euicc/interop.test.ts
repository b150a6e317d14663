/**
 * The software eUICC behind the project's own APDU layer (Card + openIsdR over the
 * VirtualTransport) and ES10 client: what the LPA will see.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import {
  authenticateServer,
  cancelSession,
  disableProfile,
  enableProfile,
  getEid,
  getEuiccChallenge,
  getEuiccInfo1,
  getEuiccInfo2,
  getProfilesInfo,
  getRat,
  listNotification,
  loadBoundProfilePackage,
  prepareDownload,
  removeNotificationFromList,
  retrieveNotificationsList,
} from '../../../src/es10/index.ts';
import { decodeOne } from '../../../src/codec/index.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';
import { fields, MiniSmdp, newCard, world } from './helpers.ts';

const DEVICE = { tac: '35290611', capabilities: {} };

async function link(t0 = false) {
  const card = newCard('P-256', { t0 });
  const transport = new VirtualTransport(card);
  const isdR = await openIsdR(new Card(transport), { terminalCapability: true });
  return { card, isdR };
}

describe('software eUICC with the APDU layer and the ES10 client', () => {
  it('reads EID, EUICCInfo1/2 and the RAT', async () => {
    const { isdR } = await link();
    expect(await getEid(isdR)).toBe(world('P-256').identity.eid);
    const info1 = await getEuiccInfo1(isdR);
    expect(info1.svn).toBe('2.2.2');
    expect(info1.euiccCiPKIdListForSigning).toHaveLength(1);
    const info2 = await getEuiccInfo2(isdR);
    expect(info2.svn).toBe('2.2.2');
    expect(info2.euiccCategory).toBe('mediumEuicc');
    expect(info2.extCardResource.freeNonVolatileMemory).toBe(1_500_000);
    expect((await getRat(isdR)).length).toBe(1);
  });

  for (const t0 of [false, true]) {
    it(`downloads, lists, enables and cleans up notifications (t0=${t0})`, async () => {
      const { card, isdR } = await link(t0);
      const smdp = new MiniSmdp(world('P-256'), {}, `interop-${t0}`);
      const challenge = await getEuiccChallenge(isdR);
      const asReq = fields(smdp.authenticateServerRequest(challenge), 0xbf38);
      const auth = await authenticateServer(isdR, {
        serverSigned1: asReq[0]!.raw,
        serverSignature1: asReq[1]!.raw,
        euiccCiPKIdToBeUsed: asReq[2]!.raw,
        serverCertificate: asReq[3]!.raw,
        ctxParams1: { matchingId: 'MATCHING-1', deviceInfo: DEVICE },
      });
      expect(auth.ok).toBe(true);
      smdp.authenticateClient(auth.raw);
      const pdReq = fields(smdp.prepare(), 0xbf21);
      const prep = await prepareDownload(isdR, {
        smdpSigned2: pdReq[0]!.raw,
        smdpSignature2: pdReq[1]!.raw,
        smdpCertificate: pdReq[2]!.raw,
      });
      expect(prep.ok).toBe(true);
      smdp.getBoundProfilePackage(prep.raw);
      const loaded = await loadBoundProfilePackage(isdR, smdp.boundProfilePackage());
      expect(decodeOne(loaded.raw).tag).toBe(0xbf37);
      expect(card.state.profiles).toHaveLength(1);

      const profiles = await getProfilesInfo(isdR);
      expect(profiles).toHaveLength(1);
      await enableProfile(isdR, { iccid: '89000123456789012341' });
      await disableProfile(isdR, { iccid: '89000123456789012341' });
      const list = await listNotification(isdR);
      expect(list.length).toBe(3);
      const pending = await retrieveNotificationsList(isdR);
      expect(pending.length).toBe(3);
      for (const n of card.state.notifications.slice())
        expect(await removeNotificationFromList(isdR, n.seqNumber)).toBe('ok');
      expect(await listNotification(isdR)).toHaveLength(0);
      expect(toHex(await getEuiccChallenge(isdR))).toHaveLength(32);
    });
  }

  it('CancelSession returns the signed answer', async () => {
    const { isdR } = await link();
    const smdp = new MiniSmdp(world('P-256'), {}, 'cancel');
    const challenge = await getEuiccChallenge(isdR);
    const asReq = fields(smdp.authenticateServerRequest(challenge), 0xbf38);
    await authenticateServer(isdR, {
      serverSigned1: asReq[0]!.raw,
      serverSignature1: asReq[1]!.raw,
      euiccCiPKIdToBeUsed: asReq[2]!.raw,
      serverCertificate: asReq[3]!.raw,
      ctxParams1: { matchingId: 'MATCHING-1', deviceInfo: DEVICE },
    });
    const res = await cancelSession(isdR, smdp.txId, 'endUserRejection');
    expect(toHex(res.transactionId)).toBe(toHex(smdp.txId));
    expect(res.smdpOid).toBe('2.999.10');
    expect(res.reason).toBe(0);
  });
});
