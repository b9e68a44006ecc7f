/**
 * IP address literals, parsed without Node so the domain stays portable (the cards import it), and
 * the policy of which addresses an outbound webhook may reach.
 *
 * The policy is an allow list, not a block list: an IPv4 address is public unless it is in one of
 * IANA's special-purpose ranges; an IPv6 address is public only inside global unicast (2000::/3)
 * and outside the special ranges there. Every form that embeds or translates an IPv4 address
 * (IPv4-compatible `::a.b.c.d`, SIIT `::ffff:0:a.b.c.d`, NAT64, 6to4, Teredo) is refused whatever
 * it embeds, except IPv4-mapped `::ffff:a.b.c.d`, which is the IPv4 address itself on a dual-stack
 * socket and is judged as that address. test/ip-address.test.ts checks this against node:net's
 * BlockList with the ranges written out independently.
 */

const V4_PART = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4 = new RegExp(`^${V4_PART}(?:\\.${V4_PART}){3}$`);

/** The 4 bytes of a dotted-quad IPv4 literal (no leading zeros, as node:net accepts them), or null. */
export function parseIPv4(ip: string): number[] | null {
  return V4.test(ip) ? ip.split('.').map(Number) : null;
}

/**
 * The 16 bytes of an IPv6 literal, or null: eight groups of 1 to 4 hex digits in either case, one
 * `::` standing for one or more zero groups, a dotted IPv4 tail standing for the last two groups,
 * and a `%zone` suffix (dropped: it names an interface, not another address). Brackets are not
 * part of the literal (`[::1]` is null; strip them first, see `hostLiteral`).
 */
export function parseIPv6(ip: string): number[] | null {
  const zone = ip.indexOf('%');
  // A zone id (an interface name or number) in the characters node:net accepts there.
  if (zone !== -1 && !/^%[0-9a-zA-Z.:-]+$/.test(ip.slice(zone))) return null;
  const text = zone === -1 ? ip : ip.slice(0, zone);
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1]!, true) : [];
  if (!head || !tail) return null;
  const given = head.length + tail.length;
  // Without `::` all eight groups are written; with it, it stands for at least one.
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const groups = [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The 16-bit groups of one side of `::`; a dotted IPv4 tail only where the address ends. */
function groupsOf(part: string, endsAddress: boolean): number[] | null {
  if (part === '') return [];
  const out: number[] = [];
  const pieces = part.split(':');
  for (let i = 0; i < pieces.length; i += 1) {
    const piece = pieces[i]!;
    if (endsAddress && i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIPv4(piece);
      if (!v4) return null;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
      out.push(parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return out;
}

/** A URL host as an address literal: `[v6]` without its brackets, anything else as it is. */
export function hostLiteral(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

type Range = readonly [bytes: readonly number[], bits: number];

const v4Range = (net: string, bits: number): Range => [parseIPv4(net)!, bits];
const v6Range = (net: string, bits: number): Range => [parseIPv6(net)!, bits];

/** IPv4 loopback, 127.0.0.0/8. */
const LOOPBACK_V4 = v4Range('127.0.0.0', 8);

/**
 * IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates), plus multicast and the
 * reserved 240/4: none is a place a tenant's webhook receiver lives.
 */
const SPECIAL_V4: readonly Range[] = [
  v4Range('0.0.0.0', 8), // "this network"
  v4Range('10.0.0.0', 8), // private
  v4Range('100.64.0.0', 10), // shared address space (carrier-grade NAT)
  LOOPBACK_V4,
  v4Range('169.254.0.0', 16), // link-local (cloud metadata at 169.254.169.254)
  v4Range('172.16.0.0', 12), // private
  v4Range('192.0.0.0', 24), // IETF protocol assignments
  v4Range('192.0.2.0', 24), // documentation (TEST-NET-1)
  v4Range('192.31.196.0', 24), // AS112-v4
  v4Range('192.52.193.0', 24), // AMT
  v4Range('192.88.99.0', 24), // deprecated 6to4 relay anycast
  v4Range('192.168.0.0', 16), // private
  v4Range('192.175.48.0', 24), // AS112 direct delegation
  v4Range('198.18.0.0', 15), // benchmarking
  v4Range('198.51.100.0', 24), // documentation (TEST-NET-2)
  v4Range('203.0.113.0', 24), // documentation (TEST-NET-3)
  v4Range('224.0.0.0', 4), // multicast
  v4Range('240.0.0.0', 4), // reserved, and 255.255.255.255 broadcast
];

/** IPv6 global unicast: every public IPv6 address is in here. */
const GLOBAL_UNICAST_V6 = v6Range('2000::', 3);

/** Special ranges inside 2000::/3 (IANA IPv6 Special-Purpose Address Registry). */
const SPECIAL_GLOBAL_V6: readonly Range[] = [
  v6Range('2001::', 23), // IETF protocol assignments, Teredo 2001::/32 among them
  v6Range('2001:db8::', 32), // documentation
  v6Range('2002::', 16), // 6to4: embeds an IPv4 address
  v6Range('2620:4f:8000::', 48), // AS112 direct delegation
  v6Range('3fff::', 20), // documentation
];

/** IPv4-mapped IPv6, ::ffff:0:0/96: on a dual-stack socket this is the IPv4 address. */
const MAPPED_V6 = v6Range('::ffff:0:0', 96);

function inRange(bytes: readonly number[], [net, bits]: Range): boolean {
  for (let i = 0; i < net.length && bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

/** How an address literal counts for outbound calls. */
export type AddressKind = 'public' | 'loopback' | 'special';

/**
 * `public`, `loopback` (127.0.0.0/8, ::1, and ::ffff:127.0.0.0/104), or `special` (every other
 * non-public range); null for what is not an IP literal (a host name).
 */
export function addressKind(ip: string): AddressKind | null {
  const v4 = parseIPv4(ip);
  if (v4) return v4Kind(v4);
  const v6 = parseIPv6(ip);
  if (!v6) return null;
  if (inRange(v6, MAPPED_V6)) return v4Kind(v6.slice(12));
  if (v6.every((b, i) => b === (i === 15 ? 1 : 0))) return 'loopback';
  if (!inRange(v6, GLOBAL_UNICAST_V6) || SPECIAL_GLOBAL_V6.some((r) => inRange(v6, r))) return 'special';
  return 'public';
}

function v4Kind(v4: readonly number[]): AddressKind {
  if (inRange(v4, LOOPBACK_V4)) return 'loopback';
  return SPECIAL_V4.some((r) => inRange(v4, r)) ? 'special' : 'public';
}

/** True for an IP literal that is not public (loopback included); false for a host name. */
export function isPrivateAddress(ip: string): boolean {
  const kind = addressKind(ip);
  return kind !== null && kind !== 'public';
}

/** True for a loopback IP literal (127.0.0.0/8, ::1, ::ffff:127.x.y.z). */
export function isLoopbackAddress(ip: string): boolean {
  return addressKind(ip) === 'loopback';
}

/**
 * Whether an outbound webhook may connect to `ip`: only a public address, or a loopback one when
 * `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK, development). A host name is never "allowed": it must
 * be resolved and its addresses judged.
 */
export function isAllowedWebhookAddress(ip: string, opts: { allowLoopback: boolean }): boolean {
  const kind = addressKind(ip);
  return kind === 'public' || (kind === 'loopback' && opts.allowLoopback);
}
