/**
 * Streamed 2xx bodies (`parseAs: "stream"`). The caller reads them after the call has returned,
 * so the attempt's timeout and `maxResponseBytes` are applied by a stream that wraps the body.
 */
import type { FailedResponse } from "./error-reports.js";
import { ConnectionError, pathOf, TimeoutError } from "./errors.js";
import type { Deadline } from "./timeouts.js";
import type { TransportSettings } from "./transport.js";

/** The attempt that received a streamed response. */
export interface StreamedAttempt {
  /** Time the attempt's timeout expires, in `performance.now()` milliseconds. */
  deadlineAt: number;
  /** Aborts the attempt's `fetch`, so that Node's `fetch` closes the connection. */
  abortFetch: (reason: unknown) => void;
}

/**
 * Returns a copy of a 2xx `response` whose body stream enforces the attempt's limits while the
 * caller reads it. The stream errors with:
 *
 * - `TimeoutError` when it has not ended or been cancelled by the attempt's deadline,
 * - `ResponseParseError` when more than `maxResponseBytes` arrive,
 * - `ConnectionError` when the original body breaks off,
 * - the reason of the caller's signal when it aborts.
 *
 * Each of these aborts the `fetch` and cancels the original body, which releases the
 * connection. Cancelling the stream does the same and clears the deadline. A response without
 * a body to read is returned unchanged.
 */
export function limitResponseStream(
  settings: TransportSettings,
  streamed: Omit<FailedResponse, "text">,
  attempt: StreamedAttempt,
): Response {
  const { response, call } = streamed;
  const body = response.body;
  if (body === null || !hasBodyToRead(response, call.method)) {
    return response;
  }

  const source = body.getReader();
  const callerSignal = call.signal;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let deadline: Deadline | undefined;
  let receivedBytes = 0;
  let finished = false;

  const finish = () => {
    finished = true;
    if (deadline !== undefined) {
      settings.deadlines.clear(deadline);
    }
    callerSignal?.removeEventListener("abort", abortForCaller);
  };
  const fail = (error: unknown) => {
    if (finished) {
      return;
    }
    finish();
    controller?.error(error);
    source.cancel(error).catch(() => undefined);
    attempt.abortFetch(error);
  };
  const abortForCaller = () => fail(callerSignal?.reason);

  const limited = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        const remainingMs = Math.max(0, attempt.deadlineAt - performance.now());
        deadline = settings.deadlines.start(remainingMs, () =>
          fail(createStreamTimeoutError(settings, streamed)),
        );
        callerSignal?.addEventListener("abort", abortForCaller, { once: true });
        if (callerSignal?.aborted) {
          abortForCaller();
        }
      },
      async pull(streamController) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await source.read();
        } catch (error) {
          fail(createStreamConnectionError(settings, streamed, error));
          return;
        }
        if (finished) {
          return;
        }
        if (chunk.done) {
          finish();
          streamController.close();
          return;
        }
        receivedBytes += chunk.value.byteLength;
        const limitBytes = call.maxResponseBytes;
        if (receivedBytes > limitBytes) {
          const problem = `the body is larger than maxResponseBytes (${limitBytes} bytes)`;
          fail(settings.redactor.errorReports.createParseError(settings, streamed, { problem }));
          return;
        }
        streamController.enqueue(chunk.value);
      },
      cancel(reason) {
        if (finished) {
          return;
        }
        finish();
        const cancelled = source.cancel(reason).catch(() => undefined);
        attempt.abortFetch(reason);
        return cancelled;
      },
    },
    // Reads from the original body only when the caller reads, so the limit counts what the
    // caller received, and an unread stream buffers nothing beyond the original body.
    { highWaterMark: 0 },
  );

  const copy = new Response(limited, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // A constructed Response has an empty `url`, so the copy gets the URL that was fetched.
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/**
 * Mirrors the checks of openapi-fetch 0.17, which returns no data for a 204, a HEAD request or a
 * `Content-Length: 0` that is not chunked, so no caller would read or cancel such a stream.
 */
function hasBodyToRead(response: Response, method: string): boolean {
  if (response.status === 204 || method === "HEAD") {
    return false;
  }
  const chunked = response.headers.get("transfer-encoding")?.includes("chunked") ?? false;
  return response.headers.get("content-length") !== "0" || chunked;
}

function createStreamTimeoutError(
  settings: TransportSettings,
  streamed: Omit<FailedResponse, "text">,
): TimeoutError {
  const { call } = streamed;
  return new TimeoutError({
    method: call.method,
    path: settings.redactor.redactText(pathOf(streamed.url)),
    attempts: streamed.attempt,
    timeoutMs: call.timeoutMs,
    streamUnfinished: true,
  });
}

/** Creates the error of a body that broke off. The request has reached the gateway by then. */
function createStreamConnectionError(
  settings: TransportSettings,
  streamed: Omit<FailedResponse, "text">,
  error: unknown,
): ConnectionError {
  const { redactor } = settings;
  const details = redactor.redactFields({
    method: streamed.call.method,
    path: pathOf(streamed.url),
    attempts: streamed.attempt,
    requestMayHaveBeenSent: true,
  });
  return new ConnectionError(details, { cause: redactor.redactCause(error) });
}
