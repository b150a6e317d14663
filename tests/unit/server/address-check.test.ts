import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIP } from 'node:net';
import {
  ADDRESS_POLICY,
  blockedAddressReason,
  classifyAddress,
  isIpLiteral,
  looksNumeric,
  parseIpv4,
  parseIpv6,
} from '../../../src/server/relay/address-check.ts';

// The policy function only: nothing here resolves or connects.

// One address inside each special-purpose range (IANA IPv4 and IPv6 Special-Purpose Address
// Registries), and the reason the relay gives for refusing it.
const REFUSED_V4: [string, string][] = [
  ['0.1.2.3', 'this network'],
  ['0.0.0.0', 'this host on this network'],
  ['10.1.2.3', 'private'],
  ['100.64.0.1', 'shared address space (CGN)'],
  ['100.127.255.255', 'shared address space (CGN)'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.0.0.100', 'IETF protocol assignments'],
  ['192.0.0.1', 'IPv4 service continuity prefix'],
  ['192.0.0.8', 'IPv4 dummy address'],
  ['192.0.0.9', 'PCP anycast'],
  ['192.0.0.10', 'TURN anycast'],
  ['192.0.0.170', 'NAT64/DNS64 discovery'],
  ['192.0.0.171', 'NAT64/DNS64 discovery'],
  ['192.0.2.1', 'documentation (TEST-NET-1)'],
  ['192.31.196.1', 'AS112-v4'],
  ['192.52.193.1', 'AMT'],
  ['192.88.99.1', 'deprecated 6to4 relay anycast'],
  ['192.88.99.2', '6a44 relay anycast'],
  ['192.168.0.1', 'private'],
  ['192.175.48.1', 'AS112 direct delegation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.51.100.7', 'documentation (TEST-NET-2)'],
  ['203.0.113.9', 'documentation (TEST-NET-3)'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'limited broadcast'],
];

const REFUSED_V6: [string, string][] = [
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['100::1', 'discard-only'],
  ['100:0:0:1::1', 'dummy IPv6 prefix'],
  ['64:ff9b:1::a00:1', 'local-use NAT64'],
  ['64:ff9b:1::8.8.8.8', 'local-use NAT64'],
  ['2001:100::1', 'IETF protocol assignments'],
  ['2001:1::1', 'PCP anycast'],
  ['2001:1::2', 'TURN anycast'],
  ['2001:1::3', 'DNS-SD SRP anycast'],
  ['2001:2::1', 'benchmarking'],
  ['2001:3::1', 'AMT'],
  ['2001:4:112::1', 'AS112-v6'],
  ['2001:10::1', 'ORCHID (deprecated)'],
  ['2001:20::1', 'ORCHIDv2'],
  ['2001:30::1', 'drone remote ID'],
  ['2001:db8::1', 'documentation'],
  ['2620:4f:8000::1', 'AS112 direct delegation'],
  ['3fff::1', 'documentation'],
  ['3fff:fff:ffff::1', 'documentation'],
  ['5f00::1', 'SRv6 SIDs'],
  ['5f00:ffff::1', 'SRv6 SIDs'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456::1', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'site-local (deprecated)'],
  ['ff02::1', 'multicast'],
  ['4000::1', 'reserved (outside global unicast)'],
  ['e000::1', 'reserved (outside global unicast)'],
];

// IPv6 forms that carry an IPv4 address, judged by that address.
const REFUSED_EMBEDDED: [string, string][] = [
  // IPv4-mapped ::ffff:0:0/96
  ['::ffff:127.0.0.1', 'loopback (in IPv4-mapped)'],
  ['::ffff:7f00:1', 'loopback (in IPv4-mapped)'],
  ['[::ffff:7f00:1]', 'loopback (in IPv4-mapped)'],
  ['::ffff:10.0.0.1', 'private (in IPv4-mapped)'],
  ['::ffff:169.254.169.254', 'link-local (in IPv4-mapped)'],
  ['0:0:0:0:0:ffff:c0a8:101', 'private (in IPv4-mapped)'],
  // IPv4-translated ::ffff:0:0:0/96 (refused whatever it carries)
  ['::ffff:0:7f00:1', 'loopback (in IPv4-translated)'],
  ['[::ffff:0:7f00:1]', 'loopback (in IPv4-translated)'],
  ['::ffff:0:127.0.0.1', 'loopback (in IPv4-translated)'],
  ['[::ffff:0:127.0.0.1]', 'loopback (in IPv4-translated)'],
  ['::ffff:0:8.8.8.8', 'IPv4-translated'],
  // IPv4-compatible ::/96 (deprecated; refused whatever it carries)
  ['::127.0.0.1', 'loopback (in IPv4-compatible)'],
  ['::7f00:1', 'loopback (in IPv4-compatible)'],
  ['::10.0.0.1', 'private (in IPv4-compatible)'],
  ['::8.8.8.8', 'IPv4-compatible'],
  // NAT64 well-known prefix 64:ff9b::/96
  ['64:ff9b::a00:1', 'private (in NAT64)'],
  ['64:ff9b::10.0.0.1', 'private (in NAT64)'],
  ['64:ff9b::127.0.0.1', 'loopback (in NAT64)'],
  ['64:ff9b::a9fe:a9fe', 'link-local (in NAT64)'],
  // 6to4 2002::/16
  ['2002:c0a8:0101::1', 'private (in 6to4)'],
  ['2002:7f00:1::1', 'loopback (in 6to4)'],
  ['2002:a9fe:a9fe::', 'link-local (in 6to4)'],
  // Teredo 2001::/32: server, then the client's address inverted (refused whatever it carries)
  ['2001:0:808:808::80ff:fffe', 'loopback (in Teredo)'],
  ['2001:0:7f00:1::f7f7:f7f7', 'loopback (in Teredo)'],
  ['2001:0:808:808::fefe:fefe', 'Teredo'],
];

const PUBLIC: string[] = [
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '192.0.1.1',
  '192.88.98.1',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2a00:1450:4001::200e',
  '2001:200::1',
  '3fff:1000::1',
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

describe('address policy', () => {
  it.each([...REFUSED_V4, ...REFUSED_V6, ...REFUSED_EMBEDDED])('%s is %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
    expect(classifyAddress(address)?.allowed).toBe(false);
  });

  it.each(PUBLIC)('%s is allowed', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
    expect(classifyAddress(address)?.allowed).toBe(true);
  });

  it('judges each embedded address on its own', () => {
    const teredo = classifyAddress('2001:0:808:808::80ff:fffe')!;
    expect(teredo.row.range).toBe('2001::/32');
    expect(teredo.embedded.map((e) => [e.address, e.row.name])).toEqual([
      ['8.8.8.8', 'public unicast'],
      ['127.0.0.1', 'loopback'],
    ]);
    const mapped = classifyAddress('[::FFFF:127.0.0.1]')!;
    expect(mapped.address).toBe('::ffff:7f00:1');
    expect(mapped.embedded[0]!.address).toBe('127.0.0.1');
  });

  it('has one readable row per range, every one of them parseable', () => {
    const ranges = ADDRESS_POLICY.map((r) => r.range);
    expect(new Set(ranges).size).toBe(ranges.length);
    // Every refused row is exercised by the tables above.
    const hit = new Set(
      [...REFUSED_V4, ...REFUSED_V6, ...REFUSED_EMBEDDED].map(([a]) => classifyAddress(a)!.row),
    );
    const untested = ADDRESS_POLICY.filter((r) => !r.allowed && !hit.has(r)).map((r) => r.range);
    expect(untested).toEqual([]);
  });

  it('refuses text that is not a canonical address', () => {
    for (const text of [
      'example.com',
      '1.2.3.256',
      '01.2.3.4',
      '0127.0.0.1',
      '0x7f.1',
      '0x7f000001',
      '127.1',
      '127.0.1',
      '2130706433',
      '127.0.0.01',
      ' 127.0.0.1',
      '1::2::3',
      '::ffff:0127.0.0.1',
      '::ffff:0x7f.0.0.1',
      '::ffff:127.1',
      '1.2.3.4::',
      '12345::',
      '1:2:3:4:5:6:7:8:9',
      ':1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:',
      '',
    ]) {
      expect(blockedAddressReason(text), text).toBe('not an IP address');
      expect(isIpLiteral(text), text).toBe(false);
    }
  });

  it('reads ::a.b.c.d as IPv4-compatible, not IPv4-mapped', () => {
    expect(parseIpv6('::1.2.3.4')).toEqual(
      Uint8Array.from([...new Array<number>(12).fill(0), 1, 2, 3, 4]),
    );
    expect(classifyAddress('::1.2.3.4')?.row.name).toBe('IPv4-compatible');
  });
});

describe('looksNumeric', () => {
  it.each([
    '0127.0.0.1',
    '0x7f.1',
    '0x7f.0.0.1',
    '0X7F.0.0.1',
    '127.1',
    '127.0.1',
    '2130706433',
    '017700000001',
    '0x7f000001',
    '127.0.0.01',
    '127.0.0.1.',
    '1.2.3.4.5',
    'host.123',
    'host.0x1f',
  ])('%s may be read as a number', (host) => {
    expect(looksNumeric(host)).toBe(true);
  });
  it.each(['127.0.0.1', '8.8.8.8', 'example.com', 'smdp.example.com', '1e100.net', '0x7f.example'])(
    '%s is not',
    (host) => {
      expect(looksNumeric(host)).toBe(false);
    },
  );
});

describe('parsing agrees with node:net', () => {
  it('parses every IPv4 address in canonical form', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(parseIpv4(ip)).toEqual(Uint8Array.from(ip.split('.').map(Number)));
      }),
    );
  });
  it('parses every IPv6 form node:net accepts', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(isIP(ip)).toBe(6);
        expect(parseIpv6(ip)).toBeDefined();
      }),
    );
  });
  it('accepts exactly the literals node:net accepts', () => {
    const piece = fc.constantFrom(
      '0',
      '1',
      'f',
      'ff',
      'ffff',
      '12345',
      'g',
      ':',
      '::',
      '.',
      '1.2.3.4',
      '0127.0.0.1',
      '255',
      '256',
      '01',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const s = pieces.join('');
        expect(parseIpv6(s) !== undefined, s).toBe(isIP(s) === 6);
        expect(parseIpv4(s) !== undefined, s).toBe(isIP(s) === 4);
      }),
      { numRuns: 5000 },
    );
  });
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = blockedAddressReason(s);
        expect(r === undefined || typeof r === 'string').toBe(true);
        looksNumeric(s);
      }),
    );
  });
});
