/**
 * Calendar dates as `YYYY-MM-DD` strings. Date arithmetic is done in UTC on purpose: a calendar
 * date has no time zone, and only "today" depends on where the portal is.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The years an invoice or due date may fall in. Far enough either way for any real invoice, and
 * near enough that the longest payment terms stay within four-digit years.
 */
export const DOCUMENT_YEARS = { first: 2000, last: 2199 } as const;

/** True for a real calendar date within {@link DOCUMENT_YEARS}. */
export function isDocumentDate(text: string): boolean {
  if (!isIsoDate(text)) return false;
  const year = Number(text.slice(0, 4));
  return year >= DOCUMENT_YEARS.first && year <= DOCUMENT_YEARS.last;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2})(:?(\d{2}))?)$/;

/**
 * True for an instant written as an ISO 8601 timestamp (`T` or a space, up to microseconds, `Z`
 * or an offset) whose every field is in range: month 1-12, a real day, hour 0-23, minutes and
 * seconds 0-59. `Date.parse` accepts 2026-02-30 and hour 24 and PostgreSQL does not, so anything
 * that reaches a query (a list cursor) is checked with this.
 */
export function isTimestampText(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m || !isIsoDate(m[1]!)) return false;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4])];
  const [offsetHours, offsetMinutes] = [Number(m[7] ?? 0), Number(m[9] ?? 0)];
  return hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59;
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

// Building an Intl.DateTimeFormat costs far more than using one (it loads the zone's rules), and
// list endpoints ask "today" once per invoice: one formatter per time zone, kept. The set of IANA
// zones is finite, so the caches are bounded.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const instantFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = make();
    cache.set(timeZone, format);
  }
  return format;
}

/** The calendar date at instant `now` in the IANA time zone `timeZone`. */
export function todayIn(timeZone: string, now: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return cached(dateFormats, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(now);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** First and last day of the month that contains `date`. */
export function monthOf(date: string): { first: string; last: string } {
  const first = `${date.slice(0, 7)}-01`;
  const next = new Date(`${first}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { first, last: addDays(next.toISOString().slice(0, 10), -1) };
}

/** True for an IANA time zone name that `Intl` knows, e.g. `Europe/Amsterdam`. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a calendar date starts in a time zone, as ISO 8601 (HubSpot's invoice dates are
 * datetimes: midnight UTC would show the previous day in the Americas).
 */
export function startOfDayIn(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  let instant = utcMidnight - offsetMs(utcMidnight, timeZone);
  // Once more at the candidate: the offset can differ there (a DST change near midnight).
  instant = utcMidnight - offsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The time zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetMs(instant: number, timeZone: string): number {
  const format = cached(
    instantFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  );
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - (instant - (instant % 1000));
}
