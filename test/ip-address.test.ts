import fc from 'fast-check';
import { BlockList, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressKind, isAllowedWebhookAddress, isPrivateAddress, parseIPv4, parseIPv6 } from '../src/domain/ip-address.js';

// The domain parses addresses without Node (it must not import it); node:net is the reference.
// The ranges are written out again here, from the IANA special-purpose registries, rather than
// imported: a range dropped from the domain module must make this test fail.
// Two lists: a BlockList also matches an IPv4 address against IPv6 subnets (as ::ffff:a.b.c.d).
const special4 = new BlockList();
const special6 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.31.196.0', 24],
  ['192.52.193.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['192.175.48.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  special4.addSubnet(net, bits, 'ipv4');
}
// IPv6: everything outside global unicast 2000::/3 is refused, so list what is outside it (the
// registry's ::/128, ::1, ::/96, ::ffff:0:0:0/96, 64:ff9b::/96, 64:ff9b:1::/48, 100::/64,
// fc00::/7, fe80::/10, fec0::/10, ff00::/8 all are) plus the special ranges inside it.
for (const [net, bits] of [
  ['::', 3], // 0000::/3 (the mapped ::ffff:0:0/96 is judged by its IPv4 address, below)
  ['4000::', 2], // 4000::/2
  ['8000::', 1], // 8000::/1
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['2620:4f:8000::', 48],
  ['3fff::', 20],
] as const) {
  special6.addSubnet(net, bits, 'ipv6');
}
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** What the reference says of an address literal node:net accepts. */
function referenceKind(ip: string): 'public' | 'loopback' | 'special' | null {
  const family = isIP(ip);
  if (family === 0) return null;
  const bare = ip.split('%')[0]!;
  // IPv4-mapped: the IPv4 address itself (BlockList.check does not map them onto IPv4 subnets).
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(canonical(bare)) : null;
  const [addr, type] = mapped ? [mapped[1]!, 'ipv4' as const] : [bare, family === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  if (loopback.check(addr, type)) return 'loopback';
  return (type === 'ipv4' ? special4 : special6).check(addr, type) ? 'special' : 'public';
}

/** An IPv6 address written in full from its bytes, with an IPv4 tail when it is IPv4-mapped. */
function canonical(ip: string): string {
  const bytes = parseIPv6(ip)!;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return `::ffff:${bytes.slice(12).join('.')}`;
  return groups.join(':');
}

const byte = fc.integer({ min: 0, max: 255 });
const bytes16 = fc.array(byte, { minLength: 16, maxLength: 16 });
const v4Text = fc.tuple(byte, byte, byte, byte).map((b) => b.join('.'));
/** IPv4 addresses biased towards the edges of the special ranges. */
const interestingV4 = fc.oneof(
  v4Text,
  fc
    .constantFrom(
      '0.0.0.0',
      '10.0.0.0',
      '100.64.0.0',
      '127.0.0.0',
      '169.254.0.0',
      '172.16.0.0',
      '192.0.0.0',
      '192.0.2.0',
      '192.168.0.0',
      '198.18.0.0',
      '198.51.100.0',
      '203.0.113.0',
      '224.0.0.0',
      '240.0.0.0',
      '255.255.255.255',
    )
    .chain((base) => fc.integer({ min: -300, max: 300 }).map((delta) => shiftV4(base, delta))),
);
function shiftV4(base: string, delta: number): string {
  const n = (base.split('.').reduce((a, p) => a * 256 + Number(p), 0) + delta + 2 ** 32) % 2 ** 32;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
/** IPv6 bytes with prefixes the policy cares about. */
const interestingV6 = fc.oneof(
  bytes16,
  fc
    .tuple(
      fc.constantFrom(
        '::',
        '::ffff:0:0',
        '::ffff:0:0:0',
        '64:ff9b::',
        '64:ff9b:1::',
        '2002::',
        '2001::',
        '2001:db8::',
        'fc00::',
        'fe80::',
        'fec0::',
        'ff00::',
        '2000::',
        '2606:4700::',
        '3fff::',
        '2620:4f:8000::',
      ),
      bytes16,
      fc.integer({ min: 0, max: 15 }),
    )
    .map(([prefix, rest, keep]) => [...parseIPv6(prefix)!.slice(0, keep), ...rest.slice(keep)]),
);

/** A textual form of 16 bytes: hex case, leading zeros, `::` over any zero run, an IPv4 tail, a zone. */
const v6Text = fc
  .tuple(interestingV6, fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(), fc.option(fc.constantFrom('eth0', '1', 'en0.5'), { nil: undefined }))
  .map(([b, upper, padded, v4Tail, pick, zone]) => {
    let groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16).padStart(padded ? 4 : 1, '0'));
    if (upper) groups = groups.map((g) => g.toUpperCase());
    const tail = v4Tail ? [b.slice(12).join('.')] : [];
    const head = v4Tail ? groups.slice(0, 6) : groups;
    // Zero runs that `::` may replace (at least one group long).
    const runs: Array<[number, number]> = [];
    for (let i = 0; i < head.length; i += 1) for (let j = i; j < head.length && /^0+$/.test(head[j]!); j += 1) runs.push([i, j + 1]);
    let text: string;
    if (runs.length > 0 && pick % 3 !== 0) {
      const [from, to] = runs[pick % runs.length]!;
      const after = [...head.slice(to), ...tail];
      text = `${head.slice(0, from).join(':')}::${after.join(':')}`;
    } else {
      text = [...head, ...tail].join(':');
    }
    return { bytes: b, text: zone ? `${text}%${zone}` : text };
  });

