/**
 * The last argument of the facade methods, `{ signal, timeoutMs, maxRetries }`, and the same
 * keys in a `client.api` init object.
 */
import { describe, expect, it } from "vitest";
import { type CallOptions, RequestValidationError } from "../../src/index.js";
import { createMemoryClient, jsonResponse } from "../helpers/memory-fetch.js";
import { TOKEN, tokensPayload } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
const params = { path: { customerKey: "c" } };

type Operation = "list" | "add" | "update";
const OPERATIONS: Operation[] = ["list", "add", "update"];

function createClient() {
  return createMemoryClient(() => jsonResponse(200, tokensPayload([TOKEN])));
}

function callWithOptions(
  client: ReturnType<typeof createClient>["client"],
  operation: Operation,
  options: unknown,
) {
  const callOptions = options as CallOptions;
  if (operation === "list") return client.customerTokens.list("c", callOptions);
  return client.customerTokens[operation]("c", TOKEN, callOptions);
}

describe.each(OPERATIONS)("customerTokens.%s call options", (operation) => {
  it.each([
    ["timeout", { timeout: 5 }],
    ["timeoutMsec", { timeoutMsec: 10 }],
    ["retries", { retries: 3 }],
    ["parseAs", { parseAs: "text" }],
    ["fetch", { fetch: () => Promise.resolve(new Response(null)) }],
    ["retry", { timeoutMs: 1_000, retry: undefined }],
  ])("rejects the unknown key %s before sending", async (name, options) => {
    const { client, requests } = createClient();
    const error = await callWithOptions(client, operation, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).message).toBe(
      `Unknown call option "${name}"; valid call options are signal, timeoutMs, maxRetries`,
    );
    expect(requests).toHaveLength(0);
  });

  it.each([
    ["no options", undefined],
    ["an empty object", {}],
    ["every option", { signal: new AbortController().signal, timeoutMs: 1_000, maxRetries: 0 }],
    ["options set to undefined", { signal: undefined, timeoutMs: undefined }],
  ])("accepts %s", async (_name, options) => {
    const { client, requests } = createClient();
    await expect(callWithOptions(client, operation, options)).resolves.toEqual([TOKEN]);
    expect(requests).toHaveLength(1);
  });
});

describe("customerTokens call option values", () => {
  it.each([
    ["a negative timeoutMs", { timeoutMs: -5 }, "timeoutMs number -5 is invalid"],
    ["a timeoutMs string", { timeoutMs: "5" }, 'timeoutMs "5" is invalid'],
    ["a maxRetries above 10", { maxRetries: 11 }, "maxRetries number 11 is invalid"],
    ["a maxRetries string", { maxRetries: "3" }, 'maxRetries "3" is invalid'],
    ["a signal string", { signal: "stop" }, "signal must be an AbortSignal"],
    ["options that are a number", 5_000, "options must be an object"],
  ])("rejects %s", async (_name, options, message) => {
    const { client, requests } = createClient();
    const error = await callWithOptions(client, "list", options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).message).toContain(message);
    expect(requests).toHaveLength(0);
  });
});

describe("api call options", () => {
  it("passes other keys to openapi-fetch", async () => {
    const { client, requests } = createClient();
    const init = { params, timeout: 5, cache: "no-store" as const };
    const { data } = await client.api.GET(TOKENS_PATH, init);
    expect(data).toEqual(tokensPayload([TOKEN]));
    expect(requests).toHaveLength(1);
  });

  it.each([
    ["timeoutMs", { timeoutMs: "10" }, 'timeoutMs "10" is invalid'],
    ["maxRetries", { maxRetries: "2" }, 'maxRetries "2" is invalid'],
    [
      "parseAs",
      { parseAs: "xml" },
      'parseAs "xml" is invalid; pass one of json, text, blob, arrayBuffer, stream',
    ],
  ])("quotes a string %s in its message", async (_name, options, message) => {
    const { client, requests } = createClient();
    const init = { params, ...options } as never;
    const error = await client.api.GET(TOKENS_PATH, init).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).message).toContain(message);
    expect(requests).toHaveLength(0);
  });
});
