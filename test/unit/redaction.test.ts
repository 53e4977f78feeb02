/**
 * The API key must appear in no error field, message, stack, cause or event, whichever way the
 * gateway or an injected `fetch` echoes it.
 */
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  type ClientEvent,
  ConnectionError,
  createRecurringPaymentsClient,
  ERROR_BODY_LIMIT_BYTES,
  type RecurringPaymentsClientOptions,
  ResponseParseError,
} from "../../src/index.js";
import {
  createMemoryFetch,
  envelope,
  errorPayload,
  jsonResponse,
} from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

/** The key with every character written as a JSON `\u` escape. */
const JSON_ESCAPED_KEY = [...API_KEY]
  .map((character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`)
  .join("");

function clientAnswering(
  respond: () => Response | Promise<Response>,
  options: Partial<RecurringPaymentsClientOptions> = {},
) {
  const events: ClientEvent[] = [];
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch: createMemoryFetch(respond).fetch,
    maxRetries: 0,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { client, events };
}

async function addRejection(respond: () => Response | Promise<Response>) {
  const { client, events } = clientAnswering(respond);
  const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);
  return { error, events };
}

describe("api key redaction", () => {
  it("redacts a failed 200 envelope's message", async () => {
    const body = envelope(errorPayload(`invalid api-key ${API_KEY}`), "400", "fail");
    const { error, events } = await addRejection(() => jsonResponse(200, body));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).errorMessage).toBe("invalid api-key [REDACTED]");
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(events, API_KEY)).toEqual([]);
  });

  it("redacts a success envelope's exchange id in events", async () => {
    const body = { ...(envelope(tokensPayload([TOKEN])) as object), "exchange-id": API_KEY };
    const { client, events } = clientAnswering(() => jsonResponse(200, body));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([TOKEN]);
    const response = events.find((event) => event.type === "response");
    expect(response?.exchangeId).toBe("[REDACTED]");
    expect(findSecret(events, API_KEY)).toEqual([]);
  });

  it("redacts a failed 200 envelope's exchange id", async () => {
    const body = { code: "401", status: "fail", "exchange-id": API_KEY, payload: {} };
    const { error, events } = await addRejection(() => jsonResponse(200, body));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(findSecret(error, API_KEY)).toEqual([]);
    const failure = events.find((event) => event.type === "failure");
    expect(failure?.exchangeId).toBe("[REDACTED]");
    expect(findSecret(events, API_KEY)).toEqual([]);
  });

  it("redacts the status text of an unreadable payload", async () => {
    const { error, events } = await addRejection(
      () => new Response(JSON.stringify({ other: 1 }), { status: 200, statusText: API_KEY }),
    );
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(events, API_KEY)).toEqual([]);
  });

  it("redacts a key written with JSON escapes", async () => {
    const text = `{"error":{"error-message":"invalid api-key ${JSON_ESCAPED_KEY}"}}`;
    const { error, events } = await addRejection(() => new Response(text, { status: 401 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as ApiError).errorMessage).toBe("invalid api-key [REDACTED]");
    expect((error as ApiError).body).not.toContain(JSON_ESCAPED_KEY);
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(events, API_KEY)).toEqual([]);
  });

  it("redacts a key written with XML character references", async () => {
    const escaped = [...API_KEY].map((character) => `&#${character.charCodeAt(0)};`).join("");
    const { error } = await addRejection(
      () => new Response(`<error>${escaped}</error>`, { status: 500 }),
    );
    expect((error as ApiError).body).toBe("<error>[REDACTED]</error>");
  });

  it("redacts a key that a cut message would split", async () => {
    const message = `${"m".repeat(195)} ${API_KEY}`;
    const { error } = await addRejection(() => jsonResponse(400, errorPayload(message)));
    expect((error as ApiError).message).not.toContain(API_KEY.slice(0, 4));
    expect(findSecret(error, API_KEY)).toEqual([]);
  });

  it("redacts a key that the body limit would split", async () => {
    const text = `${"x".repeat(ERROR_BODY_LIMIT_BYTES - 4)}${JSON_ESCAPED_KEY}`;
    const { error } = await addRejection(() => new Response(text, { status: 500 }));
    expect((error as ApiError).bodyTruncated).toBe(true);
    expect((error as ApiError).body.endsWith("x[RED")).toBe(true);
  });

  it("drops a Request from a fetch rejection's cause", async () => {
    const fetch = async (request: Request) => {
      const failure = new TypeError("fetch failed", {
        cause: Object.assign(new Error(`socket closed for ${API_KEY}`), { code: "ECONNRESET" }),
      });
      throw Object.assign(failure, { request });
    };
    const { client, events } = clientAnswering(() => jsonResponse(200, {}), { fetch });
    const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    const cause = (error as ConnectionError).cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause.message).toBe("fetch failed");
    expect((cause.cause as { code?: string }).code).toBe("ECONNRESET");
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(events, API_KEY)).toEqual([]);
  });

  it("drops a Request that fetch rejects with", async () => {
    const fetch = (request: Request) => Promise.reject(request);
    const { client } = clientAnswering(() => jsonResponse(200, {}), { fetch });
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(findSecret(error, API_KEY)).toEqual([]);
  });
});
