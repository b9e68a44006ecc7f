/**
 * Just enough exact decimal arithmetic for the sandbox to compute a line item's `amount` the way
 * HubSpot does (quantity x price, less the percentage discount, less the unit discount), without
 * floating point. Values are decimal strings; results are trimmed decimal strings.
 */

interface Dec {
  units: bigint;
  scale: number;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function parse(value: string): Dec {
  if (!isDecimal(value)) throw new Error(`not a decimal: ${value}`);
  const [int = '0', frac = ''] = value.replace('-', '').split('.');
  const units = BigInt(int + frac) * (value.startsWith('-') ? -1n : 1n);
  return { units, scale: frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

function format(d: Dec): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

function sub(a: Dec, b: Dec): Dec {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

/**
 * Net amount of a line: quantity x price x (1 - pct/100) - quantity x unitDiscount. `null`
 * when quantity or price is missing or not a decimal.
 */
export function lineAmount(
  quantity: string | null | undefined,
  price: string | null | undefined,
  discountPercent: string | null | undefined,
  unitDiscount: string | null | undefined,
): string | null {
  if (!quantity || !price || !isDecimal(quantity) || !isDecimal(price)) return null;
  let gross = mul(parse(quantity), parse(price));
  if (discountPercent && isDecimal(discountPercent)) {
    // gross x pct / 100, kept exact by moving the scale two places.
    const off = mul(gross, parse(discountPercent));
    gross = sub(gross, { units: off.units, scale: off.scale + 2 });
  }
  if (unitDiscount && isDecimal(unitDiscount)) gross = sub(gross, mul(parse(quantity), parse(unitDiscount)));
  return format(gross);
}
