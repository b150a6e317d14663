/**
 * Which IP addresses the relay may connect to. The policy is one table, below: every range of
 * the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates), plus
 * multicast, the deprecated site-local and IPv4-compatible forms, and the rule that IPv6 outside
 * global unicast (2000::/3) is reserved. The most specific matching row decides. Rows that carry
 * an IPv4 address inside an IPv6 one (IPv4-mapped, IPv4-translated, IPv4-compatible, NAT64,
 * 6to4, Teredo) also judge the embedded address, so a private IPv4 target cannot hide inside an
 * IPv6 literal.
 *
 * Parsing uses ipaddr.js behind a strict gate: only the canonical dotted quad is IPv4 text
 * (`0127.0.0.1`, `0x7f.1`, `127.1` and `2130706433` are not addresses here), and IPv6 text must
 * follow RFC 4291 §2.2 exactly. Host names that a resolver could still read as a number are
 * recognised by `looksNumeric`, so callers refuse them before any lookup.
 * Pure code: runs on Node and edge runtimes.
 */
import ipaddr from 'ipaddr.js';

/** One row of the address policy. */
export interface AddressPolicyRow {
  /** CIDR notation. */
  readonly range: string;
  readonly name: string;
  /** May the relay connect to an address whose most specific match is this row? */
  readonly allowed: boolean;
  /** Where an embedded IPv4 address sits (byte offsets into the 16 IPv6 bytes), if any. */
  readonly embeds?: EmbeddedIpv4;
}

/** How an IPv6 range carries IPv4 addresses. */
export type EmbeddedIpv4 =
  | 'last32' // ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d
  | '6to4' // 2002:AABB:CCDD::/48 (RFC 3056 §2)
  | 'teredo'; // 2001:0:SSSS:SSSS:flags:port:~CCCC:~CCCC (RFC 4380 §4), server and client

/**
 * The relay's address policy (IANA special-purpose registries as of 2025). Everything special is
 * refused, including the globally reachable anycast services (PCP, TURN, AS112, AMT): an SM-DP+
 * is never one of them. Allowed: ordinary unicast, and the IPv6 forms whose embedded IPv4
 * address is itself allowed (IPv4-mapped, the NAT64 well-known prefix a DNS64 resolver answers
 * with, 6to4).
 */
