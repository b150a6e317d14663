/**
 * Classification of IP addresses the relay must never connect to unless explicitly allowed:
 * loopback, private, link-local, unique-local, multicast, reserved and documentation ranges
 * (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890). IPv6 forms that embed an
 * IPv4 address (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by
 * the embedded address, so a private IPv4 target cannot hide inside an IPv6 literal.
 * Pure code: runs on Node and edge runtimes.
 */

/** Parses dotted-quad IPv4 text (no leading zeros, no shorthand) into 4 bytes. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Parses IPv6 text (with `::` compression and an optional dotted IPv4 tail) into 16 bytes. */
export function parseIpv6(text: string): Uint8Array | undefined {
  let t = text;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (!v4) return undefined;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
        groups.push(parseInt(item, 16));
      }
    }
    return groups;
  };
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function inV4(a: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((a[byte]! & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

/** IPv4 ranges that are not globally reachable unicast (RFC 6890 and successors). */
const V4_BLOCKED: readonly (readonly [readonly number[], number, string])[] = [
  [[0], 8, 'this network'],
  [[10], 8, 'private'],
  [[100, 64], 10, 'shared address space (CGN)'],
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'IETF protocol assignments'],
  [[192, 0, 2], 24, 'documentation'],
  [[192, 88, 99], 24, '6to4 relay anycast'],
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'benchmarking'],
  [[198, 51, 100], 24, 'documentation'],
  [[203, 0, 113], 24, 'documentation'],
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'],
];

function classifyV4(a: Uint8Array): string | undefined {
  for (const [prefix, bits, name] of V4_BLOCKED) if (inV4(a, prefix, bits)) return name;
  return undefined;
}

/**
 * Why an address is not a public unicast target, or undefined when it is. Unparseable text
 * is reported as 'not an IP address' (callers treat that as blocked).
 */
export function blockedAddressReason(address: string): string | undefined {
  const v4 = parseIpv4(address);
  if (v4) return classifyV4(v4);
  const v6 = parseIpv6(address);
  if (!v6) return 'not an IP address';
  const zeroUpTo = (n: number): boolean => v6.subarray(0, n).every((b) => b === 0);
  if (zeroUpTo(15) && v6[15] === 0) return 'unspecified';
  if (zeroUpTo(15) && v6[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (deprecated IPv4-compatible).
  if (zeroUpTo(10) && v6[10] === 0xff && v6[11] === 0xff) return classifyV4(v6.subarray(12));
  if (zeroUpTo(12)) return classifyV4(v6.subarray(12)) ?? 'IPv4-compatible';
  // 64:ff9b::/96 NAT64 well-known prefix (RFC 6052) embeds the IPv4 target.
  if (
    v6[0] === 0 &&
    v6[1] === 0x64 &&
    v6[2] === 0xff &&
    v6[3] === 0x9b &&
    v6.subarray(4, 12).every((b) => b === 0)
  )
    return classifyV4(v6.subarray(12));
  // 64:ff9b:1::/48 local-use NAT64 (RFC 8215).
  if (
    v6[0] === 0 &&
    v6[1] === 0x64 &&
    v6[2] === 0xff &&
    v6[3] === 0x9b &&
    v6[4] === 0 &&
    v6[5] === 1
  )
    return 'local-use NAT64';
  // 2002::/16 6to4 embeds an IPv4 address in bits 16..47.
  if (v6[0] === 0x20 && v6[1] === 0x02) return classifyV4(v6.subarray(2, 6));
  if ((v6[0]! & 0xfe) === 0xfc) return 'unique-local';
  if (v6[0] === 0xfe && (v6[1]! & 0xc0) === 0x80) return 'link-local';
  if (v6[0] === 0xfe && (v6[1]! & 0xc0) === 0xc0) return 'site-local';
  if (v6[0] === 0xff) return 'multicast';
  if (v6[0] === 0x20 && v6[1] === 0x01 && v6[2] === 0x0d && v6[3] === 0xb8) return 'documentation';
  if (v6[0] === 0x01 && v6.subarray(1, 8).every((b) => b === 0)) return 'discard-only';
  // 2001::/23 IETF protocol assignments (Teredo 2001::/32 included).
  if (v6[0] === 0x20 && v6[1] === 0x01 && (v6[2]! & 0xfe) === 0) return 'IETF protocol assignments';
  return undefined;
}

/** True for IPv4 or IPv6 literal text. */
export function isIpLiteral(text: string): boolean {
  return parseIpv4(text) !== undefined || parseIpv6(text) !== undefined;
}
