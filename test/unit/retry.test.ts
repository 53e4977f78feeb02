import { describe, expect, it } from "vitest";
import {
  type ApiError,
  type ClientEvent,
  ConnectionError,
  createRecurringPaymentsClient,
  InternalServerError,
  maskTokenId,
  RateLimitError,
  type RecurringPaymentsClientOptions,
  TimeoutError,
} from "../../src/index.js";
import { createMemoryFetch, jsonResponse } from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

const refused = () =>
  Promise.reject(
    new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
    }),
  );
/** What undici's `fetch` (Node 20, 22 and 24) throws for a port such as 6000. */
const badPort = () =>
  Promise.reject(new TypeError("fetch failed", { cause: new Error("bad port") }));
const reset = () =>
  Promise.reject(
    new TypeError("fetch failed", {
      cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    }),
  );

/** A client whose `fetch` returns `responses` in turn and whose sleep records delays. */
function scriptedClient(
  responses: Array<() => Response | Promise<Response>>,
  options: Partial<RecurringPaymentsClientOptions> = {},
) {
  const delays: number[] = [];
  const events: ClientEvent[] = [];
  const memory = createMemoryFetch((_request, index) => {
    const respond = responses[Math.min(index, responses.length - 1)];
    if (respond === undefined) throw new Error("no scripted response");
    return respond();
  });
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch: memory.fetch,
    sleep: async (delayMs) => {
      delays.push(delayMs);
    },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { client, requests: memory.requests, delays, events };
}

type Client = ReturnType<typeof createRecurringPaymentsClient>;

const ok = () => jsonResponse(200, tokensPayload([TOKEN]));
const status = (code: number, headers?: HeadersInit) => () =>
  new Response("", { status: code, headers });

