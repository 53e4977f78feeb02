/**
 * `parseRetryAfter` on a fixed clock: each HTTP date format, and dates that `Date.parse` would
 * move to another day. The client-level behaviour (falling back to backoff) is in retry.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/retry-after.js";

/** Sun, 01 Feb 2026 00:00:00 GMT. */
const NOW_MS = Date.UTC(2026, 1, 1);

/** Milliseconds from `NOW_MS` to a UTC time, with the month counted from 1. */
function msUntil(year: number, month: number, day: number, hours = 10): number {
  return Date.UTC(year, month - 1, day, hours) - NOW_MS;
}

describe("parseRetryAfter", () => {
  it.each([
    ["delay-seconds", "120", 120_000],
    ["delay-seconds with spaces", " 5 ", 5_000],
    ["IMF-fixdate", "Sat, 28 Feb 2026 10:00:00 GMT", msUntil(2026, 2, 28)],
    ["IMF-fixdate on 29 Feb of a leap year", "Tue, 29 Feb 2028 10:00:00 GMT", msUntil(2028, 2, 29)],
    ["IMF-fixdate on 30 Apr", "Thu, 30 Apr 2026 10:00:00 GMT", msUntil(2026, 4, 30)],
    ["IMF-fixdate on 31 Dec", "Thu, 31 Dec 2026 10:00:00 GMT", msUntil(2026, 12, 31)],
    ["IMF-fixdate on 1 Mar", "Sun, 01 Mar 2026 10:00:00 GMT", msUntil(2026, 3, 1)],
    ["RFC 850", "Saturday, 28-Feb-26 10:00:00 GMT", msUntil(2026, 2, 28)],
    ["RFC 850 on 29 Feb of a leap year", "Tuesday, 29-Feb-28 10:00:00 GMT", msUntil(2028, 2, 29)],
    ["asctime", "Sat Feb 28 10:00:00 2026", msUntil(2026, 2, 28)],
    ["asctime with a one-digit day", "Sun Mar  1 10:00:00 2026", msUntil(2026, 3, 1)],
  ])("reads %s", (_name, value, expectedMs) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(expectedMs);
  });

  it.each([
    ["IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT"],
    ["RFC 850", "Sunday, 06-Nov-94 08:49:37 GMT"],
    ["asctime", "Sun Nov  6 08:49:37 1994"],
  ])("reads a past %s date as no wait", (_name, value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(0);
  });

  it.each([
    // Each of these has the weekday of the date that `Date.parse` (V8) moves it to.
    ["31 Feb", "Tue, 31 Feb 2026 10:00:00 GMT"],
    ["29 Feb outside a leap year", "Sun, 29 Feb 2026 10:00:00 GMT"],
    ["29 Feb of a century that is not a leap year", "Mon, 29 Feb 2100 10:00:00 GMT"],
    ["31 Apr", "Fri, 31 Apr 2026 10:00:00 GMT"],
    ["day 00", "Sat, 00 Mar 2026 10:00:00 GMT"],
    ["day 32", "Sun, 32 Mar 2026 10:00:00 GMT"],
    ["RFC 850 29 Feb outside a leap year", "Sunday, 29-Feb-26 10:00:00 GMT"],
    ["asctime 31 Feb", "Tue Feb 31 10:00:00 2026"],
    ["asctime 29 Feb outside a leap year", "Sun Feb 29 10:00:00 2026"],
  ])("rejects a day the month lacks: %s", (_name, value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBeUndefined();
  });

  it.each([
    ["IMF-fixdate", "Fri, 28 Feb 2026 10:00:00 GMT"],
    ["IMF-fixdate on a leap day", "Wed, 29 Feb 2028 10:00:00 GMT"],
    ["RFC 850", "Friday, 28-Feb-26 10:00:00 GMT"],
    ["asctime", "Fri Feb 28 10:00:00 2026"],
  ])("rejects a wrong weekday: %s", (_name, value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBeUndefined();
  });

  it.each([
    "",
    "soon",
    "Foo 12",
    "1.5",
    "-5",
    "2026-03-01",
    "Sun, 01 Mar 2026 24:00:00 GMT",
    "Sun, 01 Mar 2026 10:00:60 GMT",
    "Sun, 01 Mar 2026 10:00:00 PST",
    "Sun, 1 Mar 2026 10:00:00 GMT",
  ])("rejects the malformed value %j", (value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBeUndefined();
  });

  it("returns undefined without a header", () => {
    expect(parseRetryAfter(null, NOW_MS)).toBeUndefined();
  });

  it("reads an RFC 850 year at most 50 years ahead", () => {
    // From 2090, "30" is 2130 (40 years ahead), not 2030; `Date.parse` reads 2030.
    const nowMs = Date.UTC(2090, 0, 1);
    const expectedMs = Date.UTC(2130, 2, 1, 10) - nowMs;
    expect(parseRetryAfter("Wednesday, 01-Mar-30 10:00:00 GMT", nowMs)).toBe(expectedMs);
  });

  it("reads an RFC 850 year over 50 years ahead as past", () => {
    // From 2026, "77" would be 2077, 51 years ahead, so it is 1977, a Monday.
    expect(parseRetryAfter("Monday, 14-Mar-77 10:00:00 GMT", NOW_MS)).toBe(0);
    expect(parseRetryAfter("Sunday, 14-Mar-77 10:00:00 GMT", NOW_MS)).toBeUndefined();
  });
});
