import { afterEach, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createRecurringPaymentsClient,
  type RecurringPaymentsClientOptions,
  RecurringPaymentsError,
} from "../../src/index.js";
import { createMemoryFetch, jsonResponse } from "../helpers/memory-fetch.js";
import { API_KEY, tokensPayload } from "../helpers/tokens.js";

function constructionError(options: unknown): ConfigurationError {
  try {
    createRecurringPaymentsClient(options as RecurringPaymentsClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toBeInstanceOf(RecurringPaymentsError);
    return error as ConfigurationError;
  }
  throw new Error("createRecurringPaymentsClient did not throw");
}

const fetchStub = createMemoryFetch(() => jsonResponse(200, {})).fetch;

describe("createRecurringPaymentsClient", () => {
  it.each([
    ["missing apiKey", {}, /apiKey is missing/],
    ["empty apiKey", { apiKey: "" }, /apiKey is missing/],
    ["numeric apiKey", { apiKey: 42 }, /apiKey must be a string, received number/],
    [
      "unknown environment",
      { apiKey: API_KEY, environment: "staging" },
      /environment "staging" is unknown; use "sandbox" or "production"/,
    ],
    [
      "relative baseUrl",
      { apiKey: API_KEY, baseUrl: "/rest" },
      /baseUrl "\/rest" is not an absolute URL/,
    ],
    [
      "ftp baseUrl",
      { apiKey: API_KEY, baseUrl: "ftp://127.0.0.1" },
      /baseUrl "ftp:\/\/127.0.0.1" is not an http\(s\) URL/,
    ],
    [
      "baseUrl with credentials",
      { apiKey: API_KEY, baseUrl: "http://user:pw@127.0.0.1" },
      /contains credentials/,
    ],
    [
      "baseUrl with query",
      { apiKey: API_KEY, baseUrl: "http://127.0.0.1/?a=1" },
      /has a query or fragment/,
    ],
    [
      "non-string baseUrl",
      { apiKey: API_KEY, baseUrl: 8080 },
      /baseUrl must be a string, received number 8080/,
    ],
    ["zero timeoutMs", { apiKey: API_KEY, timeoutMs: 0 }, /timeoutMs number 0 is invalid/],
    [
      "fractional maxRetries",
      { apiKey: API_KEY, maxRetries: 1.5 },
      /maxRetries number 1.5 is invalid/,
    ],
    [
      "negative retryBaseDelayMs",
      { apiKey: API_KEY, retryBaseDelayMs: -1 },
      /retryBaseDelayMs number -1 is invalid/,
    ],
    ["non-function fetch", { apiKey: API_KEY, fetch: "fetch" }, /fetch must be a function/],
    ["non-function onEvent", { apiKey: API_KEY, onEvent: {} }, /onEvent must be a function/],
    ["misspelt option", { apiKey: API_KEY, timeout: 5 }, /Unknown option "timeout"/],
    [
      "unknown format",
      { apiKey: API_KEY, format: "yaml" },
      /format "yaml" is invalid; use one of "json", "xml"/,
    ],
    [
      "non-boolean validateRequests",
      { apiKey: API_KEY, validateRequests: "no" },
      /validateRequests must be true or false, received "no"/,
    ],
    [
      "unknown validateResponses",
      { apiKey: API_KEY, validateResponses: "strict" },
      /validateResponses "strict" is invalid; use one of "off", "warn", "error"/,
    ],
    [
      "validateResponses warn without onEvent",
      { apiKey: API_KEY, validateResponses: "warn" },
      /no onEvent listener is set/,
    ],
    [
      "non-boolean dangerouslyAllowBrowser",
      { apiKey: API_KEY, dangerouslyAllowBrowser: 1 },
      /dangerouslyAllowBrowser must be true or false, received number 1/,
    ],
    ["options not an object", undefined, /options must be an object/],
  ])("rejects %s", (_name, options, message) => {
    expect(constructionError(options).message).toMatch(message);
  });

  it.each([
    ["a line break", `${API_KEY}\n`],
    ["a leading space", ` ${API_KEY}`],
    ["a non-ASCII letter", `${API_KEY}é`],
  ])("rejects an apiKey with %s without echoing it", (_name, apiKey) => {
    const error = constructionError({ apiKey, fetch: fetchStub });
    expect(error.message).toMatch(/apiKey is invalid/);
    expect(error.message).not.toContain(API_KEY);
  });

  it.each<[string, Partial<RecurringPaymentsClientOptions>, string]>([
    ["sandbox by default", {}, "https://gateway-sb.clearent.net/rest/v2/customers/c-1/tokens"],
    [
      "sandbox",
      { environment: "sandbox" },
      "https://gateway-sb.clearent.net/rest/v2/customers/c-1/tokens",
    ],
    [
      "production",
      { environment: "production" },
      "https://gateway.clearent.net/rest/v2/customers/c-1/tokens",
    ],
    [
      "baseUrl over environment",
      { environment: "production", baseUrl: "http://127.0.0.1:9/mock/" },
      "http://127.0.0.1:9/mock/rest/v2/customers/c-1/tokens",
    ],
  ])("sends to %s", async (_name, options, expectedUrl) => {
    const memory = createMemoryFetch(() => jsonResponse(200, tokensPayload([])));
    const client = createRecurringPaymentsClient({
      apiKey: API_KEY,
      fetch: memory.fetch,
      ...options,
    });
    await client.customerTokens.list("c-1");
    expect(memory.requests.map((request) => request.url)).toEqual([expectedUrl]);
  });
});

describe("browser guard", () => {
  const global = globalThis as { window?: unknown; document?: unknown };
  const hadWindow = Object.hasOwn(globalThis, "window");
  const hadDocument = Object.hasOwn(globalThis, "document");
  const originalWindow = global.window;
  const originalDocument = global.document;

  afterEach(() => {
    if (hadWindow) global.window = originalWindow;
    else delete global.window;
    if (hadDocument) global.document = originalDocument;
    else delete global.document;
  });

  function pretendBrowser(): void {
    global.window = globalThis;
    global.document = {};
  }

  it("rejects a browser without the opt-in", () => {
    pretendBrowser();
    const error = constructionError({ apiKey: API_KEY, fetch: fetchStub });
    expect(error.message).toMatch(/called in a browser, where the apiKey would be visible/);
    expect(error.message).toMatch(/dangerouslyAllowBrowser: true/);
    expect(error.message).not.toContain(API_KEY);
  });

  it("rejects a browser with dangerouslyAllowBrowser false", () => {
    pretendBrowser();
    const error = constructionError({ apiKey: API_KEY, dangerouslyAllowBrowser: false });
    expect(error.message).toMatch(/called in a browser/);
  });

  it("allows a browser with dangerouslyAllowBrowser true", async () => {
    pretendBrowser();
    const memory = createMemoryFetch(() => jsonResponse(200, tokensPayload([])));
    const client = createRecurringPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      fetch: memory.fetch,
      dangerouslyAllowBrowser: true,
    });
    await expect(client.customerTokens.list("c-1")).resolves.toEqual([]);
  });

  it.each([
    ["only window", { window: {} }],
    ["only document", { document: {} }],
  ])("allows a runtime with %s", (_name, globals) => {
    Object.assign(globalThis, globals);
    expect(() =>
      createRecurringPaymentsClient({ apiKey: API_KEY, fetch: fetchStub }),
    ).not.toThrow();
  });
});

