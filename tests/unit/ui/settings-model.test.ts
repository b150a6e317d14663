import { describe, it, expect } from 'vitest';
import {
  DEFAULT_SETTINGS,
  SettingsError,
  exportSettingsJson,
  importSettingsJson,
  localServicesConfig,
  mergeSettings,
  parseConfig,
  parsePartialSettings,
  parseQuery,
} from '../../../src/ui/state/settings-model.ts';

describe('settings validation', () => {
  it.each([
    [{ route: 'carrier-pigeon' }, 'route'],
    [{ relayUrl: 'ftp://x' }, 'relayUrl'],
    [{ relayUrl: 'not a url' }, 'relayUrl'],
    [{ overrides: { 'bad host!': 'http://x' } }, 'overrides'],
    [{ overrides: { 'a.example': 5 } }, 'overrides'],
    [{ tac: '1234' }, 'tac'],
    [{ imei: '12345' }, 'imei'],
    [{ isdrAid: 'A00' }, 'isdrAid'],
    [{ isdrAid: 'XYZ0000000' }, 'isdrAid'],
    [{ storeDataBlock: 300 }, 'storeDataBlock'],
    [{ storeDataBlock: 8 }, 'storeDataBlock'],
    [{ autoSendNotifications: 'yes' }, 'autoSendNotifications'],
    [{ smdsAddress: 'has space.example' }, 'smdsAddress'],
    [{ notificationPolicy: { enable: 'maybe' } }, 'notificationPolicy'],
    [{ notificationPolicy: { reboot: 'send' } }, 'notificationPolicy'],
    [{ notificationPolicy: 'send' }, 'notificationPolicy'],
    [{ theme: 'sepia' }, 'theme'],
  ])('rejects %j naming the field %s', (input, field) => {
    try {
      parsePartialSettings(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SettingsError);
      expect((e as SettingsError).field).toBe(field);
    }
  });

  it('notification policy: kinds left out keep the default; the old switch maps to every kind', () => {
    expect(DEFAULT_SETTINGS.notificationPolicy).toEqual({
      install: 'send',
      enable: 'keep',
      disable: 'keep',
      delete: 'send',
    });
    expect(parsePartialSettings({ notificationPolicy: { enable: 'send' } })).toEqual({
      notificationPolicy: { install: 'send', enable: 'send', disable: 'keep', delete: 'send' },
    });
    expect(parsePartialSettings({ autoSendNotifications: false })).toEqual({
      notificationPolicy: { install: 'send', enable: 'keep', disable: 'keep', delete: 'keep' },
    });
    expect(parsePartialSettings({ autoSendNotifications: true })).toEqual({
      notificationPolicy: { install: 'send', enable: 'send', disable: 'send', delete: 'send' },
    });
    // Both present (an export from this version read back): the policy wins.
    expect(
      parsePartialSettings({
        autoSendNotifications: false,
        notificationPolicy: { delete: 'keep' },
      }),
    ).toEqual({
      notificationPolicy: { install: 'send', enable: 'keep', disable: 'keep', delete: 'keep' },
    });
    const round = importSettingsJson(exportSettingsJson({ ...DEFAULT_SETTINGS, theme: 'dark' }));
    expect(round.notificationPolicy).toEqual(DEFAULT_SETTINGS.notificationPolicy);
    expect(round.theme).toBe('dark');
  });

  it('normalises valid values', () => {
    expect(
      parsePartialSettings({
        relayUrl: ' https://relay.example.org/ ',
        overrides: { 'SMDP.Example.com:8443': 'http://127.0.0.1:8000/' },
        isdrAid: 'a0000005591010ffffffff8900000100',
        storeDataBlock: 0,
      }),
    ).toEqual({
      relayUrl: 'https://relay.example.org',
      overrides: { 'smdp.example.com:8443': 'http://127.0.0.1:8000' },
      isdrAid: 'A0000005591010FFFFFFFF8900000100',
      storeDataBlock: 0,
    });
  });

  it('knows the routes; Automatic is the default', () => {
    expect(DEFAULT_SETTINGS.route).toBe('auto');
    for (const route of ['auto', 'direct', 'relay'])
      expect(parsePartialSettings({ route })).toEqual({ route });
    expect(parseQuery('?route=auto').settings).toEqual({ route: 'auto' });
  });

  it('merges overrides per address, the later source winning', () => {
    const merged = mergeSettings(
      { ...DEFAULT_SETTINGS, overrides: { a: '1', b: '2' } },
      { overrides: { b: '3' }, tac: '11112222' },
    );
    expect(merged.overrides).toEqual({ a: '1', b: '3' });
    expect(merged.tac).toBe('11112222');
  });
});

