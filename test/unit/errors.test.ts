import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  type ClientEvent,
  ConnectionError,
  createRecurringPaymentsClient,
  ERROR_BODY_LIMIT_BYTES,
  formatHttpErrorMessage,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RecurringPaymentsError,
  ResponseParseError,
  TimeoutError,
} from "../../src/index.js";
import {
  createMemoryFetch,
  envelope,
  errorPayload,
  jsonResponse,
} from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
import { API_KEY } from "../helpers/tokens.js";

function listWith(respond: () => Response | Promise<Response>): Promise<unknown> {
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch: createMemoryFetch(respond).fetch,
    maxRetries: 0,
  });
  return client.customerTokens.list("cust-0001").catch((error: unknown) => error);
}

describe("error class by status", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [402, ApiError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ApiError],
    [422, BadRequestError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
    [599, InternalServerError],
    [302, ApiError],
  ])("maps %i to its class", async (status, errorClass) => {
    const error = await listWith(() => new Response(null, { status }));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(RecurringPaymentsError);
    expect((error as ApiError).name).toBe(errorClass.name);
    expect((error as ApiError).status).toBe(status);
  });
});

describe("error payload fields", () => {
  it.each([
    ["a bare error payload", errorPayload("Customer not found", "042")],
    [
      "an enveloped error payload",
      envelope(errorPayload("Customer not found", "042"), "404", "fail"),
    ],
  ])("reads %s", async (_name, body) => {
    const error = (await listWith(() => jsonResponse(404, body))) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.resultCode).toBe("042");
    expect(error.errorMessage).toBe("Customer not found");
    expect(error.timeStamp).toBe("2024-05-01T12:00:00Z");
    expect(error.method).toBe("GET");
    expect(error.path).toBe("/rest/v2/customers/cust-0001/tokens");
    expect(error.body).toBe(JSON.stringify(body));
    expect(error.message).toMatch(/: Customer not found \(result code 042/);
  });

  it("takes the exchange id from the envelope", async () => {
    const body = envelope(errorPayload("Bad token"), "400", "fail");
    const error = (await listWith(() => jsonResponse(400, body))) as ApiError;
    expect(error.exchangeId).toBe("ID-clearent-rps-1-test");
    expect(error.message).toContain("exchange-id ID-clearent-rps-1-test");
  });

  it("takes the exchange id from the header", async () => {
    const response = new Response("", { status: 500, headers: { "exchange-id": "ID-header" } });
    const error = (await listWith(() => response)) as ApiError;
    expect(error.exchangeId).toBe("ID-header");
  });

  it("reads a problem document's detail", async () => {
    const body = JSON.stringify({ title: "Forbidden", detail: "Key lacks scope", status: 403 });
    const response = new Response(body, {
      status: 403,
      headers: { "content-type": "application/problem+json" },
    });
    const error = (await listWith(() => response)) as PermissionDeniedError;
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.errorMessage).toBe("Key lacks scope");
    expect(error.resultCode).toBeUndefined();
  });

  it("rejects a 2xx whose envelope failed", async () => {
    const body = envelope(errorPayload("Card declined", "002"), "402", "FAIL");
    const error = (await listWith(() => jsonResponse(200, body))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(402);
    expect(error.resultCode).toBe("002");
  });
});

