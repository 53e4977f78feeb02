import { describe, expect, it } from "vitest";
import { parseXml, XmlError, type XmlErrorReason } from "../../src/xml.js";
import { firstToken, LIST_OK } from "./fixtures.js";

const TOKEN_XML =
  "<customer-key>cust-0001</customer-key><token-id>11000383833939381111</token-id>" +
  "<exp-date>0932</exp-date><card-type>VISA</card-type><last-four-digits>0111</last-four-digits>";

function payload(content: string): string {
  return `<payload type="customer-tokens"><customer-tokens>${content}</customer-tokens></payload>`;
}

function parseError(text: string): XmlError {
  try {
    parseXml(LIST_OK, text);
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error("parseXml did not throw");
}

describe("parseXml mapping", () => {
  it("keeps a one-element list a list", () => {
    const { value } = parseXml(LIST_OK, payload(`<token>${TOKEN_XML}</token>`));
    expect(value).toEqual({
      "customer-tokens": { token: [firstToken] },
      payloadType: "customer-tokens",
    });
  });

  it("keeps leading zeros and long digit strings", () => {
    const text = `<customer-token>${TOKEN_XML}<avs-zip>02134</avs-zip></customer-token>`;
    const { value } = parseXml({ schema: "customer-token" }, text);
    expect(value).toMatchObject({
      "token-id": "11000383833939381111",
      "exp-date": "0932",
      "last-four-digits": "0111",
      "avs-zip": "02134",
    });
  });

  const booleans: { text: string; expected: unknown }[] = [
    { text: "true", expected: true },
    { text: "false", expected: false },
    { text: "1", expected: true },
    { text: "0", expected: false },
    { text: "yes", expected: "yes" },
  ];

  for (const { text, expected } of booleans) {
    it(`reads default ${text} as ${JSON.stringify(expected)}`, () => {
      const xml = `<customer-token><default>${text}</default></customer-token>`;
      expect(parseXml({ schema: "customer-token" }, xml).value).toEqual({ default: expected });
    });
  }

  it("omits a list with no items", () => {
    const { value } = parseXml(LIST_OK, payload(""));
    expect(value).toEqual({ "customer-tokens": {}, payloadType: "customer-tokens" });
  });

  it("reads an empty element as an empty string", () => {
    const { value } = parseXml(
      { schema: "customer-token" },
      "<customer-token><description/></customer-token>",
    );
    expect(value).toEqual({ description: "" });
  });

  it("decodes entities and character references", () => {
    const xml =
      "<customer-token><description>a &amp; b &lt;c&gt; &#169; &#x41;&#13;&#10;<![CDATA[<d>]]></description></customer-token>";
    const { value } = parseXml({ schema: "customer-token" }, xml);
    expect(value).toEqual({ description: "a & b <c> © A\r\n<d>" });
  });

  it("keeps nested elements where the schema has text", () => {
    const xml = "<customer-token><exp-date><month>09</month></exp-date></customer-token>";
    expect(parseXml({ schema: "customer-token" }, xml).value).toEqual({
      "exp-date": { month: "09" },
    });
  });

  it("leaves an undeclared status untyped", () => {
    const xml = '<payload type="error"><error><result-code>042</result-code></error></payload>';
    const { value } = parseXml({ operation: "listCustomerTokens", status: 502 }, xml);
    expect(value).toEqual({ error: { "result-code": "042" }, payloadType: "error" });
  });

  it("returns no value for an envelope without payload", () => {
    const parsed = parseXml(
      LIST_OK,
      "<response><code>200</code><status>SUCCESS</status></response>",
    );
    expect(parsed.value).toBeUndefined();
    expect(parsed.envelope).toEqual({ code: "200", status: "SUCCESS", links: [] });
  });

  it("reads links written as child elements", () => {
    const xml = "<response><links><link><rel>self</rel><href>/x</href></link></links></response>";
    expect(parseXml(LIST_OK, xml).envelope?.links).toEqual([{ rel: "self", href: "/x" }]);
  });
});

describe("parseXml errors", () => {
  const cases: { name: string; text: string; reason: XmlErrorReason; message: RegExp }[] = [
    {
      name: "unclosed element",
      text: "<payload><a></payload>",
      reason: "malformed",
      message: /line 1/,
    },
    { name: "empty text", text: "", reason: "malformed", message: /not well-formed/ },
    {
      name: "text without element",
      text: "not xml",
      reason: "malformed",
      message: /not well-formed/,
    },
    {
      name: "html error page",
      text: "<html><body><p>Bad Gateway</body></html>",
      reason: "malformed",
      message: /not well-formed/,
    },
    {
      name: "two roots",
      text: "<payload/><payload/>",
      reason: "malformed",
      message: /exactly one root/,
    },
    {
      name: "doctype",
      text: '<!DOCTYPE payload [<!ENTITY x "y">]><payload>&x;</payload>',
      reason: "malformed",
      message: /DOCTYPE/,
    },
    {
      name: "element named __proto__",
      text: "<payload><__proto__/></payload>",
      reason: "malformed",
      message: /could not be parsed/,
    },
    {
      name: "element named constructor",
      text: "<payload><constructor/></payload>",
      reason: "malformed",
      message: /could not be parsed/,
    },
    {
      name: "other root",
      text: "<token/>",
      reason: "unexpected-root",
      message: /<token> is none of <payload>/,
    },
  ];

  for (const { name, text, reason, message } of cases) {
    it(`rejects ${name}`, () => {
      const error = parseError(text);
      expect(error.reason).toBe(reason);
      expect(error.message).toMatch(message);
    });
  }

  it("rejects an unknown operation", () => {
    expect(() => parseXml({ operation: "nope", status: 200 }, "<payload/>")).toThrow(XmlError);
  });
});
