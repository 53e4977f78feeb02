import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type CustomerToken,
  type components,
  type createRecurringPaymentsClient,
  RequestValidationError,
  ResponseParseError,
} from "../../src/index.js";
import { createMemoryClient, envelope, jsonResponse } from "../helpers/memory-fetch.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

const OTHER_TOKEN: CustomerToken = {
  ...TOKEN,
  "token-id": "1188102018145522",
  "last-four-digits": "4444",
  "card-type": "MasterCard",
};

type Operation = "list" | "add" | "update";
const OPERATIONS: Array<[Operation, string]> = [
  ["list", "GET"],
  ["add", "POST"],
  ["update", "PUT"],
];

function callOperation(
  client: ReturnType<typeof createRecurringPaymentsClient>,
  operation: Operation,
  customerKey: unknown,
) {
  const key = customerKey as string;
  if (operation === "list") return client.customerTokens.list(key);
  if (operation === "add") return client.customerTokens.add(key, TOKEN);
  return client.customerTokens.update(key, TOKEN);
}

describe("CustomerToken", () => {
  it("matches the generated schema", () => {
    expectTypeOf<CustomerToken>().toEqualTypeOf<components["schemas"]["customer-token"]>();
  });
});

describe.each(OPERATIONS)("customerTokens.%s", (operation, method) => {
  it("sends the method, path and api-key header", async () => {
    const { client, requests } = createMemoryClient(() =>
      jsonResponse(200, tokensPayload([TOKEN])),
    );
    await callOperation(client, operation, "cust-0001");
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe(method);
    expect(requests[0]?.url).toBe("http://127.0.0.1:9/rest/v2/customers/cust-0001/tokens");
    expect(requests[0]?.headers.get("api-key")).toBe(API_KEY);
    expect(requests[0]?.redirect).toBe("manual");
  });

  it("encodes the customer key as one path segment", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    await callOperation(client, operation, "a/b?c#d");
    expect(requests[0]?.url).toBe("http://127.0.0.1:9/rest/v2/customers/a%2Fb%3Fc%23d/tokens");
  });

  it.each([
    ["a bare payload", tokensPayload([TOKEN, OTHER_TOKEN])],
    ["an enveloped payload", envelope(tokensPayload([TOKEN, OTHER_TOKEN]))],
  ])("resolves tokens from %s", async (_name, body) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    await expect(callOperation(client, operation, "cust-0001")).resolves.toEqual([
      TOKEN,
      OTHER_TOKEN,
    ]);
  });

  it.each([
    ["an empty body", () => new Response(null, { status: 200 })],
    ["an empty token list", () => jsonResponse(200, tokensPayload([]))],
    ["a 204", () => new Response(null, { status: 204 })],
  ])("resolves [] for %s", async (_name, respond) => {
    const { client } = createMemoryClient(respond);
    await expect(callOperation(client, operation, "cust-0001")).resolves.toEqual([]);
  });

  it("accepts 201 as success", async () => {
    const { client } = createMemoryClient(() =>
      jsonResponse(201, envelope(tokensPayload([TOKEN]), "201")),
    );
    await expect(callOperation(client, operation, "cust-0001")).resolves.toEqual([TOKEN]);
  });

  it("wraps a single token object in a list", async () => {
    const body = { "customer-tokens": { token: TOKEN }, payloadType: "customer-tokens" };
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    await expect(callOperation(client, operation, "cust-0001")).resolves.toEqual([TOKEN]);
  });

  it("keeps numeric token fields as exact strings", async () => {
    const text =
      '{"customer-tokens":{"token":[{"customer-key":"c","token-id":11000383833939381111,' +
      '"exp-date":"0932","card-type":"VISA","last-four-digits":1111,"avs-zip": 2134}]}}';
    const { client } = createMemoryClient(() => new Response(text, { status: 200 }));
    const [token] = await callOperation(client, operation, "cust-0001");
    expect(token?.["token-id"]).toBe("11000383833939381111");
    expect(token?.["last-four-digits"]).toBe("1111");
    expect(token?.["avs-zip"]).toBe("2134");
  });

  it("rejects a payload of another shape", async () => {
    const { client } = createMemoryClient(() => jsonResponse(200, { "customer-tokens": "none" }));
    const error = await callOperation(client, operation, "cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).message).toMatch(/customer-tokens is a string/);
  });

  it.each([
    ["a number", 1],
    ["a string", "11000383833939381111"],
    ["null", null],
    ["an array", []],
  ])("rejects a token list element that is %s", async (name, element) => {
    const body = tokensPayload([TOKEN, element as unknown as CustomerToken]);
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await callOperation(client, operation, "cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).message).toContain(
      `customer-tokens.token[1] is ${name}, not a token`,
    );
    expect((error as ResponseParseError).message).not.toContain("11000383833939381111");
  });

  it.each([
    ["an empty key", "", /customerKey must not be empty/],
    ["a dot", ".", /customerKey "\." is invalid because it would change the request path/],
    ["two dots", "..", /customerKey "\.\." is invalid because it would change the request path/],
    ["a number", 42, /customerKey must be a string, received number 42/],
    ["undefined", undefined, /customerKey must be a string, received undefined/],
    ["an object", { key: "c" }, /customerKey must be a string, received an object/],
    ["a lone surrogate", "ab\ud800", /unpaired UTF-16 surrogate/],
  ])("rejects %s before sending", async (_name, customerKey, message) => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const error = await callOperation(client, operation, customerKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toMatch(message);
    expect(requests).toHaveLength(0);
  });
});

