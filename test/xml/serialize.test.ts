import { describe, expect, it } from "vitest";
import { parseXml, serializeXml, XmlError } from "../../src/xml.js";
import { ADD_REQUEST, firstToken, LIST_OK } from "./fixtures.js";

const TOKEN = { schema: "customer-token" } as const;

function serializeError(target: Parameters<typeof serializeXml>[0], value: unknown): XmlError {
  try {
    serializeXml(target, value);
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error("serializeXml did not throw");
}

describe("serializeXml", () => {
  it("writes the request root that the spec names", () => {
    expect(serializeXml(ADD_REQUEST, firstToken)).toMatch(/^<\?xml [^>]+\?><customer-token>/);
  });

  it("writes payloadType as the type attribute", () => {
    const xml = serializeXml(LIST_OK, { payloadType: "customer-tokens" });
    expect(xml).toContain('<payload type="customer-tokens"></payload>');
  });

  it("repeats list items under the property name", () => {
    const xml = serializeXml(LIST_OK, { "customer-tokens": { token: [{ "exp-date": "0932" }] } });
    expect(xml).toContain(
      "<customer-tokens><token><exp-date>0932</exp-date></token></customer-tokens>",
    );
  });

  it("leaves out null and undefined properties", () => {
    const xml = serializeXml(TOKEN, { "exp-date": "0932", description: null, default: undefined });
    expect(xml).toContain("<customer-token><exp-date>0932</exp-date></customer-token>");
  });

  it("writes properties that the schema lacks", () => {
    const xml = serializeXml(TOKEN, { status: "ACTIVE", "times-used": 3 });
    expect(parseXml(TOKEN, xml).value).toEqual({ status: "ACTIVE", "times-used": "3" });
  });

  const specialText: { name: string; text: string }[] = [
    { name: "markup characters", text: `<a href="x">&amp;</a> 'q'` },
    { name: "carriage return and line feed", text: "line 1\r\nline 2\rline 3\n" },
    { name: "tab and spaces", text: "\t  padded  \t" },
    { name: "cdata end marker", text: "]]>" },
    { name: "non-ascii", text: "Zoë 東京 😀" },
    { name: "entity-like text", text: "&#169; &amp; &nbsp;" },
  ];

  for (const { name, text } of specialText) {
    it(`round-trips ${name} in an element`, () => {
      const value = { description: text };
      expect(parseXml(TOKEN, serializeXml(TOKEN, value)).value).toEqual(value);
    });

    it(`round-trips ${name} in an attribute`, () => {
      const value = { payloadType: text };
      expect(parseXml(LIST_OK, serializeXml(LIST_OK, value)).value).toEqual(value);
    });
  }

  const controlCharacters = ["\u0000", "\u0007", "\u001b", "\uFFFE", "\uD800"];

  for (const character of controlCharacters) {
    const code = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    it(`rejects ${code} naming the field`, () => {
      const error = serializeError(ADD_REQUEST, { ...firstToken, description: `a${character}b` });
      expect(error.reason).toBe("invalid-character");
      expect(error.pointer).toBe("/description");
      expect(error.message).toContain(code);
      expect(error.message).toContain("/description");
    });
  }

  it("rejects a control character in a list item", () => {
    const value = { "customer-tokens": { token: [firstToken, { description: "\u0001" }] } };
    expect(serializeError(LIST_OK, value).pointer).toBe("/customer-tokens/token/1/description");
  });

  it("rejects an object where the schema has text", () => {
    const error = serializeError(TOKEN, { "exp-date": { month: "09" } });
    expect(error.reason).toBe("invalid-value");
    expect(error.pointer).toBe("/exp-date");
  });

  it("rejects a single item where the schema has a list", () => {
    const error = serializeError(LIST_OK, { "customer-tokens": { token: firstToken } });
    expect(error.reason).toBe("invalid-value");
    expect(error.pointer).toBe("/customer-tokens/token");
  });

  it("rejects a key that is not an XML name", () => {
    const error = serializeError(TOKEN, { "1st key": "x" });
    expect(error.reason).toBe("invalid-value");
    expect(error.pointer).toBe("/1st key");
  });

  it("rejects a body that is not an object", () => {
    expect(serializeError(ADD_REQUEST, "token").reason).toBe("invalid-value");
  });

  it("rejects an undeclared response status", () => {
    const error = serializeError({ operation: "listCustomerTokens", status: 500 }, {});
    expect(error.reason).toBe("unknown-target");
  });

  it("rejects a schema that the spec lacks", () => {
    expect(serializeError({ schema: "Invoice" }, {}).reason).toBe("unknown-target");
  });
});
