import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIP } from 'node:net';
import {
  blockedAddressReason,
  parseIpv4,
  parseIpv6,
} from '../../../src/server/relay/address-check.ts';

// Ranges: IANA IPv4/IPv6 Special-Purpose Address Registries (RFC 6890, RFC 4193, RFC 4291).
describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared address space (CGN)'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
  ])('%s is %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it('treats text that is not an address as blocked', () => {
    expect(blockedAddressReason('example.com')).toBe('not an IP address');
    expect(blockedAddressReason('1.2.3.256')).toBe('not an IP address');
    expect(blockedAddressReason('01.2.3.4')).toBe('not an IP address');
    expect(blockedAddressReason('1::2::3')).toBe('not an IP address');
  });

  // Independent check: Node's parser agrees on what is an IPv4/IPv6 literal.
  it('parses exactly what node:net accepts (IPv4)', () => {
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
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = blockedAddressReason(s);
        expect(r === undefined || typeof r === 'string').toBe(true);
      }),
    );
  });
});
