/**
 * CSV cells and records: RFC 4180 (CRLF, fields quoted when they hold a comma, quote, CR or LF;
 * inner quotes doubled) with the OWASP formula-injection guard on text cells: a text cell that
 * starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (and is quoted) so no spreadsheet
 * runs it. Numeric cells are never altered; they are checked to be plain decimals instead.
 */

/** A text cell (guarded), a numeric cell (decimal string, written as is) or an empty cell. */
export type Cell = { t: string } | { n: string } | null;

export const text = (value: string | null | undefined): Cell => (value === null || value === undefined || value === '' ? null : { t: value });
export const num = (value: string | null | undefined): Cell => (value === null || value === undefined || value === '' ? null : { n: value });

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Encodes one cell with `delimiter` (',' for CSV). */
export function encodeCell(cell: Cell, delimiter = ','): string {
  if (cell === null) return '';
  if ('n' in cell) {
    if (!DECIMAL.test(cell.n)) throw new Error(`numeric cell is not a decimal: ${JSON.stringify(cell.n)}`);
    return cell.n;
  }
  const guarded = FORMULA_START.test(cell.t);
  const value = guarded ? `'${cell.t}` : cell.t;
  return guarded || NEEDS_QUOTES.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record with its CRLF. */
export function encodeRecord(cells: Cell[]): string {
  return `${cells.map((c) => encodeCell(c)).join(',')}\r\n`;
}

/** The header record (header names are our own constants, never user text). */
export function headerRecord(names: readonly string[]): string {
  return encodeRecord(names.map((n) => ({ t: n })));
}
