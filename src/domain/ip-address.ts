/**
 * IP address literals, parsed without Node so the domain stays portable (the cards import it):
 * which addresses a public webhook must never reach. The ranges and the handling of IPv4-mapped
 * IPv6 addresses match node:net's BlockList, which judged them before (test/ip-address.test.ts
 * compares the two).
 */

const V4_PART = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4 = new RegExp(`^${V4_PART}(?:\\.${V4_PART}){3}$`);

/** The 4 bytes of a dotted-quad IPv4 literal (no leading zeros, as node:net accepts them), or null. */
export function parseIPv4(ip: string): number[] | null {
  return V4.test(ip) ? ip.split('.').map(Number) : null;
}

/**
 * The 16 bytes of an IPv6 literal (`::` compression, a dotted IPv4 tail and a `%zone` suffix
 * allowed; the zone is dropped, as the resolver may return one for a link-local address), or null.
 */
export function parseIPv6(ip: string): number[] | null {
  const zone = /%[0-9a-zA-Z.:-]+$/.exec(ip);
  const halves = (zone ? ip.slice(0, zone.index) : ip).split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
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
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  // A dotted tail is only allowed at the very end of the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return null;
  const given = head.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const groups = [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

type Range = readonly [bytes: readonly number[], bits: number];

const PRIVATE_V4: readonly Range[] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[224, 0, 0, 0], 3],
];

const PRIVATE_V6: readonly Range[] = [
  [parseIPv6('::')!, 127],
  [parseIPv6('fc00::')!, 7],
  [parseIPv6('fe80::')!, 10],
  [parseIPv6('ff00::')!, 8],
  [parseIPv6('64:ff9b::')!, 96],
];

function inRange(bytes: readonly number[], [net, bits]: Range): boolean {
  for (let i = 0; i < net.length && bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

/** True for an IP literal in a private, loopback, link-local or otherwise non-public range (false for a host name). */
export function isPrivateAddress(ip: string): boolean {
  const v4 = parseIPv4(ip);
  if (v4) return PRIVATE_V4.some((r) => inRange(v4, r));
  const v6 = parseIPv6(ip);
  if (!v6) return false;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged by the IPv4 ranges as well.
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  if (mapped && PRIVATE_V4.some((r) => inRange(v6.slice(12), r))) return true;
  return PRIVATE_V6.some((r) => inRange(v6, r));
}
