import { describe, expect, it } from 'vitest';
import { useServices } from './services.ts';
import { ac, makeWorld, yes } from './harness.ts';

const services = useServices();

describe('profile operations and notifications end to end', () => {
  it('enable, disable, nickname, delete; each notification reaches the SM-DP+ verified and leaves the card', async () => {
    const w = makeWorld(services());
    try {
      const { lpa, euicc } = w;
      const { iccid } = await lpa.download({
        activationCode: ac(services(), 'WEBLPA-BENCH-10K'),
        confirm: yes,
      });
      const ref = { iccid: iccid! };
      const kinds = (): string[] =>
        services()
          .state()
          .notifications.filter((n) => n.eid === euicc.eid && n.verified)
          .map((n) => n.kind);

      const en = await lpa.enableProfile(ref);
      expect(en.notifications).toMatchObject([
        { profileManagementOperation: 'enable', sent: true, removed: true },
      ]);
      expect((await lpa.listProfiles())[0]?.profileState).toBe('enabled');
      await expect(lpa.enableProfile(ref)).rejects.toMatchObject({
        reason: 'es10',
        details: { resultName: 'profileNotInDisabledState' },
      });
      await expect(lpa.deleteProfile(ref)).rejects.toMatchObject({ reason: 'es10' });

      await lpa.setNickname(iccid!, 'Bench');
      expect((await lpa.listProfiles())[0]?.profileNickname).toBe('Bench');

      await lpa.disableProfile(ref);
      await lpa.deleteProfile(ref);
      expect(await lpa.listProfiles()).toEqual([]);
      expect(kinds()).toEqual(['install', 'enable', 'disable', 'delete']);
      expect(await lpa.listNotifications()).toEqual([]);
    } finally {
      await w.close();
    }
  });

  it('without auto-send the notifications wait on the card; process sends and removes them', async () => {
    const w = makeWorld(services(), { autoSendNotifications: false });
    try {
      const { lpa } = w;
      const { iccid } = await lpa.download({
        activationCode: ac(services(), 'WEBLPA-REUSABLE'),
        confirm: yes,
      });
      await lpa.enableProfile({ iccid: iccid! });
      const pending = await lpa.listNotifications();
      expect(pending.map((n) => n.profileManagementOperation)).toEqual(['enable']);
      const sent = await lpa.sendAllNotifications();
      expect(sent).toMatchObject([{ sent: true, removed: true }]);
      expect(await lpa.listNotifications()).toEqual([]);
    } finally {
      await w.close();
    }
  });

  it('a failed send keeps the notification; send one, remove one', async () => {
    let down = false;
    const flaky: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (down && url.endsWith('/handleNotification'))
        return Promise.reject(new TypeError('fetch failed'));
      return fetch(input, init);
    };
    const w = makeWorld(services(), { autoSendNotifications: false, fetch: flaky });
    try {
      const { lpa, euicc } = w;
      down = true;
      const { iccid, notification } = await lpa.download({
        activationCode: ac(services(), 'WEBLPA-REUSABLE'),
        confirm: yes,
      });
      // The install notification could not be delivered: it stays on the card.
      expect(notification).toMatchObject({ sent: false, removed: false });
      await lpa.enableProfile({ iccid: iccid! });
      const pending = await lpa.listNotifications();
      expect(pending.map((n) => n.profileManagementOperation)).toEqual(['install', 'enable']);

      const failed = await lpa.sendAllNotifications();
      expect(failed).toHaveLength(2);
      for (const f of failed) {
        expect(f).toMatchObject({ sent: false, removed: false, error: { reason: 'network' } });
      }
      expect(await lpa.listNotifications()).toEqual(pending);

      down = false;
      const install = pending[0]!;
      const enable = pending[1]!;
      expect(await lpa.sendNotification(install.seqNumber)).toMatchObject({
        sent: true,
        removed: true,
      });
      expect(await lpa.removeNotification(enable.seqNumber)).toBe('ok');
      expect(await lpa.removeNotification(enable.seqNumber)).toBe('nothingToDelete');
      expect(await lpa.listNotifications()).toEqual([]);
      const received = services()
        .state()
        .notifications.filter((n) => n.eid === euicc.eid)
        .map((n) => n.kind);
      expect(received).toEqual(['install']);
    } finally {
      await w.close();
    }
  });

  it('chip info, default SM-DP+ and memory reset', async () => {
    const w = makeWorld(services());
    try {
      const { lpa, euicc } = w;
      const info = await lpa.getChipInfo();
      expect(info.eid).toBe(euicc.eid);
      expect(info.euiccInfo2.euiccCiPKIdListForSigning.length).toBeGreaterThan(0);
      await lpa.setDefaultDpAddress(services().smdpAddress);
      expect((await lpa.getConfiguredAddresses()).defaultDpAddress).toBe(services().smdpAddress);
      // Download from the default SM-DP+ (no activation code): WEBLPA-EID-BOUND-style
      // default orders are EID-bound, so an unbound eUICC is refused by the server.
      await expect(lpa.download({ confirm: yes })).rejects.toMatchObject({ reason: 'es9p' });
      await lpa.download({ activationCode: ac(services(), 'WEBLPA-REUSABLE'), confirm: yes });
      await lpa.memoryReset({ deleteFieldLoadedTestProfiles: true, resetDefaultSmdpAddress: true });
      expect(await lpa.listProfiles()).toEqual([]);
      expect((await lpa.getConfiguredAddresses()).defaultDpAddress).toBeUndefined();
    } finally {
      await w.close();
    }
  });

  it('SM-DS discovery finds the event for this EID and the download from it installs', async () => {
    const w = makeWorld(services());
    try {
      const { lpa, euicc } = w;
      const eventId = services().core.registerEvent({ eid: euicc.eid, eventId: 'WEBLPA-REUSABLE' });
      const found = await lpa.discovery({ smdsAddress: services().smdsAddress });
      expect(found.events).toContainEqual({ eventId, rspServerAddress: services().smdpAddress });
      const event = found.events.find((e) => e.eventId === eventId)!;
      await lpa.downloadFromEvent(event, { confirm: yes });
      expect((await lpa.listProfiles()).length).toBe(1);
    } finally {
      await w.close();
    }
  });
});