describe("odd error bodies", () => {
  it("rejects 401 with an empty body", async () => {
    const error = (await listWith(() => new Response(null, { status: 401 }))) as ApiError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.body).toBe("");
    expect(error.errorMessage).toBeUndefined();
  });

  it("rejects 502 with an HTML body", async () => {
    const html = "<html><body>Bad Gateway</body></html>";
    const response = new Response(html, { status: 502, headers: { "content-type": "text/html" } });
    const error = (await listWith(() => response)) as ApiError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    expect(error.body).toBe(html);
    expect(error.message).not.toContain("<html>");
  });

  it("rejects a cut-off JSON error body", async () => {
    const error = (await listWith(
      () => new Response('{"error":{"error-m', { status: 400 }),
    )) as ApiError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.body).toBe('{"error":{"error-m');
  });

  it("truncates a long error body", async () => {
    const error = (await listWith(
      () => new Response("x".repeat(200_000), { status: 500 }),
    )) as ApiError;
    expect(error.body).toHaveLength(ERROR_BODY_LIMIT_BYTES);
    expect(error.bodyTruncated).toBe(true);
  });

  it.each([
    ["HTML", "<html>Maintenance</html>"],
    ["cut-off JSON", '{"customer-tokens":{"tok'],
    ["plain text", "OK"],
  ])("rejects a 2xx %s body with ResponseParseError", async (_name, text) => {
    const error = (await listWith(() => new Response(text, { status: 200 }))) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(200);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.body).toBe(text);
  });
});

describe("network failures", () => {
  it("rejects with ConnectionError and the cause", async () => {
    const cause = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNRESET"), { code: "ECONNRESET" }),
    });
    const error = (await listWith(() => Promise.reject(cause))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.cause).toBe(cause);
    expect(error.requestMayHaveBeenSent).toBe(true);
    expect(error.message).toContain("ECONNRESET");
  });
});

describe("api key in errors", () => {
  const echoes: Array<[string, () => Response]> = [
    ["a body", () => jsonResponse(401, errorPayload(`Invalid key ${API_KEY}`))],
    ["a status text", () => new Response("", { status: 401, statusText: `Bad ${API_KEY}` })],
    [
      "an exchange id header",
      () => new Response("", { status: 500, headers: { "exchange-id": API_KEY } }),
    ],
    ["a 2xx body", () => new Response(`<p>${API_KEY}</p>`, { status: 200 })],
  ];

  it.each(echoes)("redacts the key echoed in %s", async (_name, respond) => {
    const error = await listWith(respond);
    expect(error).toBeInstanceOf(ApiError);
    expect(findSecret(error, API_KEY)).toEqual([]);
  });

  it("keeps the key out of a connection error", async () => {
    const error = await listWith(() => Promise.reject(new TypeError("fetch failed")));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(findSecret(error, API_KEY)).toEqual([]);
  });
});

describe("long request paths in errors", () => {
  const PREFIX = "/rest/v2/customers/";
  const longKey = "k".repeat(100_000);

  function listKey(customerKey: string, respond: () => Promise<Response>): Promise<unknown> {
    const client = createRecurringPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      fetch: createMemoryFetch(respond).fetch,
      maxRetries: 0,
    });
    return client.customerTokens
      .list(customerKey, { timeoutMs: 20 })
      .catch((error: unknown) => error);
  }

  const failures: Array<[string, () => Promise<Response>, new (...args: never[]) => Error]> = [
    ["a 404", async () => new Response("", { status: 404 }), NotFoundError],
    ["a 2xx that is not JSON", async () => new Response("<p>", { status: 200 }), ApiError],
    ["a connection failure", () => Promise.reject(new TypeError("fetch failed")), ConnectionError],
    ["a timeout", () => new Promise<Response>(() => undefined), TimeoutError],
  ];

  it.each(failures)("cuts the path of %s", async (_name, respond, ErrorClass) => {
    const error = (await listKey(longKey, respond)) as Error & { path: string };
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.message.length).toBeLessThan(600);
    expect(error.message).toContain(`GET ${PREFIX}kkk`);
    expect(error.path.length).toBe(2048);
    expect(error.path.startsWith(`${PREFIX}kkk`)).toBe(true);
  });

  it.each(failures)("redacts a key in the path of %s before cutting", async (_n, respond) => {
    const padding = "k".repeat(2048 - PREFIX.length - 4);
    const error = (await listKey(`${padding}${API_KEY}${longKey}`, respond)) as { path: string };
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(error, API_KEY.slice(0, 8))).toEqual([]);
    expect(error.path.endsWith("[RE…")).toBe(true);
  });
});

