import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createRecurringPaymentsClient,
  type RecurringPaymentsClient,
} from "../../src/index.js";
import { API_KEY } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

/** Counts the timers that keep the process alive; a cleared client deadline is not counted. */
function countRefTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

/** Creates a client whose `fetch` runs `behave`, counting fetch calls and retries. */
function clientWithFetch(behave: () => unknown) {
  const counts = { fetch: 0, sleeps: 0 };
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch: (() => {
      counts.fetch += 1;
      return behave();
    }) as unknown as typeof globalThis.fetch,
    timeoutMs: 600_000,
    maxRetries: 2,
    sleep: async () => {
      counts.sleeps += 1;
    },
  });
  return { client, counts };
}

const calls: Array<[string, (client: RecurringPaymentsClient) => Promise<unknown>]> = [
  ["list", (client) => client.customerTokens.list("cust-0001")],
  [
    "api GET",
    (client) => client.api.GET(TOKENS_PATH, { params: { path: { customerKey: "cust-0001" } } }),
  ],
];

const cases: Array<[string, () => unknown, RegExp]> = [
  ["returns undefined", () => undefined, /fetch option returned undefined, not a promise/],
  [
    "returns a Response without a promise",
    () => new Response("{}"),
    /fetch option returned an object, not a promise/,
  ],
  ["returns a string", () => "{}", /fetch option returned a string, not a promise/],
  [
    "throws synchronously",
    () => {
      throw new TypeError("fetch is broken");
    },
    /fetch option threw synchronously/,
  ],
  ["resolves to undefined", async () => undefined, /resolved to undefined, not a Response/],
  ["resolves to a plain object", async () => ({}), /resolved to an object, not a Response/],
  [
    "resolves without headers.get",
    async () => ({ status: 200, ok: true, headers: {}, body: null }),
    /resolved to an object, not a Response/,
  ],
  [
    "resolves without a numeric status",
    async () => ({ status: "200", ok: true, headers: new Headers(), body: null }),
    /resolved to an object, not a Response/,
  ],
  [
    "resolves without a body",
    async () => ({ status: 200, ok: true, headers: new Headers(), text: async () => "{}" }),
    /resolved to an object, not a Response/,
  ],
  [
    "resolves without ok",
    async () => ({ status: 200, headers: new Headers(), body: null }),
    /resolved to an object, not a Response/,
  ],
];

describe("fetch contract", () => {
  for (const [callName, call] of calls) {
    it.each(cases)(`rejects a fetch that %s on ${callName}`, async (_name, behave, message) => {
      const { client, counts } = clientWithFetch(behave);
      const timersBefore = countRefTimers();
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/^GET \/rest\/v2\/customers\/cust-0001\/tokens /);
      expect(counts.fetch).toBe(1);
      expect(counts.sleeps).toBe(0);
      expect(countRefTimers()).toBe(timersBefore);
    });
  }

  it("keeps the synchronous error as cause", async () => {
    const thrown = new TypeError("fetch is broken");
    const { client } = clientWithFetch(() => {
      throw thrown;
    });
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect((error as Error).cause).toBe(thrown);
  });

  it("accepts a Response-like object from another library", async () => {
    const { client } = clientWithFetch(async () => {
      const { status, ok, statusText, headers, body } = new Response(
        JSON.stringify({ "customer-tokens": { token: [{ "token-id": "t-1" }] } }),
        { headers: { "content-type": "application/json" } },
      );
      return { status, ok, statusText, headers, body };
    });
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([{ "token-id": "t-1" }]);
  });
});