describe("retries", () => {
  it.each([408, 429, 500, 502, 503, 504])("retries GET after %i", async (code) => {
    const { client, requests } = scriptedClient([status(code), ok]);
    await expect(client.customerTokens.list("c")).resolves.toEqual([TOKEN]);
    expect(requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 501])("does not retry GET after %i", async (code) => {
    const { client, requests } = scriptedClient([status(code), ok]);
    await expect(client.customerTokens.list("c")).rejects.toMatchObject({ status: code });
    expect(requests).toHaveLength(1);
  });

  it("retries PUT after a reset connection", async () => {
    const { client, requests } = scriptedClient([reset, ok]);
    await expect(client.customerTokens.update("c", TOKEN)).resolves.toEqual([TOKEN]);
    expect(requests).toHaveLength(2);
  });

  it.each([
    ["503", status(503)],
    ["a reset connection", reset],
    ["429", status(429, { "retry-after": "1" })],
  ])("does not retry POST after %s", async (_name, failure) => {
    const { client, requests } = scriptedClient([failure, ok]);
    await expect(client.customerTokens.add("c", TOKEN)).rejects.toThrow();
    expect(requests).toHaveLength(1);
  });

  it("retries POST after a refused connection", async () => {
    const { client, requests } = scriptedClient([refused, ok]);
    await expect(client.customerTokens.add("c", TOKEN)).resolves.toEqual([TOKEN]);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toBe(JSON.stringify(TOKEN));
  });

  it("reports the attempts made", async () => {
    const { client, requests } = scriptedClient([status(503)], { maxRetries: 2 });
    const error = (await client.customerTokens
      .list("c")
      .catch((e: unknown) => e)) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain("after 3 attempts");
    expect(requests).toHaveLength(3);
  });

  it("takes maxRetries from the call", async () => {
    const { client, requests } = scriptedClient([status(503)], { maxRetries: 2 });
    await expect(client.customerTokens.list("c", { maxRetries: 0 })).rejects.toThrow(
      InternalServerError,
    );
    expect(requests).toHaveLength(1);
  });

  it("reports a refused connection as not sent", async () => {
    const { client } = scriptedClient([refused], { maxRetries: 1 });
    const error = (await client.customerTokens
      .add("c", TOKEN)
      .catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.requestMayHaveBeenSent).toBe(false);
    expect(error.attempts).toBe(2);
  });
});

describe("a port that fetch rejects", () => {
  it.each([
    ["list", (client: Client) => client.customerTokens.list("c"), "GET"],
    ["add", (client: Client) => client.customerTokens.add("c", TOKEN), "POST"],
    ["update", (client: Client) => client.customerTokens.update("c", TOKEN), "PUT"],
  ])("rejects %s once as not sent", async (_name, call, method) => {
    const { client, requests, delays } = scriptedClient([badPort, ok], { maxRetries: 2 });
    const error = (await call(client).catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.requestMayHaveBeenSent).toBe(false);
    expect(error.attempts).toBe(1);
    expect(error.message).toBe(
      `${method} /rest/v2/customers/c/tokens was not sent because fetch rejected the URL's ` +
        "port, which the Fetch standard blocks as a bad port; use another port in baseUrl",
    );
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("still retries another cause of fetch failed", async () => {
    const otherCause = () =>
      Promise.reject(new TypeError("fetch failed", { cause: new Error("bad gateway") }));
    const { client, requests } = scriptedClient([otherCause, ok], { maxRetries: 1 });
    await expect(client.customerTokens.list("c")).resolves.toEqual([TOKEN]);
    expect(requests).toHaveLength(2);
  });
});

describe("retry delays", () => {
  it("backs off exponentially within the cap", async () => {
    const { client, delays } = scriptedClient([status(500)], {
      maxRetries: 5,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 400,
    });
    await expect(client.customerTokens.list("c")).rejects.toThrow(InternalServerError);
    const ceilings = [100, 200, 400, 400, 400];
    expect(delays).toHaveLength(ceilings.length);
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual((ceilings[index] ?? 0) / 2);
      expect(delay).toBeLessThanOrEqual(ceilings[index] ?? 0);
    });
  });

  it("waits Retry-After seconds", async () => {
    const { client, delays } = scriptedClient([status(429, { "retry-after": "7" }), ok]);
    await client.customerTokens.list("c");
    expect(delays).toEqual([7000]);
  });

  it("waits until a Retry-After date", async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    const { client, delays } = scriptedClient([status(503, { "retry-after": date }), ok]);
    await client.customerTokens.list("c");
    expect(delays[0]).toBeGreaterThan(27_000);
    expect(delays[0]).toBeLessThanOrEqual(30_000);
  });

  it("stops when Retry-After exceeds the maximum", async () => {
    const { client, requests, delays } = scriptedClient([status(429, { "retry-after": "61" }), ok]);
    const error = (await client.customerTokens
      .list("c")
      .catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(61_000);
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("ignores an invalid Retry-After", async () => {
    const { client, delays } = scriptedClient([status(503, { "retry-after": "soon" }), ok], {
      retryBaseDelayMs: 10,
    });
    await client.customerTokens.list("c");
    expect(delays[0]).toBeLessThanOrEqual(10);
  });
});

describe("Retry-After parsing", () => {
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  const pad = (value: number) => String(value).padStart(2, "0");
  const inOneHour = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
  const time = [inOneHour.getUTCHours(), inOneHour.getUTCMinutes(), inOneHour.getUTCSeconds()]
    .map(pad)
    .join(":");
  const day = DAYS[inOneHour.getUTCDay()] as string;
  const month = MONTHS[inOneHour.getUTCMonth()] as string;
  const date = inOneHour.getUTCDate();
  const year = inOneHour.getUTCFullYear();

  it.each([
    ["IMF-fixdate", inOneHour.toUTCString()],
    ["RFC 850", `${day}, ${pad(date)}-${month}-${String(year).slice(2)} ${time} GMT`],
    ["asctime", `${day.slice(0, 3)} ${month} ${String(date).padStart(2, " ")} ${time} ${year}`],
  ])("reads an %s date", async (_format, value) => {
    const { client } = scriptedClient([status(503, { "retry-after": value })], { maxRetries: 0 });
    const error = (await client.customerTokens.list("c").catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(3_601_000);
  });

  it("reads a past date as no wait", async () => {
    const value = "Sun, 06 Nov 1994 08:49:37 GMT";
    const { client } = scriptedClient([status(503, { "retry-after": value })], { maxRetries: 0 });
    const error = (await client.customerTokens.list("c").catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfterMs).toBe(0);
  });

  it.each([
    "Foo 12",
    "12 Foo",
    "1.5",
    "-5",
    "2001-12-01",
    "Sun, 32 Nov 2099 08:49:37 GMT",
    "Sun, 06 Nov 2099 24:00:00 GMT",
    "Sun, 06 Nov 2099 08:49:37 PST",
    "Tue, 31 Feb 2099 08:49:37 GMT",
    "Sun, 06 Nov 2099 08:49:37 GMT",
  ])("ignores %j and falls back to backoff", async (value) => {
    const { client, delays } = scriptedClient([status(503, { "retry-after": value }), ok], {
      retryBaseDelayMs: 1000,
    });
    await client.customerTokens.list("c");
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(500);

    const single = scriptedClient([status(503, { "retry-after": value })], { maxRetries: 0 });
    const error = (await single.client.customerTokens
      .list("c")
      .catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfterMs).toBeUndefined();
  });
});

describe("timeouts", () => {
  it("rejects a hung fetch with TimeoutError", async () => {
    const { client } = scriptedClient([() => new Promise<Response>(() => undefined)], {
      maxRetries: 1,
    });
    const error = (await client.customerTokens
      .list("c", { timeoutMs: 20 })
      .catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.timeoutMs).toBe(20);
    expect(error.attempt).toBe(2);
    expect(error.message).toMatch(/timed out after 20 ms on attempt 2/);
  });

  it("tells a timed-out add that it may have been applied", async () => {
    const { client, requests } = scriptedClient([() => new Promise<Response>(() => undefined)]);
    const error = (await client.customerTokens
      .add("c", TOKEN, { timeoutMs: 20 })
      .catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(requests).toHaveLength(1);
    expect(error.message).toBe(
      "POST /rest/v2/customers/c/tokens timed out after 20 ms on attempt 1; the gateway may " +
        "have received and applied the request, so list the customer's tokens and add the " +
        "token again only if it is missing, and raise timeoutMs if the gateway is slow",
    );
  });

  it("gives a timed-out list no advice about adding", async () => {
    const { client } = scriptedClient([() => new Promise<Response>(() => undefined)], {
      maxRetries: 0,
    });
    const error = (await client.customerTokens
      .list("c", { timeoutMs: 20 })
      .catch((e: unknown) => e)) as TimeoutError;
    expect(error.message).toBe(
      "GET /rest/v2/customers/c/tokens timed out after 20 ms on attempt 1; raise timeoutMs if " +
        "the gateway is slow",
    );
  });

  it("covers a body that never ends", async () => {
    const stalled = () =>
      new Response(new ReadableStream({ start: () => undefined }), { status: 200 });
    const { client, requests } = scriptedClient([stalled], { timeoutMs: 20, maxRetries: 1 });
    await expect(client.customerTokens.list("c")).rejects.toThrow(TimeoutError);
    expect(requests).toHaveLength(2);
  });

  it("times out a short call beside a long one", async () => {
    const hung = () => new Promise<Response>(() => undefined);
    const { client } = scriptedClient([hung], { maxRetries: 0 });
    const long = client.customerTokens.list("c", { timeoutMs: 400 }).catch((e: unknown) => e);
    const short = await client.customerTokens.list("c", { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(short).toMatchObject({ name: "TimeoutError", timeoutMs: 20 });
    expect(await long).toMatchObject({ name: "TimeoutError", timeoutMs: 400 });
  });

  it("gives an old client the full timeout", async () => {
    const slow = () => new Promise<Response>((resolve) => setTimeout(() => resolve(ok()), 30));
    const { client } = scriptedClient([slow], { timeoutMs: 150, maxRetries: 0 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(client.customerTokens.list("c")).resolves.toEqual([TOKEN]);
  });
});

describe("cancellation", () => {
  it("rejects with the abort reason during a request", async () => {
    const { client } = scriptedClient([() => new Promise<Response>(() => undefined)]);
    const controller = new AbortController();
    const call = client.customerTokens.list("c", { signal: controller.signal });
    const reason = new Error("user left");
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it("stops a pending backoff wait", async () => {
    const controller = new AbortController();
    const { client, requests } = scriptedClient([status(503), ok], {
      sleep: (_delay, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason));
          controller.abort("stop");
        }),
    });
    await expect(client.customerTokens.list("c", { signal: controller.signal })).rejects.toBe(
      "stop",
    );
    expect(requests).toHaveLength(1);
  });

  it("sends nothing when already aborted", async () => {
    const { client, requests } = scriptedClient([ok]);
    await expect(
      client.customerTokens.list("c", { signal: AbortSignal.abort("early") }),
    ).rejects.toBe("early");
    expect(requests).toHaveLength(0);
  });
});

describe("events", () => {
  it("reports retries and the response", async () => {
    const { client, events } = scriptedClient([status(503, { "exchange-id": "ID-1" }), ok]);
    await client.customerTokens.update("c", TOKEN);
    expect(events.map((event) => event.type)).toEqual(["retry", "response"]);
    expect(events[0]).toMatchObject({
      method: "PUT",
      path: "/rest/v2/customers/{customerKey}/tokens",
      attempt: 1,
      status: 503,
      error: "InternalServerError",
      exchangeId: "ID-1",
      tokenId: "****************1111",
    });
    expect(events[1]).toMatchObject({ status: 200, attempt: 2 });
  });

  it("reports a failure without the key or token id", async () => {
    const { client, events } = scriptedClient([status(401)]);
    await expect(client.customerTokens.add("c", TOKEN)).rejects.toThrow();
    expect(events).toEqual([
      expect.objectContaining({ type: "failure", status: 401, error: "AuthenticationError" }),
    ]);
    for (const event of events) {
      expect(findSecret(event, API_KEY)).toEqual([]);
      expect(JSON.stringify(event)).not.toContain(TOKEN["token-id"]);
    }
  });

  it("ignores a throwing listener", async () => {
    const { client } = scriptedClient([ok], {
      onEvent: () => {
        throw new Error("logger down");
      },
    });
    await expect(client.customerTokens.list("c")).resolves.toEqual([TOKEN]);
  });
});

describe("maskTokenId", () => {
  it.each([
    ["11000383833939381111", "****************1111"],
    ["12345", "****2345"],
    ["1234", "****"],
    ["", "****"],
  ])("masks %s", (tokenId, expected) => {
    expect(maskTokenId(tokenId)).toBe(expected);
  });
});
