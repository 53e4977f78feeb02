import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ApiError,
  type CustomerToken,
  type components,
  type createRecurringPaymentsClient,
  RequestValidationError,
  ResponseParseError,
} from "../../src/index.js";
import { createMemoryClient, envelope, jsonResponse } from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
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
    ["undefined", undefined, /customerKey must be a string, received undefined$/],
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
    ["an empty payload", {}],
    ["an envelope without payload", { code: "200", status: "SUCCESS" }],
    ["an envelope with a null payload", envelope(null)],
    ["customer-tokens null", { "customer-tokens": null, payloadType: "customer-tokens" }],
    ["an empty customer-tokens", envelope({ "customer-tokens": {} })],
    ["a null token list", { "customer-tokens": { token: null } }],
  ])("resolves [] for %s", async (_name, body) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([]);
  });

  it.each([
    [
      "a list under another key",
      { "customer-tokens": { "customer-token": [TOKEN] } },
      'customer-tokens has no token list but has other members "customer-token": […]',
    ],
    [
      "a token under another key",
      envelope({ "customer-tokens": { "customer-token": TOKEN } }),
      'customer-tokens has no token list but has other members "customer-token": {…}',
    ],
    [
      "a null token list beside another key",
      { "customer-tokens": { token: null, tokens: [TOKEN] } },
      'customer-tokens has no token list but has other members "tokens": […]',
    ],
    [
      "customer-tokens under another key",
      { payloadType: "customer-tokens", customerTokens: { token: [TOKEN] } },
      'the payload has no customer-tokens list but has other members "customerTokens": {…}',
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

  it.each([
    ["a status", { status: "fail" }, '"status": "fail"'],
    ["a code", { code: "500" }, '"code": "500"'],
    [
      "a result and a message",
      { result: "fail", message: "declined" },
      '"result": "fail", "message": "declined"',
    ],
    [
      "code, status and another payloadType",
      { code: 500, status: "fail", payloadType: "tokens" },
      '"code": 500, "status": "fail"',
    ],
    [
      "code and status that report success",
      { payloadType: "customer-tokens", code: 200, status: "success" },
      '"code": 200, "status": "success"',
    ],
    [
      "a status beside a null customer-tokens",
      { "customer-tokens": null, status: "fail" },
      '"status": "fail"',
    ],
    ["a null member", { tokens: null }, '"tokens": null'],
  ])("rejects a bare payload with %s", async (_name, body, members) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).status).toBe(200);
    expect((error as ResponseParseError).errorMessage).toBe(
      `the payload has no customer-tokens list but has other members ${members}`,
    );
  });

  it.each([
    ["an empty customer-tokens", { "customer-tokens": {}, status: "fail" }, '"status": "fail"'],
    [
      "a null token list",
      envelope({ "customer-tokens": { token: null }, code: "500", tokens: [] }),
      '"code": "500", "tokens": […], which may be the list under another name',
    ],
  ])("rejects %s beside other payload members", async (_name, body, members) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe(
      `customer-tokens has no token list, and the payload has other members ${members}`,
    );
  });

  it("rejects a token in place of the list", async () => {
    const body = { "customer-tokens": TOKEN };
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe(
      'customer-tokens has no token list but has other members "customer-key": "cust-0001", ' +
        '"token-id": "****************1111", "exp-date": "0932" and 3 more',
    );
    expect((error as ResponseParseError).message).not.toContain(TOKEN["token-id"]);
  });

  it("redacts the key in a member before cutting it", async () => {
    const body = { message: `${"x".repeat(50)}${API_KEY}`, [`${"k".repeat(50)}${API_KEY}`]: 1 };
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(findSecret(error, API_KEY.slice(0, 5))).toEqual([]);
    expect((error as ResponseParseError).errorMessage).toBe(
      `the payload has no customer-tokens list but has other members "message": ` +
        `"${"x".repeat(50)}[REDACTE…, "${"k".repeat(50)}[REDACTE…: 1`,
    );
  });

  it.each([
    ["a bare payload", { error: "declined" }, undefined],
    ["an envelope", envelope({ error: "declined" }), "ID-clearent-rps-1-test"],
  ])("rejects an error string in %s", async (_name, body, exchangeId) => {
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(ResponseParseError);
    expect((error as ApiError).status).toBe(200);
    expect((error as ApiError).exchangeId).toBe(exchangeId);
    expect((error as ApiError).message).toContain(
      "failed because the response payload reported an error, although the response was HTTP 200",
    );
    expect((error as ApiError).body).toContain("declined");
  });

  it.each([
    ["an empty string", ""],
    ["a blank string", " "],
    ["null", null],
  ])("accepts an error member that is %s beside the list", async (_name, value) => {
    const body = { ...(tokensPayload([TOKEN]) as object), error: value };
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([TOKEN]);
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
      ' but has other members "customer-token": […], which may be the list under another name',
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

  it("names the other members of a payload without tokens", async () => {
    const body = { payloadType: "customer-tokens", code: 200, status: "success" };
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await callOperation(client, operation, "cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe(
      'the payload has no customer-tokens list but has other members "code": 200, ' +
        '"status": "success"',
    );
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
