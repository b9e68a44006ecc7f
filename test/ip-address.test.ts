import { BlockList, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, parseIPv4, parseIPv6 } from '../src/domain/ip-address.js';

// The domain's IP parser replaced node:net (the domain must not import Node): it must judge every
// address as node:net's BlockList over the same ranges did.
const reference = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  reference.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  reference.addSubnet(net, bits, 'ipv6');
}
function referencePrivate(ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && reference.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number) {
  return (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe('IP address literals without node:net', () => {
  it('parses what node:net accepts, and nothing else', () => {
    expect(parseIPv4('10.0.0.1')).toEqual([10, 0, 0, 1]);
    expect(parseIPv4('010.0.0.1')).toBeNull();
    expect(parseIPv6('::ffff:10.0.0.1')?.slice(10)).toEqual([0xff, 0xff, 10, 0, 0, 1]);
    for (const ip of ['1:2:3:4:5:6:7:8:9', ':::', '1::2::3', '[::1]', '1.2.3', '::1.2.3.4:5', 'fe80::1%']) {
      expect(isIP(ip), ip).toBe(0);
      expect(parseIPv4(ip) ?? parseIPv6(ip), ip).toBeNull();
    }
  });

  it('judges every address as node:net BlockList does', () => {
    const r = random(12);
    const group = () => (r(5) === 0 ? ['0', 'ffff', 'fe80', 'fc00', '64', 'ff9b', 'ff00', 'fd12'][r(8)]! : r(0x10000).toString(16));
    const v4 = () =>
      r(3) === 0
        ? ['10.0.0.1', '127.0.0.1', '169.254.1.1', '172.31.2.2', '100.127.0.1', '224.1.1.1', '198.19.0.0', '192.0.0.9', '0.1.2.3'][r(9)]!
        : [r(256), r(256), r(256), r(256)].join('.');
    const v6 = () => {
      const groups = Array.from({ length: 8 }, group);
      switch (r(5)) {
        case 0:
          return `::ffff:${v4()}`;
        case 1: {
          const a = r(8);
          const b = a + r(8 - a);
          return `${groups.slice(0, a).join(':')}::${groups.slice(b + 1).join(':')}`;
        }
        case 2:
          return `${groups.slice(0, 6).join(':')}:${v4()}`;
        case 3:
          return `fe80::${group()}%eth${r(3)}`;
        default:
          return groups.join(':');
      }
    };
    const fixed = [
      '::',
      '::1',
      '::2',
      '::ffff:8.8.8.8',
      '::10.0.0.1',
      '64:ff9b::1.2.3.4',
      '1:2:3:4:5:6:7::',
      'FE80::1',
      'fec0::1',
      'ff02::1',
      'hooks.example.com',
      '',
    ];
    for (const ip of [...fixed, ...Array.from({ length: 20_000 }, () => (r(2) ? v4() : v6()))]) {
      expect(isPrivateAddress(ip), ip).toBe(referencePrivate(ip));
    }
  });
});
