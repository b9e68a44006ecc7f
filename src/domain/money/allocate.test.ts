import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder } from './allocate.js';

describe('allocateLargestRemainder', () => {
  it.each([
    // 100 over three equal weights: 33.33 each, the leftover unit goes to the first line.
    [100n, [1000n, 1000n, 1000n], [34n, 33n, 33n]],
    // 7 over 1:2:3 -> 1.167, 2.333, 3.5; floors 1,2,3 leave 1 unit for the largest remainder (line 3).
    [7n, [1000n, 2000n, 3000n], [1n, 2n, 4n]],
    // 11 over 1:2:3 -> 1.833, 3.667, 5.5; floors 1,3,5 leave 2 units for lines 1 and 2.
    [11n, [1000n, 2000n, 3000n], [2n, 4n, 5n]],
    [2n, [1n, 1n, 1n], [1n, 1n, 0n]],
    [3000n, [1000n, 2000n], [1000n, 2000n]],
    [5n, [0n, 10n, 0n], [0n, 5n, 0n]],
    [0n, [0n, 0n], [0n, 0n]],
    [0n, [], []],
  ])('%s over %s -> %s', (total, weights, expected) => {
    expect(allocateLargestRemainder(total, weights)).toEqual(expected);
  });

  it('rejects impossible allocations', () => {
    expect(() => allocateLargestRemainder(11n, [5n, 5n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(-1n, [5n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1n, [5n, -1n])).toThrow(RangeError);
  });

  it('sums exactly and keeps every share within 0..weight and within one unit of the exact share', () => {
    const input = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 40 }).chain((weights) => {
      const weightSum = weights.reduce((a, b) => a + b, 0n);
      return fc.tuple(fc.constant(weights), fc.bigInt({ min: 0n, max: weightSum }));
    });
    fc.assert(
      fc.property(input, ([weights, total]) => {
        const shares = allocateLargestRemainder(total, weights);
        const weightSum = weights.reduce((a, b) => a + b, 0n);
        expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
        shares.forEach((share, i) => {
          const weight = weights[i] ?? 0n;
          expect(share >= 0n && share <= weight).toBe(true);
          if (weightSum > 0n) {
            const floor = (total * weight) / weightSum;
            expect(share === floor || share === floor + 1n).toBe(true);
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