describe('IP address literals without node:net', () => {
  it('parses the textual forms node:net accepts, and nothing else', () => {
    expect(parseIPv4('10.0.0.1')).toEqual([10, 0, 0, 1]);
    expect(parseIPv4('010.0.0.1')).toBeNull();
    expect(parseIPv6('::ffff:10.0.0.1')?.slice(10)).toEqual([0xff, 0xff, 10, 0, 0, 1]);
    expect(parseIPv6('::127.0.0.1')).toEqual(parseIPv6('::7f00:1'));
    expect(parseIPv6('FE80::0001%eth0')).toEqual(parseIPv6('fe80::1'));
    for (const ip of ['1:2:3:4:5:6:7:8:9', ':::', '1::2::3', '[::1]', '1.2.3', '::1.2.3.4:5', 'fe80::1%', '1.2.3.4::', '12345::', '::1%a%b', '::1% x']) {
      expect(isIP(ip), ip).toBe(0);
      expect(parseIPv4(ip) ?? parseIPv6(ip), ip).toBeNull();
    }
  });

  it('property: every textual form of an IPv6 address parses to its bytes, as node:net reads it', () => {
    fc.assert(
      fc.property(v6Text, ({ bytes, text }) => {
        expect(isIP(text), text).toBe(6);
        expect(parseIPv6(text), text).toEqual(bytes);
        // node:net agrees the text is that address: a list holding only the canonical form matches it.
        const one = new BlockList();
        one.addAddress(canonical(text.split('%')[0]!), 'ipv6');
        expect(one.check(text.split('%')[0]!, 'ipv6'), text).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: accepts exactly the strings node:net accepts', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdefABCDEF:.%g'.split(''));
    const noisy = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 45 }),
      v6Text.chain(({ text }) =>
        fc.tuple(fc.nat(text.length), fc.nat(text.length), alphabet).map(([i, j, c]) => text.slice(0, i) + c + text.slice(Math.min(text.length, i + (j % 3)))),
      ),
      interestingV4.chain((ip) => fc.tuple(fc.nat(ip.length), alphabet).map(([i, c]) => ip.slice(0, i) + c + ip.slice(i + 1))),
    );
    fc.assert(
      fc.property(noisy, (s) => {
        expect(parseIPv4(s) !== null || parseIPv6(s) !== null, s).toBe(isIP(s) !== 0);
      }),
      { numRuns: 20_000 },
    );
  });

  it('property: judges every address as node:net BlockList does over the IANA special-purpose ranges', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          interestingV4,
          v6Text.map((v) => v.text),
        ),
        (ip) => {
          expect(addressKind(ip), ip).toBe(referenceKind(ip));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('refuses every IPv4-embedding IPv6 form of an internal address, and the special ranges', () => {
    for (const ip of [
      '::127.0.0.1', // IPv4-compatible loopback
      '::a9fe:a9fe', // IPv4-compatible 169.254.169.254 (cloud metadata)
      '::ffff:0:127.0.0.1', // SIIT IPv4-translated
      '::ffff:0:a9fe:a9fe',
      '64:ff9b::127.0.0.1', // NAT64
      '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::a00:1', // local-use NAT64
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '2002:a9fe:a9fe::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
      'fec0::1', // deprecated site-local
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1%eth0',
      'ff02::1',
      '2001:db8::1',
      '100::1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '0.1.2.3',
      '100.64.0.1',
      '192.0.0.8',
      '192.0.2.1',
      '198.18.0.1',
      '198.51.100.7',
      '203.0.113.9',
      '224.0.0.1',
      '240.0.0.1',
      '255.255.255.255',
    ]) {
      expect(addressKind(ip), ip).toBe('special');
      expect(isPrivateAddress(ip), ip).toBe(true);
      expect(isAllowedWebhookAddress(ip, { allowLoopback: true }), ip).toBe(false);
    }
    for (const ip of ['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:2']) {
      expect(addressKind(ip), ip).toBe('loopback');
      expect(isAllowedWebhookAddress(ip, { allowLoopback: false }), ip).toBe(false);
      expect(isAllowedWebhookAddress(ip, { allowLoopback: true }), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '93.184.216.34', '::ffff:8.8.8.8', '2606:4700:4700::1111', '2a00:1450:4001:81c::200e']) {
      expect(addressKind(ip), ip).toBe('public');
      expect(isAllowedWebhookAddress(ip, { allowLoopback: false }), ip).toBe(true);
    }
    expect(addressKind('hooks.example.com')).toBeNull();
    expect(isPrivateAddress('hooks.example.com')).toBe(false);
  });
});
