import { describe, it, expect } from 'vitest';
import {
  findOverride,
  normaliseAddress,
  parseServerAddress,
  resolveEndpoint,
  type Es9pRoute,
} from '../../../src/es9p/endpoint.ts';
import { Es9pTransportError } from '../../../src/es9p/errors.ts';

// URL forms: docs/protocol.md §4.1 (direct) and the relay scheme documented in src/es9p/endpoint.ts,
// which src/server/relay/relay.ts parses.

describe('parseServerAddress', () => {
  it('splits host and port', () => {
    expect(parseServerAddress('smdp.example.com')).toEqual({ host: 'smdp.example.com' });
    expect(parseServerAddress('smdp.example.com:8443')).toEqual({
      host: 'smdp.example.com',
      port: 8443,
    });
    expect(parseServerAddress('[2001:db8::1]:444')).toEqual({ host: '[2001:db8::1]', port: 444 });
    expect(parseServerAddress(' 192.0.2.1 ')).toEqual({ host: '192.0.2.1' });
  });

  for (const bad of [
    '',
    'smdp example.com',
    'smdp.example.com/path',
    'https://smdp.example.com',
    'smdp.example.com:0',
    'smdp.example.com:99999',
    'smdp.example.com:',
    '-x.example.com',
    'a..b',
    'user@smdp.example.com',
    '[zz::1]',
  ]) {
    it(`refuses ${JSON.stringify(bad)} with badAddress`, () => {
      let caught: unknown;
      try {
        parseServerAddress(bad, 'initiateAuthentication');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(Es9pTransportError);
      expect((caught as Es9pTransportError).reason).toBe('badAddress');
      expect((caught as Es9pTransportError).functionName).toBe('initiateAuthentication');
    });
  }
});

describe('resolveEndpoint', () => {
  it('direct: https://<address>/gsma/rsp2/es9plus/<fn>', () => {
    expect(
      resolveEndpoint({ kind: 'direct' }, 'smdp.example.com', 'initiateAuthentication'),
    ).toEqual({
      url: 'https://smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication',
      via: 'direct',
    });
    expect(
      resolveEndpoint({ kind: 'direct' }, 'smdp.example.com:8443', 'authenticateClient').url,
    ).toBe('https://smdp.example.com:8443/gsma/rsp2/es9plus/authenticateClient');
    // Port 443 is the default and is left out.
    expect(resolveEndpoint({ kind: 'direct' }, 'smdp.example.com:443', 'cancelSession').url).toBe(
      'https://smdp.example.com/gsma/rsp2/es9plus/cancelSession',
    );
  });

  it('direct with the es11 interface', () => {
    expect(
      resolveEndpoint({ kind: 'direct' }, 'lpa.ds.example', 'authenticateClient', 'es11').url,
    ).toBe('https://lpa.ds.example/gsma/rsp2/es11/authenticateClient');
  });

  it('relay: <relay>/es9p/<host[:port]>/gsma/rsp2/<iface>/<fn>', () => {
    const cases: [string, string][] = [
      ['https://relay.example.org/es9p', 'https://relay.example.org/es9p'],
      ['https://relay.example.org/es9p/', 'https://relay.example.org/es9p'],
      ['https://relay.example.org', 'https://relay.example.org/es9p'],
      ['https://relay.example.org/', 'https://relay.example.org/es9p'],
      ['http://127.0.0.1:8081/relay', 'http://127.0.0.1:8081/relay/es9p'],
      ['http://127.0.0.1:8081/relay/es9p?x=1#y', 'http://127.0.0.1:8081/relay/es9p'],
    ];
    for (const [relayUrl, base] of cases) {
      const route: Es9pRoute = { kind: 'relay', relayUrl };
      expect(resolveEndpoint(route, 'smdp.example.com', 'getBoundProfilePackage')).toEqual({
        url: `${base}/smdp.example.com/gsma/rsp2/es9plus/getBoundProfilePackage`,
        via: 'relay',
      });
    }
    expect(
      resolveEndpoint(
        { kind: 'relay', relayUrl: 'https://r.example/es9p' },
        'smdp.example.com:8443',
        'initiateAuthentication',
        'es11',
      ).url,
    ).toBe('https://r.example/es9p/smdp.example.com:8443/gsma/rsp2/es11/initiateAuthentication');
  });

  it('overrides win over the route, case-insensitively, with :443 equal to no port', () => {
    const overrides = {
      'TestSMDPplus1.example.com': 'http://127.0.0.1:8000',
      'other.example.com:8443': 'https://10.0.0.1:9000/prefix/',
    };
    for (const route of [
      { kind: 'direct', overrides },
      { kind: 'relay', relayUrl: 'https://relay.example.org', overrides },
    ] satisfies Es9pRoute[]) {
      expect(resolveEndpoint(route, 'testsmdpplus1.EXAMPLE.com', 'handleNotification')).toEqual({
        url: 'http://127.0.0.1:8000/gsma/rsp2/es9plus/handleNotification',
        via: 'override',
      });
      expect(resolveEndpoint(route, 'testsmdpplus1.example.com:443', 'cancelSession').url).toBe(
        'http://127.0.0.1:8000/gsma/rsp2/es9plus/cancelSession',
      );
      expect(resolveEndpoint(route, 'other.example.com:8443', 'authenticateClient').url).toBe(
        'https://10.0.0.1:9000/prefix/gsma/rsp2/es9plus/authenticateClient',
      );
      // A different port is a different server: no override.
      expect(resolveEndpoint(route, 'other.example.com', 'authenticateClient').via).toBe(
        route.kind,
      );
    }
  });

  it('refuses a bad relay URL or override with badAddress', () => {
    const bad: Es9pRoute[] = [
      { kind: 'relay', relayUrl: 'not a url' },
      { kind: 'relay', relayUrl: 'ftp://relay.example.org' },
      { kind: 'direct', overrides: { 'smdp.example.com': 'javascript:alert(1)' } },
    ];
    for (const route of bad) {
      expect(() => resolveEndpoint(route, 'smdp.example.com', 'initiateAuthentication')).toThrow(
        expect.objectContaining({ name: 'Es9pTransportError', reason: 'badAddress' }) as Error,
      );
    }
  });

  it('normaliseAddress and findOverride', () => {
    expect(normaliseAddress(' SMDP.Example.COM:443 ')).toBe('smdp.example.com');
    expect(normaliseAddress('smdp.example.com:4430')).toBe('smdp.example.com:4430');
    expect(findOverride(undefined, 'a.example')).toBeUndefined();
    expect(findOverride({ 'A.example': 'http://x' }, 'a.EXAMPLE')).toBe('http://x');
  });
});

describe('the automatic route', () => {
  const overrides = { 'testsmdpplus1.example.com': 'http://127.0.0.1:8000' };

  it('sends an overridden address to its override and every other address through the relay', () => {
    const route: Es9pRoute = { kind: 'auto', relayUrl: 'https://relay.example.org', overrides };
    expect(
      resolveEndpoint(route, 'TestSmdpPlus1.example.com:443', 'initiateAuthentication'),
    ).toEqual({
      url: 'http://127.0.0.1:8000/gsma/rsp2/es9plus/initiateAuthentication',
      via: 'override',
    });
    expect(resolveEndpoint(route, 'smdp.operator.example', 'initiateAuthentication')).toEqual({
      url: 'https://relay.example.org/es9p/smdp.operator.example/gsma/rsp2/es9plus/initiateAuthentication',
      via: 'relay',
    });
    expect(resolveEndpoint(route, 'lpa.ds.example:8443', 'authenticateClient', 'es11').url).toBe(
      'https://relay.example.org/es9p/lpa.ds.example:8443/gsma/rsp2/es11/authenticateClient',
    );
  });

  it('never goes direct: without a relay URL an address with no override fails with noRelay', () => {
    for (const route of [
      { kind: 'auto', overrides },
      { kind: 'auto', relayUrl: '', overrides },
      { kind: 'auto', relayUrl: '   ' },
    ] satisfies Es9pRoute[]) {
      let error: unknown;
      try {
        resolveEndpoint(route, 'smdp.operator.example', 'initiateAuthentication');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Es9pTransportError);
      const e = error as Es9pTransportError;
      expect(e.reason).toBe('noRelay');
      expect(e.functionName).toBe('initiateAuthentication');
      expect(e.url).toBeUndefined();
      expect(e.message).toMatch(/smdp\.operator\.example/);
      expect(e.message).toMatch(/relay URL/);
    }
    // Overridden addresses still work without a relay.
    expect(
      resolveEndpoint({ kind: 'auto', overrides }, 'testsmdpplus1.example.com', 'cancelSession')
        .via,
    ).toBe('override');
  });

  it('refuses a relay URL that is not http(s) with badAddress', () => {
    expect(() =>
      resolveEndpoint(
        { kind: 'auto', relayUrl: 'ftp://relay.example.org' },
        'smdp.operator.example',
        'initiateAuthentication',
      ),
    ).toThrow(expect.objectContaining({ reason: 'badAddress' }) as Error);
  });
});