export const ADDRESS_POLICY: readonly AddressPolicyRow[] = [
  // IPv4
  { range: '0.0.0.0/0', name: 'public unicast', allowed: true },
  { range: '0.0.0.0/8', name: 'this network', allowed: false }, // RFC 791
  { range: '0.0.0.0/32', name: 'this host on this network', allowed: false }, // RFC 1122
  { range: '10.0.0.0/8', name: 'private', allowed: false }, // RFC 1918
  { range: '100.64.0.0/10', name: 'shared address space (CGN)', allowed: false }, // RFC 6598
  { range: '127.0.0.0/8', name: 'loopback', allowed: false }, // RFC 1122
  { range: '169.254.0.0/16', name: 'link-local', allowed: false }, // RFC 3927
  { range: '172.16.0.0/12', name: 'private', allowed: false }, // RFC 1918
  { range: '192.0.0.0/24', name: 'IETF protocol assignments', allowed: false }, // RFC 6890
  { range: '192.0.0.0/29', name: 'IPv4 service continuity prefix', allowed: false }, // RFC 7335
  { range: '192.0.0.8/32', name: 'IPv4 dummy address', allowed: false }, // RFC 7600
  { range: '192.0.0.9/32', name: 'PCP anycast', allowed: false }, // RFC 7723
  { range: '192.0.0.10/32', name: 'TURN anycast', allowed: false }, // RFC 8155
  { range: '192.0.0.170/31', name: 'NAT64/DNS64 discovery', allowed: false }, // RFC 8880
  { range: '192.0.2.0/24', name: 'documentation (TEST-NET-1)', allowed: false }, // RFC 5737
  { range: '192.31.196.0/24', name: 'AS112-v4', allowed: false }, // RFC 7535
  { range: '192.52.193.0/24', name: 'AMT', allowed: false }, // RFC 7450
  { range: '192.88.99.0/24', name: 'deprecated 6to4 relay anycast', allowed: false }, // RFC 7526
  { range: '192.88.99.2/32', name: '6a44 relay anycast', allowed: false }, // RFC 6751
  { range: '192.168.0.0/16', name: 'private', allowed: false }, // RFC 1918
  { range: '192.175.48.0/24', name: 'AS112 direct delegation', allowed: false }, // RFC 7534
  { range: '198.18.0.0/15', name: 'benchmarking', allowed: false }, // RFC 2544
  { range: '198.51.100.0/24', name: 'documentation (TEST-NET-2)', allowed: false }, // RFC 5737
  { range: '203.0.113.0/24', name: 'documentation (TEST-NET-3)', allowed: false }, // RFC 5737
  { range: '224.0.0.0/4', name: 'multicast', allowed: false }, // RFC 5771
  { range: '240.0.0.0/4', name: 'reserved', allowed: false }, // RFC 1112
  { range: '255.255.255.255/32', name: 'limited broadcast', allowed: false }, // RFC 919

  // IPv6
  { range: '::/0', name: 'reserved (outside global unicast)', allowed: false }, // RFC 4291
  { range: '2000::/3', name: 'global unicast', allowed: true }, // RFC 4291 §2.4
  { range: '::/128', name: 'unspecified', allowed: false }, // RFC 4291
  { range: '::1/128', name: 'loopback', allowed: false }, // RFC 4291
  { range: '::/96', name: 'IPv4-compatible', allowed: false, embeds: 'last32' }, // RFC 4291 §2.5.5.1
  { range: '::ffff:0:0/96', name: 'IPv4-mapped', allowed: true, embeds: 'last32' }, // RFC 4291
  { range: '::ffff:0:0:0/96', name: 'IPv4-translated', allowed: false, embeds: 'last32' }, // RFC 2765
  { range: '64:ff9b::/96', name: 'NAT64', allowed: true, embeds: 'last32' }, // RFC 6052
  { range: '64:ff9b:1::/48', name: 'local-use NAT64', allowed: false }, // RFC 8215
  { range: '100::/64', name: 'discard-only', allowed: false }, // RFC 6666
  { range: '100:0:0:1::/64', name: 'dummy IPv6 prefix', allowed: false }, // RFC 9780
  { range: '2001::/23', name: 'IETF protocol assignments', allowed: false }, // RFC 2928
  { range: '2001::/32', name: 'Teredo', allowed: false, embeds: 'teredo' }, // RFC 4380
  { range: '2001:1::1/128', name: 'PCP anycast', allowed: false }, // RFC 7723
  { range: '2001:1::2/128', name: 'TURN anycast', allowed: false }, // RFC 8155
  { range: '2001:1::3/128', name: 'DNS-SD SRP anycast', allowed: false }, // RFC 9665
  { range: '2001:2::/48', name: 'benchmarking', allowed: false }, // RFC 5180
  { range: '2001:3::/32', name: 'AMT', allowed: false }, // RFC 7450
  { range: '2001:4:112::/48', name: 'AS112-v6', allowed: false }, // RFC 7535
  { range: '2001:10::/28', name: 'ORCHID (deprecated)', allowed: false }, // RFC 4843
  { range: '2001:20::/28', name: 'ORCHIDv2', allowed: false }, // RFC 7343
  { range: '2001:30::/28', name: 'drone remote ID', allowed: false }, // RFC 9374
  { range: '2001:db8::/32', name: 'documentation', allowed: false }, // RFC 3849
  { range: '2002::/16', name: '6to4', allowed: true, embeds: '6to4' }, // RFC 3056
  { range: '2620:4f:8000::/48', name: 'AS112 direct delegation', allowed: false }, // RFC 7534
  { range: '3fff::/20', name: 'documentation', allowed: false }, // RFC 9637
  { range: '5f00::/16', name: 'SRv6 SIDs', allowed: false }, // RFC 9602
  { range: 'fc00::/7', name: 'unique-local', allowed: false }, // RFC 4193
  { range: 'fe80::/10', name: 'link-local', allowed: false }, // RFC 4291
  { range: 'fec0::/10', name: 'site-local (deprecated)', allowed: false }, // RFC 3879
  { range: 'ff00::/8', name: 'multicast', allowed: false }, // RFC 4291
];

interface CompiledRow {
  readonly row: AddressPolicyRow;
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
  readonly bits: number;
}

const COMPILED: readonly CompiledRow[] = ADDRESS_POLICY.map((row) => {
  const [network, bits] = ipaddr.parseCIDR(row.range);
  return { row, network, bits };
});

/** How the policy judges one address. */
export interface AddressVerdict {
  /** Canonical text (RFC 5952 for IPv6, without a zone). */
  readonly address: string;
  readonly kind: 'ipv4' | 'ipv6';
  /** The most specific policy row containing the address. */
  readonly row: AddressPolicyRow;
  /** The IPv4 addresses the row embeds, each judged on its own. */
  readonly embedded: readonly AddressVerdict[];
  /** The row allows the address and so does every embedded address. */
  readonly allowed: boolean;
}

