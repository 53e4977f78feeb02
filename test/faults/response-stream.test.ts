/**
 * Bodies requested with `parseAs: "stream"`, against a loopback server: the stream keeps to
 * `maxResponseBytes` and to the attempt's `timeoutMs`, errors with the client's typed errors, and
 * closes the connection when it fails or the caller cancels it.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConnectionError,
  createRecurringPaymentsClient,
  type RecurringPaymentsClientOptions,
  ResponseParseError,
  TimeoutError,
} from "../../src/index.js";
import {
  type LoopbackHandler,
  type LoopbackServer,
  startLoopbackServer,
} from "../helpers/loopback-server.js";
import { findSecret } from "../helpers/secrets.js";
import { API_KEY, TOKEN } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
const params = { path: { customerKey: "cust-0001" } };
const MAX_RESPONSE_BYTES = 1024;
const TIMEOUT_MS = 300;

let server: LoopbackServer | undefined;
/** Sockets that carried a request to `server`. */
let requestSockets: Socket[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  requestSockets = [];
});

async function startServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  server = await startLoopbackServer((request, response, context) => {
    requestSockets.push(request.socket);
    return handler(request, response, context);
  });
  return server;
}

function createClient(baseUrl: string, options: Partial<RecurringPaymentsClientOptions> = {}) {
  return createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    timeoutMs: TIMEOUT_MS,
    maxRetries: 2,
    sleep: async () => undefined,
    ...options,
  });
}

/** Starts a chunked 200 response and writes `bytes` bytes of JSON-like text in 256-byte chunks. */
function writeChunks(response: ServerResponse, bytes: number): void {
  response.writeHead(200, { "content-type": "application/json" });
  for (let offset = 0; offset < bytes; offset += 256) {
    response.write("x".repeat(Math.min(256, bytes - offset)));
  }
}

/** Reads a stream to the end, returning the bytes read before it ended or errored. */
async function readAll(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, error: undefined };
      bytes += value.byteLength;
    }
  } catch (error) {
    return { bytes, error };
  }
}

/**
 * Resolves when every socket that carried a request has closed. Other sockets are left out,
 * because Node's `fetch` (undici) may open a spare connection when one closes.
 */
async function requestSocketsClosed(): Promise<void> {
  expect(requestSockets.length).toBeGreaterThan(0);
  await Promise.all(
    requestSockets.map((socket) =>
      socket.closed ? undefined : new Promise((resolve) => socket.once("close", resolve)),
    ),
  );
}

describe("streamed body", () => {
  it("reads a body of exactly maxResponseBytes", async () => {
    const loopback = await startServer((_request, response) => {
      writeChunks(response, MAX_RESPONSE_BYTES);
      response.end();
    });
    const client = createClient(loopback.url);
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.error).toBeUndefined();
    expect(result.bytes).toBe(MAX_RESPONSE_BYTES);
  });

  it("errors a longer body with ResponseParseError", async () => {
    const loopback = await startServer((_request, response) => {
      writeChunks(response, 64 * 1024);
      response.end();
    });
    const client = createClient(loopback.url);
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.error).toBeInstanceOf(ResponseParseError);
    const error = result.error as ResponseParseError;
    expect(error.status).toBe(200);
    expect(error.message).toContain("larger than maxResponseBytes (1024 bytes)");
    expect(result.bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(loopback.requests).toHaveLength(1);
  });

  it("closes the connection of a longer body", async () => {
    // The server never ends the body, so only the client can close the connection.
    const loopback = await startServer((_request, response) => {
      writeChunks(response, 64 * 1024);
    });
    const client = createClient(loopback.url, { timeoutMs: 60_000 });
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.error).toBeInstanceOf(ResponseParseError);
    await requestSocketsClosed();
    expect(requestSockets.every((socket) => socket.closed)).toBe(true);
  });

  it("errors with TimeoutError when the server stops sending", async () => {
    const loopback = await startServer((_request, response) => writeChunks(response, 256));
    const client = createClient(loopback.url);
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.bytes).toBe(256);
    expect(result.error).toBeInstanceOf(TimeoutError);
    const error = result.error as TimeoutError;
    expect(error.timeoutMs).toBe(TIMEOUT_MS);
    expect(error.attempt).toBe(1);
    expect(error.message).toContain("before the streamed response body ended");
    await requestSocketsClosed();
    expect(loopback.requests).toHaveLength(1);
  });

  it("errors an unread stream with TimeoutError at the deadline", async () => {
    const loopback = await startServer((_request, response) => writeChunks(response, 256));
    const client = createClient(loopback.url);
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    // The client closes the connection when the deadline passes, before anything is read.
    await requestSocketsClosed();
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.bytes).toBe(0);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it("errors with ConnectionError when the body breaks off", async () => {
    const loopback = await startServer((request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": 4000 });
      response.write("x".repeat(100), () => request.socket.destroy());
    });
    const client = createClient(loopback.url);
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.error).toBeInstanceOf(ConnectionError);
    expect((result.error as ConnectionError).requestMayHaveBeenSent).toBe(true);
    expect(findSecret(result.error, API_KEY)).toEqual([]);
    expect(loopback.requests).toHaveLength(1);
  });

  it("closes the connection when the caller cancels", async () => {
    const loopback = await startServer((_request, response) => writeChunks(response, 256));
    const client = createClient(loopback.url, { timeoutMs: 60_000 });
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).toBe(256);
    await reader.cancel();
    await requestSocketsClosed();
    expect(requestSockets.every((socket) => socket.closed)).toBe(true);
    await expect(reader.read()).resolves.toEqual({ done: true, value: undefined });
  });

  it("errors with the reason when the caller's signal aborts", async () => {
    const loopback = await startServer((_request, response) => writeChunks(response, 256));
    const client = createClient(loopback.url, { timeoutMs: 60_000 });
    const controller = new AbortController();
    const { data } = await client.api.GET(TOKENS_PATH, {
      params,
      parseAs: "stream",
      signal: controller.signal,
    });
    const reason = new Error("the caller gave up");
    controller.abort(reason);
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.error).toBe(reason);
    await requestSocketsClosed();
    expect(requestSockets.every((socket) => socket.closed)).toBe(true);
  });

  it("limits the stream of a POST", async () => {
    const loopback = await startServer((_request, response) => {
      writeChunks(response, 64 * 1024);
      response.end();
    });
    const client = createClient(loopback.url);
    const { data } = await client.api.POST(TOKENS_PATH, {
      params,
      body: TOKEN,
      parseAs: "stream",
    });
    const result = await readAll(data as ReadableStream<Uint8Array>);
    expect(result.error).toBeInstanceOf(ResponseParseError);
    expect(loopback.requests).toHaveLength(1);
  });

  it("returns the response whose body is the limited stream", async () => {
    const loopback = await startServer((_request, response) => {
      writeChunks(response, 64 * 1024);
      response.end();
    });
    const client = createClient(loopback.url);
    const { response } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    expect(response.url).toBe(`${loopback.url}/rest/v2/customers/cust-0001/tokens`);
    expect(response.headers.get("content-type")).toBe("application/json");
    await expect(response.text()).rejects.toBeInstanceOf(ResponseParseError);
  });
});
