/**
 * The API key must appear in no error field, message, stack, cause or event, whichever way the
 * gateway or an injected `fetch` echoes it.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  ERROR_BODY_LIMIT_BYTES,
  type RecurringPaymentsClient,
  ResponseParseError,
} from "../../src/index.js";
import {
  createMemoryClient,
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

async function addRejection(respond: () => Response | Promise<Response>) {
  const { client, events } = createMemoryClient(respond);
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
    const { client, events } = createMemoryClient(() => jsonResponse(200, body));
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
    const { client, events } = createMemoryClient(() => jsonResponse(200, {}), { fetch });
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
    const { client } = createMemoryClient(() => jsonResponse(200, {}), { fetch });
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(findSecret(error, API_KEY)).toEqual([]);
  });
});

/** Returns every run of 8 characters of the key that occurs in `text`. */
function keyFragmentsIn(text: string): string[] {
  const fragments: string[] = [];
  for (let start = 0; start + 8 <= API_KEY.length; start += 1) {
    const fragment = API_KEY.slice(start, start + 8);
    if (text.includes(fragment)) fragments.push(fragment);
  }
  return fragments;
}

describe("invalid JSON body", () => {
  const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
  const params = { path: { customerKey: "cust-0001" } };
  const calls: Array<[string, (client: RecurringPaymentsClient) => Promise<unknown>]> = [
    ["list", (client) => client.customerTokens.list("cust-0001")],
    ["add", (client) => client.customerTokens.add("cust-0001", TOKEN)],
    ["api GET", (client) => client.api.GET(TOKENS_PATH, { params })],
  ];
  const bodies = [
    ["the key alone", API_KEY],
    ["the key at the start", `${API_KEY} is not a valid key for this environment`],
    ["the key after one character", `K${API_KEY} is not a valid key for this environment`],
  ];
  const cases = calls.flatMap(([call, send]) =>
    bodies.map(([body, text]) => [call, body, send, text] as const),
  );

  it.each(cases)("keeps the key out on %s with %s", async (_call, _body, send, text) => {
    const { client, events } = createMemoryClient(
      () => new Response(text, { status: 200, headers: { "content-type": "application/json" } }),
    );
    const error = (await send(client).catch((e: unknown) => e)) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    const cause = error.cause as Error;
    expect(cause).toBeInstanceOf(SyntaxError);

    const reachable = {
      message: error.message,
      "String(cause)": String(cause),
      "cause.message": cause.message,
      "cause.stack": cause.stack ?? "",
      "JSON.stringify": JSON.stringify(error),
      "util.inspect": inspect(error, { depth: 5 }),
    };
    for (const [place, value] of Object.entries(reachable)) {
      expect(keyFragmentsIn(value), place).toEqual([]);
    }
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(events, API_KEY)).toEqual([]);
    expect(cause.message).toMatch(/the response body is not valid JSON$/);
  });

  it("keeps a token id out of the cause", async () => {
    const text = `N${TOKEN["token-id"]} was declined`;
    const { client } = createMemoryClient(() => new Response(text, { status: 200 }));
    const error = (await client.customerTokens
      .list("cust-0001")
      .catch((e: unknown) => e)) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    const cause = error.cause as Error;
    for (const value of [error.message, String(cause), cause.stack ?? ""]) {
      expect(value).not.toMatch(/\d{9}/);
    }
  });

  it("keeps the unexpected character in the cause", async () => {
    const { client } = createMemoryClient(
      () => new Response("<html><body>Service Unavailable</body></html>", { status: 200 }),
    );
    const error = (await client.customerTokens
      .list("cust-0001")
      .catch((e: unknown) => e)) as ResponseParseError;
    expect((error.cause as Error).message).toBe(
      "Unexpected token '<', the response body is not valid JSON",
    );
  });

  it("keeps a parser message that gives a position", async () => {
    const { client } = createMemoryClient(() => new Response('{"a":1}x', { status: 200 }));
    const error = (await client.customerTokens
      .list("cust-0001")
      .catch((e: unknown) => e)) as ResponseParseError;
    // Node 22 and later add "(line 1 column 8)" to V8's message.
    expect((error.cause as Error).message).toMatch(
      /^Unexpected non-whitespace character after JSON at position 7( \(line 1 column 8\))?$/,
    );
  });
});
