/**
 * Splitting one amount across several buckets without losing or inventing a minor unit.
 */

/**
 * Splits `total` across buckets in proportion to `weights` with the largest-remainder
 * (Hamilton) method: everyone gets the floor of their exact share, then the minor units left
 * over go one each to the largest fractional remainders, ties to the lower index.
 *
 * Guarantees, given 0 <= total <= sum(weights) and every weight >= 0:
 * the shares sum to exactly `total`, every share is >= 0 and no share exceeds its weight
 * (a bucket only receives a leftover unit when its exact share was not an integer, so
 * floor + 1 is still <= its exact share rounded up <= its weight).
 * @throws RangeError when the preconditions do not hold: callers validate input first.
 */
export function allocateLargestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  const weightSum = weights.reduce((sum, weight) => {
    if (weight < 0n) throw new RangeError('allocateLargestRemainder: weights must be >= 0');
    return sum + weight;
  }, 0n);
  if (total < 0n || total > weightSum) {
    throw new RangeError('allocateLargestRemainder: total must be between 0 and the sum of weights');
  }
  if (total === 0n) return weights.map(() => 0n);

  const shares = weights.map((weight) => (total * weight) / weightSum);
  const remainders = weights.map((weight) => (total * weight) % weightSum);
  let leftover = total - shares.reduce((sum, share) => sum + share, 0n);

  const order = weights.map((_, index) => index);
  order.sort((a, b) => {
    const ra = remainders[a] ?? 0n;
    const rb = remainders[b] ?? 0n;
    if (ra !== rb) return ra > rb ? -1 : 1;
    return a - b;
  });
  for (const index of order) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return shares;
}