describe("customerTokens.list without a token list", () => {
  it.each([
    ["a payload without tokens", { payloadType: "customer-tokens" }],
    ["an envelope without payload", { code: "200", status: "SUCCESS" }],
    ["customer-tokens null", { "customer-tokens": null, payloadType: "customer-tokens" }],
    ["an empty customer-tokens", envelope({ "customer-tokens": {} })],
    ["a null token list", { "customer-tokens": { token: null } }],
    [
      "a bare payload with code and status",
      { payloadType: "customer-tokens", code: 200, status: "success" },
    ],
  ])("resolves [] for %s", async (_name, body) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([]);
  });

  it.each([
    [
      "a list under another key",
      { "customer-tokens": { "customer-token": [TOKEN] } },
      'customer-tokens has no token list but has "customer-token"',
    ],
    [
      "a token under another key",
      envelope({ "customer-tokens": { "customer-token": TOKEN } }),
      'customer-tokens has no token list but has "customer-token"',
    ],
    [
      "a null token list beside another key",
      { "customer-tokens": { token: null, tokens: [TOKEN] } },
      'customer-tokens has no token list but has "tokens"',
    ],
    [
      "a token in place of the list",
      { "customer-tokens": TOKEN },
      'customer-tokens has no token list but has "customer-key"',
    ],
    [
      "customer-tokens under another key",
      { payloadType: "customer-tokens", customerTokens: { token: [TOKEN] } },
      'the payload has no customer-tokens list but has "customerTokens"',
    ],
  ])("rejects %s", async (_name, body, problem) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe(
      `${problem}, which may be the list under another name`,
    );
    expect((error as ResponseParseError).message).not.toContain(TOKEN["token-id"]);
  });
});

describe.each(["add", "update"] as const)("customerTokens.%s without a token list", (operation) => {
  it.each([
    ["a payload without tokens", { payloadType: "customer-tokens" }],
    ["an envelope without payload", { code: "200", status: "SUCCESS" }],
    ["a null body", null],
  ])("rejects %s", async (_name, body) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await callOperation(client, operation, "cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).message).toMatch(/no customer-tokens list/);
  });

  it.each([
    ["an empty customer-tokens", envelope({ "customer-tokens": {} }), ""],
    ["a null token list", { "customer-tokens": { token: null } }, ""],
    [
      "a list under another key",
      { "customer-tokens": { "customer-token": [TOKEN] } },
      ' but has "customer-token", which may be the list under another name',
    ],
  ])("rejects %s", async (_name, body, detail) => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, body));
    const error = await callOperation(client, operation, "cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe(
      `customer-tokens has no token list${detail}`,
    );
    expect(requests).toHaveLength(1);
  });
});

describe.each(["add", "update"] as const)("customerTokens.%s body", (operation) => {
  it("sends the token as JSON", async () => {
    const { client, requests } = createMemoryClient(() =>
      jsonResponse(200, tokensPayload([TOKEN])),
    );
    await client.customerTokens[operation]("cust-0001", TOKEN);
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual(TOKEN);
    expect(requests[0]?.headers.get("content-type")).toBe("application/json");
  });

  it.each([
    ["null", null, "null"],
    ["an array", [TOKEN], "an array"],
    ["a string", "token", "string"],
  ])("rejects a token that is %s", async (_name, token, shown) => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const call = client.customerTokens[operation]("cust-0001", token as unknown as CustomerToken);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).problems).toEqual([
      { pointer: "", rule: "type", message: `must be of type object, got ${shown}` },
    ]);
    expect((error as Error).message).toContain("was not sent because its body does not match");
    expect(requests).toHaveLength(0);
  });
});

describe("customerTokens call options", () => {
  it.each([
    ["timeoutMs", { timeoutMs: -5 }, /timeoutMs -5 is invalid/],
    ["maxRetries", { maxRetries: 11 }, /maxRetries 11 is invalid/],
    ["signal", { signal: "stop" }, /signal must be an AbortSignal/],
  ])("rejects an invalid %s", async (_name, options, message) => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const call = client.customerTokens.list("c", options as never);
    await expect(call).rejects.toThrow(RequestValidationError);
    await expect(client.customerTokens.list("c", options as never)).rejects.toThrow(message);
    expect(requests).toHaveLength(0);
  });
});
