/**
 * Parsing of the `Retry-After` header (RFC 9110, section 10.2.3): delay-seconds, or an HTTP date
 * in one of the three formats of section 5.6.7. Anything else is ignored, because `Date.parse`
 * alone accepts text such as `Foo 12` as a date in the past, which would retry at once.
 */

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const DAY = "(?<weekday>Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const MONTH = `(?<month>${MONTHS.join("|")})`;
const TIME = "(?<hours>[01]\\d|2[0-3]):(?<minutes>[0-5]\\d):(?<seconds>[0-5]\\d)";

/**
 * The three HTTP date formats: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`, in GMT).
 */
const HTTP_DATE_FORMATS = [
  new RegExp(`^${DAY}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
  new RegExp(
    "^(?<weekday>Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, " +
      `(?<day>\\d{2})-${MONTH}-(?<shortYear>\\d{2}) ${TIME} GMT$`,
  ),
  new RegExp(`^${DAY} ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`),
];

/**
 * Parses a `Retry-After` value into milliseconds from `nowMs`. Returns `undefined` for a missing
 * or invalid value, so that the caller falls back to its backoff, and 0 for a date in the past.
 * A date is invalid when its day does not exist in its month (31 Apr, or 29 Feb outside a leap
 * year) or its weekday does not match the date. Note: the date is computed here and not by
 * `Date.parse`, because V8 moves a day that the month lacks into the next month.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const dateMs = parseHttpDate(trimmed, nowMs);
  return dateMs === undefined ? undefined : Math.max(0, dateMs - nowMs);
}

/** Parses an HTTP date into epoch milliseconds, or returns `undefined` when it is invalid. */
function parseHttpDate(text: string, nowMs: number): number | undefined {
  const fields = HTTP_DATE_FORMATS.map((format) => format.exec(text)?.groups).find(Boolean);
  if (fields === undefined) {
    return undefined;
  }
  const month = MONTHS.indexOf(fields.month as string);
  const day = Number(fields.day);
  const year =
    fields.year === undefined
      ? resolveTwoDigitYear(Number(fields.shortYear), nowMs)
      : Number(fields.year);

  // `setUTCFullYear` keeps a year below 100 as it is, where `Date.UTC` would add 1900.
  const date = new Date(
    Date.UTC(2000, 0, 1, Number(fields.hours), Number(fields.minutes), Number(fields.seconds)),
  );
  date.setUTCFullYear(year, month, day);
  const dateExists = date.getUTCMonth() === month && date.getUTCDate() === day;
  const weekdayMatches = WEEKDAYS[date.getUTCDay()] === (fields.weekday as string).slice(0, 3);
  return dateExists && weekdayMatches ? date.getTime() : undefined;
}

/**
 * Picks the century of an RFC 850 two-digit year. RFC 9110 reads a year that appears to be more
 * than 50 years in the future as the most recent past year with the same last two digits. This
 * compares whole years, so a date in the 50th year ahead counts as ahead.
 */
function resolveTwoDigitYear(shortYear: number, nowMs: number): number {
  const currentYear = new Date(nowMs).getUTCFullYear();
  const year = currentYear - (currentYear % 100) + shortYear;
  if (year > currentYear + 50) {
    return year - 100;
  }
  return year <= currentYear - 50 ? year + 100 : year;
}
