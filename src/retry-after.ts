/**
 * Parsing of the `Retry-After` header (RFC 9110, section 10.2.3): delay-seconds, or an HTTP date
 * in one of the three formats of section 5.6.7. Anything else is ignored, because `Date.parse`
 * alone accepts text such as `Foo 12` as a date in the past, which would retry at once.
 */

const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d";

/**
 * The three HTTP date formats: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`, in GMT).
 */
const HTTP_DATE = new RegExp(
  `^(?:${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT` +
    `|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT` +
    `|${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4})$`,
);

/**
 * Parses a `Retry-After` value into milliseconds from `nowMs`. Returns `undefined` for a missing
 * or invalid value, so that the caller falls back to its backoff, and 0 for a date in the past.
 * Note: `Date.parse` (V8) rejects a day of 0 or 32, but moves a day that the month lacks, such
 * as 31 Feb, into the next month, and reads a two-digit RFC 850 year below 50 as 20xx.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  if (!HTTP_DATE.test(trimmed)) {
    return undefined;
  }
  // An asctime date has no zone and is in GMT, but `Date.parse` would read it as local time.
  const dateMs = Date.parse(trimmed.endsWith("GMT") ? trimmed : `${trimmed} GMT`);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}
