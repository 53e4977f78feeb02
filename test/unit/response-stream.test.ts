/**
 * The wrapper around `parseAs: "stream"` bodies, with an injected `fetch` whose body the test
 * controls: cancelling reaches the original body and the `fetch` signal, and the deadline and
 * the abort listener are released once the stream ends, fails or is cancelled.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  createRecurringPaymentsClient,
  type RecurringPaymentsClientOptions,
  ResponseParseError,
  TimeoutError,
} from "../../src/index.js";
import { API_KEY } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
const params = { path: { customerKey: "cust-0001" } };

/** A body the test writes to, and what happened to it. */
interface ControlledBody {
  stream: ReadableStream<Uint8Array>;
  write(text: string): void;
  end(): void;
  /** The reason the client cancelled the body with, once it has. */
  cancelled: { reason: unknown } | undefined;
}

function createControlledBody(): ControlledBody {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body: ControlledBody = {
    stream: new ReadableStream<Uint8Array>({
      start(streamController) {
        controller = streamController;
      },
      cancel(reason) {
        body.cancelled = { reason };
      },
    }),
    write: (text) => controller.enqueue(new TextEncoder().encode(text)),
    end: () => controller.close(),
    cancelled: undefined,
  };
  return body;
}

/** Creates a client whose `fetch` responds 200 with `body` and records the signal it gets. */
function clientStreaming(
  body: ControlledBody,
  options: Partial<RecurringPaymentsClientOptions> = {},
  headers: HeadersInit = { "content-type": "application/json" },
) {
  const signals: AbortSignal[] = [];
  const fetch = async (_request: Request, init?: RequestInit) => {
    if (init?.signal) signals.push(init.signal);
    return new Response(body.stream, { status: 200, headers });
  };
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch,
    maxRetries: 0,
    ...options,
  });
  return { client, signals };
}

async function getStream(
  client: ReturnType<typeof clientStreaming>["client"],
  signal?: AbortSignal,
) {
  const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream", signal });
  return data as ReadableStream<Uint8Array>;
}

/**
 * Counts the timers that keep the process alive. The client's deadline timer is one of them
 * while a deadline is pending, and is unref'd once none is.
 */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

describe("streamed body", () => {
  it("cancels the original body and aborts fetch", async () => {
    const body = createControlledBody();
    const { client, signals } = clientStreaming(body, { timeoutMs: 60_000 });
    const stream = await getStream(client);
    const reason = new Error("no longer needed");
    await stream.cancel(reason);
    expect(body.cancelled?.reason).toBe(reason);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it("releases the deadline when the caller cancels", async () => {
    const before = activeTimers();
    const body = createControlledBody();
    const { client } = clientStreaming(body, { timeoutMs: 60_000 });
    const stream = await getStream(client);
    expect(activeTimers()).toBe(before + 1);
    await stream.cancel();
    expect(activeTimers()).toBe(before);
  });

  it("releases the deadline when the stream ends", async () => {
    const before = activeTimers();
    const body = createControlledBody();
    const { client, signals } = clientStreaming(body, { timeoutMs: 60_000 });
    const stream = await getStream(client);
    expect(activeTimers()).toBe(before + 1);
    body.write("[]");
    body.end();
    expect(await new Response(stream).text()).toBe("[]");
    expect(activeTimers()).toBe(before);
    expect(body.cancelled).toBeUndefined();
    expect(signals[0]?.aborted).toBe(false);
  });

  it("releases the deadline when the stream fails", async () => {
    const before = activeTimers();
    const body = createControlledBody();
    const { client } = clientStreaming(body, { timeoutMs: 60_000, maxResponseBytes: 4 });
    const stream = await getStream(client);
    body.write("12345");
    await expect(new Response(stream).text()).rejects.toBeInstanceOf(ResponseParseError);
    expect(activeTimers()).toBe(before);
    expect(body.cancelled?.reason).toBeInstanceOf(ResponseParseError);
  });

  it("removes its listener from the caller's signal", async () => {
    const controller = new AbortController();
    const body = createControlledBody();
    const { client } = clientStreaming(body, { timeoutMs: 60_000 });
    const stream = await getStream(client, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    await stream.cancel();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("errors an unread stream at the deadline", async () => {
    const body = createControlledBody();
    const { client, signals } = clientStreaming(body, { timeoutMs: 20 });
    const stream = await getStream(client);
    body.write("[]");
    body.end();
    // This timer is due after the client's deadline, so the deadline has passed when it fires.
    await new Promise((resolve) => setTimeout(resolve, 40));
    const error = await new Response(stream).text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain(
      "timed out after 20 ms on attempt 1 before the streamed response body ended",
    );
    expect(signals[0]?.reason).toBe(error);
    expect(body.cancelled?.reason).toBe(error);
  });

  it("passes bytes through in order", async () => {
    const body = createControlledBody();
    const { client } = clientStreaming(body, { maxResponseBytes: 6 });
    const stream = await getStream(client);
    body.write("abc");
    body.write("def");
    body.end();
    expect(await new Response(stream).text()).toBe("abcdef");
  });

  it("returns no data and no deadline for Content-Length 0", async () => {
    const before = activeTimers();
    const body = createControlledBody();
    body.end();
    const { client } = clientStreaming(body, { timeoutMs: 60_000 }, { "content-length": "0" });
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "stream" });
    expect(data).toBeUndefined();
    expect(activeTimers()).toBe(before);
  });
});
