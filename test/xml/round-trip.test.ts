import { describe, expect, it } from "vitest";
import { parseXml, serializeXml } from "../../src/xml.js";
import { ADD_REQUEST, firstToken, LIST_OK, readFixture, secondToken } from "./fixtures.js";

const requestToken = {
  ...firstToken,
  description: 'Tom & Jerry <travel> "card"',
  default: true,
  "avs-zip": "02134",
};

const tokensPayload = {
  "customer-tokens": {
    token: [{ ...firstToken, default: true, "avs-zip": "02134" }, secondToken],
  },
  payloadType: "customer-tokens",
};

describe("request body", () => {
  it("serializes to the spec's form byte for byte", () => {
    expect(serializeXml(ADD_REQUEST, requestToken)).toBe(readFixture("customer-token-request.xml"));
  });

  it("parses the spec's form", () => {
    const parsed = parseXml(
      { schema: "customer-token" },
      readFixture("customer-token-request.xml"),
    );
    expect(parsed.value).toEqual(requestToken);
  });
});

describe("response body", () => {
  it("parses the spec's payload root", () => {
    const parsed = parseXml(LIST_OK, readFixture("tokens-payload.xml"));
    expect(parsed.root).toBe("body");
    expect(parsed.value).toEqual(tokensPayload);
  });

  it("round-trips the spec's payload root", () => {
    const xml = serializeXml(LIST_OK, tokensPayload);
    expect(parseXml(LIST_OK, xml).value).toEqual(tokensPayload);
  });

  it("parses the gateway's response envelope", () => {
    const parsed = parseXml(LIST_OK, readFixture("tokens-response-envelope.xml"));
    expect(parsed.root).toBe("response");
    expect(parsed.envelope).toEqual({
      code: "200",
      status: "success",
      exchangeId: "ID-clearent-rps-1-0001",
      links: [{ rel: "self", href: "/rest/v2/customers/cust-0001/tokens" }],
    });
    expect(parsed.value).toEqual({
      "customer-tokens": {
        token: [{ ...firstToken, status: "Active", "times-used": "3", created: "2019-04-01" }],
      },
      payloadType: "customer-tokens",
    });
  });

  it("parses an error envelope", () => {
    const target = { operation: "addCustomerToken", status: 404 } as const;
    const parsed = parseXml(target, readFixture("error-response-envelope.xml"));
    expect(parsed.envelope?.exchangeId).toBe("ID-clearent-rps-1-0002");
    expect(parsed.envelope?.status).toBe("fail");
    expect(parsed.value).toEqual({
      error: {
        "error-message": "Customer not found.",
        "result-code": "042",
        "time-stamp": "2024-05-14T16:02:11Z",
      },
      payloadType: "error",
    });
  });

  it("parses an error envelope of an undeclared status", () => {
    const target = { operation: "addCustomerToken", status: 500 } as const;
    const parsed = parseXml(target, readFixture("error-response-envelope.xml"));
    expect(parsed.value).toEqual({
      error: {
        "error-message": "Customer not found.",
        "result-code": "042",
        "time-stamp": "2024-05-14T16:02:11Z",
      },
      payloadType: "error",
    });
  });

  it("parses prism's xml wrapper", () => {
    const parsed = parseXml(LIST_OK, readFixture("tokens-prism.xml"));
    expect(parsed.root).toBe("xml");
    expect(parsed.value).toEqual({
      "customer-tokens": {
        token: [{ ...firstToken, "customer-key": "C000123", "last-four-digits": "1111" }],
      },
      payloadType: "customer-tokens",
    });
  });

  it("parses the referenced schemas' element names", () => {
    const parsed = parseXml(LIST_OK, readFixture("tokens-schema-names.xml"));
    expect(parsed.value).toEqual({
      "customer-tokens": { token: [firstToken] },
      payloadType: "customer-tokens",
    });
  });
});