describe('config.json and the URL query', () => {
  it('reads the shape npm start serves', () => {
    const c = parseConfig({
      es9p: {
        overrides: { 'testsmdpplus1.example.com': 'http://127.0.0.1:8000' },
        relayUrl: 'http://127.0.0.1:8001',
      },
      demoActivationCodes: [{ label: 'Plain', code: 'LPA:1$a.example$X' }, { bogus: 1 }],
    });
    expect(c.settings.overrides).toEqual({ 'testsmdpplus1.example.com': 'http://127.0.0.1:8000' });
    expect(c.settings.relayUrl).toBe('http://127.0.0.1:8001');
    expect(c.demoCodes).toEqual([{ label: 'Plain', code: 'LPA:1$a.example$X' }]);
  });

  it('reads back what localServicesConfig (npm start) writes', () => {
    const config = localServicesConfig({
      smdpAddress: 'testsmdpplus1.example.com',
      smdpUrl: 'http://127.0.0.1:8000',
      smdsAddress: 'testsmds1.example.com',
      relayUrl: 'http://127.0.0.1:8001/es9p',
      activationCodes: [{ label: 'Plain', code: 'LPA:1$testsmdpplus1.example.com$P' }],
    });
    // Through JSON, as the browser receives it.
    const c = parseConfig(JSON.parse(JSON.stringify(config)));
    expect(c.settings.overrides).toEqual({
      'testsmdpplus1.example.com': 'http://127.0.0.1:8000',
      'testsmds1.example.com': 'http://127.0.0.1:8000',
    });
    expect(c.settings.relayUrl).toBe('http://127.0.0.1:8001/es9p');
    // The file leaves the route alone: the default (Automatic) or the user's choice applies.
    expect(c.settings.route).toBeUndefined();
    expect(c.settings.smdsAddress).toBe('testsmds1.example.com');
    expect(c.demoCodes).toEqual([{ label: 'Plain', code: 'LPA:1$testsmdpplus1.example.com$P' }]);
  });

  it('reads relay, overrides, kiosk and a prefilled code from the query', () => {
    const q = parseQuery(
      '?relay=https%3A%2F%2Frelay.example.org&override=a.example%3Dhttp%3A%2F%2F127.0.0.1%3A9&kiosk=1&ac=LPA%3A1%24a.example%24X',
    );
    expect(q.settings).toEqual({
      relayUrl: 'https://relay.example.org',
      route: 'relay',
      overrides: { 'a.example': 'http://127.0.0.1:9' },
    });
    expect(q.kiosk).toBe(true);
    expect(q.activationCode).toBe('LPA:1$a.example$X');
    expect(() => parseQuery('?override=nohost')).toThrow(SettingsError);
  });

  it('export then import gives the same settings; junk files are refused', () => {
    const s = {
      ...DEFAULT_SETTINGS,
      imei: '352906110000006',
      overrides: { 'a.example': 'http://x.example' },
    };
    expect(importSettingsJson(exportSettingsJson(s))).toEqual(s);
    expect(() => importSettingsJson('{nope')).toThrow(SettingsError);
    expect(() => importSettingsJson('[1,2]')).toThrow(SettingsError);
  });
});