describe("formatHttpErrorMessage", () => {
  const base = {
    method: "GET",
    path: "/rest/v2/customers/c/tokens",
    attempts: 1,
    errorMessage: undefined,
    resultCode: undefined,
  };

  it.each([
    [
      "status 0",
      { status: 0, statusText: "" },
      "GET /rest/v2/customers/c/tokens failed without an HTTP status",
    ],
    [
      "no status text",
      { status: 401, statusText: "" },
      "GET /rest/v2/customers/c/tokens failed with HTTP 401",
    ],
    [
      "a status text",
      { status: 404, statusText: "Not Found" },
      "GET /rest/v2/customers/c/tokens failed with HTTP 404 Not Found",
    ],
    [
      "blank message",
      { status: 500, statusText: "", errorMessage: "  " },
      "GET /rest/v2/customers/c/tokens failed with HTTP 500",
    ],
    [
      "attempts",
      { status: 503, statusText: "", attempts: 3 },
      "GET /rest/v2/customers/c/tokens failed with HTTP 503 after 3 attempts",
    ],
    [
      "every field",
      {
        status: 400,
        statusText: "Bad Request",
        errorMessage: "Missing exp-date",
        resultCode: "042",
        exchangeId: "ID-9",
      },
      "GET /rest/v2/customers/c/tokens failed with HTTP 400 Bad Request: Missing exp-date " +
        "(result code 042, exchange-id ID-9)",
    ],
    [
      "a reason in place of the status",
      {
        status: 404,
        statusText: "Not Found",
        attempts: 2,
        errorMessage: "No customer",
        reason: "the response envelope reported code 404",
      },
      "GET /rest/v2/customers/c/tokens failed after 2 attempts because the response envelope " +
        "reported code 404: No customer",
    ],
  ])("formats %s", (_name, fields, expected) => {
    expect(formatHttpErrorMessage({ ...base, ...fields })).toBe(expected);
  });

  it("cuts a long gateway message", () => {
    const message = formatHttpErrorMessage({
      ...base,
      status: 400,
      statusText: "",
      errorMessage: "e".repeat(1000),
    });
    expect(message.length).toBeLessThan(300);
    expect(message.endsWith("…")).toBe(true);
  });
});

describe("2xx envelope failures", () => {
  it.each([
    ["status error", { code: "400", status: "error", payload: {} }, 400],
    ["status ERROR with code 200", { code: "200", status: "ERROR", payload: {} }, 200],
    ["code 503 without status", { code: "503", "exchange-id": "ID-7", payload: {} }, 503],
  ])("rejects %s", async (_name, body, status) => {
    const error = (await listWith(() => jsonResponse(200, body))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
  });

  it("omits the transport status text for an envelope code", async () => {
    const body = { code: "503", status: "fail", payload: {} };
    const error = (await listWith(() => jsonResponse(200, body))) as ApiError;
    expect(error.statusText).toBe("");
    expect(error.message).toBe(
      "GET /rest/v2/customers/cust-0001/tokens failed because the response envelope reported " +
        'status "fail" and code 503, although the response was HTTP 200',
    );
  });
});

describe("unreadable token payload", () => {
  it("reports the call's attempts, exchange id and failure event", async () => {
    const events: ClientEvent[] = [];
    const body = envelope({ "customer-tokens": [] });
    const client = createRecurringPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      fetch: createMemoryFetch((_request, index) =>
        index === 0 ? new Response(null, { status: 503 }) : jsonResponse(200, body),
      ).fetch,
      maxRetries: 1,
      sleep: async () => undefined,
      onEvent: (event) => events.push(event),
    });
    const error = (await client.customerTokens
      .list("cust-0001")
      .catch((e: unknown) => e)) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error.attempts).toBe(2);
    expect(error.exchangeId).toBe("ID-clearent-rps-1-test");
    const failure = events.find((event) => event.type === "failure");
    expect(failure?.error).toBe("ResponseParseError");
    expect(failure?.attempt).toBe(2);
    expect(failure?.exchangeId).toBe("ID-clearent-rps-1-test");
  });
});
