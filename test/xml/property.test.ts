import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseXml, serializeXml } from "../../src/xml.js";
import { ADD_REQUEST, LIST_OK } from "./fixtures.js";

// Any Unicode text that XML 1.0 can carry, including markup characters and line breaks.
const xmlText = fc
  .string({ unit: "grapheme", maxLength: 30 })
  .filter((text) => !/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(text));

const digits = (length: number) =>
  fc
    .array(fc.constantFrom(..."0123456789"), { minLength: length, maxLength: length })
    .map((d) => d.join(""));

const token = fc.record(
  {
    "customer-key": xmlText,
    "token-id": fc.integer({ min: 1, max: 30 }).chain(digits),
    "exp-date": fc
      .tuple(fc.integer({ min: 1, max: 12 }), digits(2))
      .map(([month, year]) => `${String(month).padStart(2, "0")}${year}`),
    "card-type": fc.constantFrom("AMEX", "Discover", "JCB", "MasterCard", "VISA"),
    "last-four-digits": digits(4),
    description: xmlText,
    default: fc.boolean(),
    "avs-address": xmlText,
    "avs-zip": digits(5),
  },
  { requiredKeys: ["customer-key", "token-id", "exp-date", "card-type", "last-four-digits"] },
);

describe("xml round trip", () => {
  it("keeps any valid token", () => {
    fc.assert(
      fc.property(token, (value) => {
        const parsed = parseXml(ADD_REQUEST, serializeXml(ADD_REQUEST, value));
        expect(parsed.value).toEqual(value);
      }),
    );
  });

  it("keeps any non-empty token list", () => {
    const payload = fc.record({
      "customer-tokens": fc.record({ token: fc.array(token, { minLength: 1, maxLength: 4 }) }),
      payloadType: xmlText,
    });
    fc.assert(
      fc.property(payload, (value) => {
        expect(parseXml(LIST_OK, serializeXml(LIST_OK, value)).value).toEqual(value);
      }),
    );
  });
});