describe("retry delay options", () => {
  it.each([
    [
      "set",
      { retryBaseDelayMs: 10_000, retryMaxDelayMs: 100 },
      "retryBaseDelayMs 10000 is greater than retryMaxDelayMs 100; pass a retryBaseDelayMs " +
        "of at most 100, or a retryMaxDelayMs of at least 10000",
    ],
    [
      "left at its default",
      { retryBaseDelayMs: 10_000 },
      "retryBaseDelayMs 10000 is greater than retryMaxDelayMs 5000 (the default); pass a " +
        "retryBaseDelayMs of at most 5000, or a retryMaxDelayMs of at least 10000",
    ],
  ])("rejects a base delay above a maximum %s", (_name, delays, message) => {
    expect(constructionError({ apiKey: API_KEY, ...delays }).message).toBe(message);
  });

  it.each([
    ["equal delays", { retryBaseDelayMs: 100, retryMaxDelayMs: 100 }, [50, 100]],
    ["zero delays", { retryBaseDelayMs: 0, retryMaxDelayMs: 0 }, [0, 0]],
    ["a maximum below the default base", { retryMaxDelayMs: 100 }, [50, 100]],
  ])("accepts %s", async (_name, delays, [lowest, highest]) => {
    const waits: number[] = [];
    const memory = createMemoryFetch((_request, index) =>
      index === 0 ? jsonResponse(503, {}) : jsonResponse(200, tokensPayload([])),
    );
    const client = createRecurringPaymentsClient({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      fetch: memory.fetch,
      maxRetries: 1,
      sleep: async (delayMs) => {
        waits.push(delayMs);
      },
      ...delays,
    });
    await expect(client.customerTokens.list("c-1")).resolves.toEqual([]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(lowest as number);
    expect(waits[0]).toBeLessThanOrEqual(highest as number);
  });
});
