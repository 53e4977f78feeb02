/**
 * The 2xx body limit, against a loopback server that sends a chunked body: a body longer than
 * `maxResponseBytes` rejects after one request, and one of exactly the limit is read whole.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createRecurringPaymentsClient,
  type RecurringPaymentsClient,
  ResponseParseError,
} from "../../src/index.js";
import { type LoopbackServer, startLoopbackServer } from "../helpers/loopback-server.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
const params = { path: { customerKey: "cust-0001" } };
const MAX_RESPONSE_BYTES = 1024;

/** Returns a valid JSON tokens body padded with spaces to `length` bytes. */
function paddedTokensBody(length: number): string {
  const text = JSON.stringify(tokensPayload([TOKEN]));
  return text + " ".repeat(length - text.length);
}

let server: LoopbackServer;
/** Body length the server sends for the next requests, in bytes. */
let bodyLength = 0;
let client: RecurringPaymentsClient;

beforeAll(async () => {
  server = await startLoopbackServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    // Sent in chunks without Content-Length, so that only the stream shows the size.
    const body = paddedTokensBody(bodyLength);
    for (let offset = 0; offset < body.length; offset += 512) {
      response.write(body.slice(offset, offset + 512));
    }
    response.end();
  });
  client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: server.url,
    maxRetries: 2,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    sleep: async () => undefined,
  });
});

afterAll(() => server.close());

describe("maxResponseBytes", () => {
  const calls: Array<[string, () => Promise<unknown>]> = [
    ["list", () => client.customerTokens.list("cust-0001")],
    ["api GET", () => client.api.GET(TOKENS_PATH, { params })],
    ["api GET as text", () => client.api.GET(TOKENS_PATH, { params, parseAs: "text" })],
    ["api GET as blob", () => client.api.GET(TOKENS_PATH, { params, parseAs: "blob" })],
    [
      "api GET as arrayBuffer",
      () => client.api.GET(TOKENS_PATH, { params, parseAs: "arrayBuffer" }),
    ],
    ["add", () => client.customerTokens.add("cust-0001", TOKEN)],
  ];

  it.each(calls)("rejects a longer body on %s once", async (_name, call) => {
    bodyLength = 64 * 1024;
    const before = server.requests.length;
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).status).toBe(200);
    expect((error as Error).message).toContain("larger than maxResponseBytes (1024 bytes)");
    expect(server.requests.length - before).toBe(1);
  });

  it.each(calls)("reads a body of exactly the limit on %s", async (_name, call) => {
    bodyLength = MAX_RESPONSE_BYTES;
    const before = server.requests.length;
    await expect(call()).resolves.toBeDefined();
    expect(server.requests.length - before).toBe(1);
  });

  it("returns the same data as an unlimited read", async () => {
    bodyLength = MAX_RESPONSE_BYTES;
    const { data: text } = await client.api.GET(TOKENS_PATH, { params, parseAs: "text" });
    expect(text).toBe(paddedTokensBody(MAX_RESPONSE_BYTES));
    const { data: blob } = await client.api.GET(TOKENS_PATH, { params, parseAs: "blob" });
    expect(blob?.type).toBe("application/json");
    expect(await blob?.text()).toBe(paddedTokensBody(MAX_RESPONSE_BYTES));
    const { data: buffer } = await client.api.GET(TOKENS_PATH, { params, parseAs: "arrayBuffer" });
    expect(buffer?.byteLength).toBe(MAX_RESPONSE_BYTES);
  });

  it.each([0, -1, 1.5, "1024", Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects the option %s",
    (maxResponseBytes) => {
      const create = () =>
        createRecurringPaymentsClient({
          apiKey: API_KEY,
          baseUrl: server.url,
          maxResponseBytes: maxResponseBytes as number,
        });
      expect(create).toThrow(ConfigurationError);
      expect(create).toThrow(/maxResponseBytes .* is invalid; pass a positive integer of bytes/);
    },
  );
});
