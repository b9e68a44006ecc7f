/**
 * A strict RFC 4180 parser for tests: records end with CRLF (the last one too), fields are
 * separated by commas, quoted fields may hold commas, quotes (doubled) and line breaks. Anything
 * else (a bare LF or CR outside quotes, a quote inside an unquoted field, text after a closing
 * quote) throws, so a sloppy writer cannot pass.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 5))}`);
  }
  if (record.length > 0) throw new Error('last record does not end with CRLF');
  return records;
}

/** Records as objects keyed by the header record. */
export function parseCsvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('no header');
  return rows.map((r) => {
    if (r.length !== header.length) throw new Error(`record has ${r.length} fields, header ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, r[k]!]));
  });
}

/** Decimal string to minor units without floats ("-12.34" with 2 decimals -> -1234). */
export function toMinor(decimal: string, exponent: number): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(decimal)}`);
  const frac = (m[3] ?? '').padEnd(exponent, '0');
  if (frac.length !== exponent) throw new Error(`${decimal} has more than ${exponent} decimals`);
  const value = Number(`${m[2]}${frac}`);
  return m[1] ? -value : value;
}