const CANONICAL_IPV4 = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function ipv4Of(text: string): ipaddr.IPv4 | undefined {
  if (!CANONICAL_IPV4.test(text) || !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return ipaddr.IPv4.parse(text);
}

/**
 * RFC 4291 §2.2 text, checked here because ipaddr.js is lenient (it reads `::1.2.3.4` as an
 * IPv4-mapped address and accepts octal or hex in an IPv4 tail). Returns pure hexadecimal text
 * (a dotted tail rewritten as two groups) for ipaddr.js to parse, or undefined.
 */
function strictIpv6Text(text: string): string | undefined {
  let t = text;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone >= 0) {
    if (!/^[0-9a-z._~-]+$/i.test(t.slice(zone + 1))) return undefined;
    t = t.slice(0, zone);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (side: string): string[] | undefined => {
    if (side === '') return [];
    const items = side.split(':');
    const out: string[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = ipv4Of(item);
        if (!v4) return undefined;
        const [a, b, c, d] = v4.octets as [number, number, number, number];
        out.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
      } else {
        if (!HEX_GROUP.test(item)) return undefined;
        out.push(item);
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // A dotted tail may only end the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  return halves.length === 2 ? `${head.join(':')}::${tail.join(':')}` : head.join(':');
}

function ipv6Of(text: string): ipaddr.IPv6 | undefined {
  const hex = strictIpv6Text(text);
  if (hex === undefined || !ipaddr.IPv6.isValid(hex)) return undefined;
  return ipaddr.IPv6.parse(hex);
}

/** Parses canonical dotted-quad IPv4 text (no leading zeros, no shorthand) into 4 bytes. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const a = ipv4Of(text);
  return a ? Uint8Array.from(a.toByteArray()) : undefined;
}

/**
 * Parses IPv6 text (RFC 4291 §2.2: `::` compression, an optional canonical dotted IPv4 tail,
 * optional brackets and zone) into 16 bytes.
 */
export function parseIpv6(text: string): Uint8Array | undefined {
  const a = ipv6Of(text);
  return a ? Uint8Array.from(a.toByteArray()) : undefined;
}

/** True for IPv4 (canonical dotted quad) or IPv6 literal text. */
export function isIpLiteral(text: string): boolean {
  return ipv4Of(text) !== undefined || ipv6Of(text) !== undefined;
}

/**
 * True for a host name that is not a canonical dotted quad but that a resolver or URL parser
 * may read as an IPv4 number: its last label is decimal, octal or hexadecimal digits
 * (`0127.0.0.1`, `0x7f.1`, `127.1`, `2130706433`, `127.0.0.01`, `1.2.3.4.5`). The system
 * resolver's inet_aton() accepts these forms, so such names must be refused before any lookup.
 */
export function looksNumeric(hostname: string): boolean {
  if (ipv4Of(hostname)) return false;
  const labels = hostname.replace(/\.$/, '').split('.');
  const last = labels[labels.length - 1] ?? '';
  return /^(\d+|0x[0-9a-f]*)$/i.test(last);
}

function mostSpecific(address: ipaddr.IPv4 | ipaddr.IPv6): AddressPolicyRow {
  let best: CompiledRow | undefined;
  for (const c of COMPILED) {
    if (c.network.kind() !== address.kind()) continue;
    if (best !== undefined && c.bits <= best.bits) continue;
    if (address.match(c.network, c.bits)) best = c;
  }
  // The table has a /0 row for each family, so every address matches one.
  return best!.row;
}

function embeddedIpv4(bytes: readonly number[], how: EmbeddedIpv4): ipaddr.IPv4[] {
  const v4 = (b: readonly number[]): ipaddr.IPv4 => new ipaddr.IPv4([...b]);
  switch (how) {
    case 'last32':
      return [v4(bytes.slice(12, 16))];
    case '6to4':
      return [v4(bytes.slice(2, 6))];
    case 'teredo':
      // The Teredo server, and the client's public address stored inverted.
      return [v4(bytes.slice(4, 8)), v4(bytes.slice(12, 16).map((b) => b ^ 0xff))];
  }
}

function judge(address: ipaddr.IPv4 | ipaddr.IPv6): AddressVerdict {
  const row = mostSpecific(address);
  const embedded =
    row.embeds === undefined ? [] : embeddedIpv4(address.toByteArray(), row.embeds).map(judge);
  return {
    address:
      address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString(),
    kind: address.kind(),
    row,
    embedded,
    allowed: row.allowed && embedded.every((e) => e.allowed),
  };
}

/** The policy's verdict on an IP literal, or undefined when the text is not one. */
export function classifyAddress(text: string): AddressVerdict | undefined {
  const v4 = ipv4Of(text);
  if (v4) return judge(v4);
  const v6 = ipv6Of(text);
  // A zone (`%eth0`) is not part of the address: strictIpv6Text drops it before parsing.
  return v6 ? judge(v6) : undefined;
}

/**
 * Why an address is not a target the relay may connect to, or undefined when it is. Text that
 * is not an IP literal is reported as 'not an IP address' (callers treat that as refused). An
 * embedded IPv4 address that is refused is named with its carrier, e.g. 'loopback (in
 * IPv4-mapped)'.
 */
export function blockedAddressReason(address: string): string | undefined {
  const verdict = classifyAddress(address);
  if (!verdict) return 'not an IP address';
  if (verdict.allowed) return undefined;
  const inner = verdict.embedded.find((e) => !e.allowed);
  if (inner) return `${inner.row.name} (in ${verdict.row.name})`;
  return verdict.row.name;
}
