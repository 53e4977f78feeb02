/**
 * The transport: the `fetch` function openapi-fetch calls. Per attempt it applies the timeout,
 * reads the whole body or wraps a streamed one in `limitResponseStream`, turns failures into
 * typed errors, and retries by the rules in `retry.ts`.
 */
import type { Authenticator } from "./authentication.js";
import {
  ConfigurationError,
  ConnectionError,
  describeType,
  formatPath,
  pathOf,
  RecurringPaymentsError,
  TimeoutError,
} from "./errors.js";
import { type ClientEventListener, emitEvent } from "./events.js";
import type { Redactor } from "./redaction.js";
import { limitResponseStream } from "./response-stream.js";
import { handleResponse } from "./responses.js";
import { failedBeforeSending, nextRetryDelay, type RetryPolicy } from "./retry.js";
import type { ResponseBodyParser } from "./serialization.js";
import type { DeadlineScheduler } from "./timeouts.js";

/**
 * A `fetch` as the client calls it: with a `Request` and an init that contains only the attempt's
 * `signal`. A `fetch` that ignores the signal still gets timeouts and aborts from the client,
 * but cannot release its connection early.
 */
export type FetchFunction = (request: Request, init?: RequestInit) => Promise<Response>;

/** Waits a delay in milliseconds; must reject with `signal.reason` when the signal aborts. */
export type SleepFunction = (delayMs: number, signal?: AbortSignal) => Promise<void>;

/** Form in which a 2xx body is returned, as in openapi-fetch's `parseAs`. */
export type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

/** Client-wide settings of the transport. */
export interface TransportSettings {
  authenticator: Authenticator;
  redactor: Redactor;
  deadlines: DeadlineScheduler;
  sleep: SleepFunction;
  onEvent: ClientEventListener | undefined;
}

/** One call across its attempts: its settings, and the result the transport stores on it. */
export interface Call {
  method: string;
  /** The OpenAPI path template, used in events. */
  pathTemplate: string;
  /** The request URL, set when the transport receives the request. */
  url: string;
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
  timeoutMs: number;
  /**
   * Largest 2xx body read, in bytes; a longer one rejects with `ResponseParseError`, and a
   * longer streamed body errors with it.
   */
  maxResponseBytes: number;
  retry: RetryPolicy;
  parseAs: ParseAs;
  /** Parses the response body when `parseAs` is `"json"`, and error bodies for their details. */
  parseBody: ResponseBodyParser;
  fetch: FetchFunction;
  /** Masked token id for events of add and update calls. */
  tokenId: string | undefined;
  /** The serialised request body, kept so that a retry can send it again. */
  body: BodyInit | undefined;
  /** Validates a 2xx JSON payload against the spec, as `validateResponses` requests. */
  checkPayload: ((payload: unknown, response: Response) => void) | undefined;
  /** Reads the facade's value from a 2xx payload within the attempt; see `PayloadReader`. */
  readPayload: PayloadReader | undefined;
  /** The 2xx response the transport returned, and its parsed, unwrapped body. */
  response: Response | undefined;
  data: unknown;
  /** Value that `readPayload` returned for `data`. */
  result: unknown;
  exchangeId: string | undefined;
}

/**
 * Reads a facade method's value from a 2xx payload, or returns the problem with its shape, which
 * rejects the attempt with `ResponseParseError`. `text` is the response body as received.
 */
export type PayloadReader = (
  payload: unknown,
  body: { status: number; text: string },
) => { value: unknown } | { problem: string };

/**
 * Sends `request` for `call`, retrying as `nextRetryDelay` decides, and returns the 2xx response
 * after storing its parsed body on `call.data`. Rejects with a `RecurringPaymentsError`, or with
 * the caller's abort reason.
 */
export function sendWithRetries(
  settings: TransportSettings,
  request: Request,
  call: Call,
): Promise<Response> {
  call.url = settings.authenticator.authenticate(request, call.method);
  // Note: the request that openapi-fetch built is sent unchanged on the first attempt, because
  // copying a Request costs about as much as the rest of a call. The client sets redirect to
  // "manual", so only a middleware that changed it causes a copy.
  const firstRequest = request.redirect === "manual" ? request : copyRequest(request, call);
  if (settings.onEvent !== undefined) {
    return sendAttempts(settings, request, call, firstRequest);
  }
  // Without a listener, the first attempt runs outside the retry loop, because an async
  // function per call is a measurable share of a call on an in-memory `fetch`.
  return runAttempt(settings, firstRequest, call, 1).catch((error: unknown) =>
    retryAfterFailure(settings, request, call, error),
  );
}

/** Continues a call whose first attempt failed without a listener: retries or rethrows. */
async function retryAfterFailure(
  settings: TransportSettings,
  request: Request,
  call: Call,
  error: unknown,
): Promise<Response> {
  const delayMs = retryDelayAfter(call, error, 1);
  if (delayMs === undefined) {
    throw error;
  }
  await waitBeforeRetry(settings, call, delayMs);
  return sendAttempts(settings, request, call, copyRequest(request, call), 2);
}

/** Runs attempts from `firstAttempt` on, with events, until one succeeds or the rules stop. */
async function sendAttempts(
  settings: TransportSettings,
  request: Request,
  call: Call,
  firstRequest: Request,
  firstAttempt = 1,
): Promise<Response> {
  let attemptRequest = firstRequest;
  for (let attempt = firstAttempt; ; attempt += 1) {
    const startMs = settings.onEvent ? performance.now() : 0;
    try {
      const response = await runAttempt(settings, attemptRequest, call, attempt);
      if (settings.onEvent) {
        emitEvent(
          settings.onEvent,
          {
            type: "response",
            method: call.method,
            path: call.pathTemplate,
            attempt,
            tokenId: call.tokenId,
            status: response.status,
            durationMs: performance.now() - startMs,
            exchangeId: call.exchangeId ?? response.headers.get("exchange-id") ?? undefined,
          },
          settings.redactor,
        );
      }
      return response;
    } catch (error) {
      const delayMs = retryDelayAfter(call, error, attempt);
      if (settings.onEvent) {
        emitFailureEvent(settings, call, error, attempt, startMs, delayMs);
      }
      if (delayMs === undefined) {
        throw error;
      }
      await waitBeforeRetry(settings, call, delayMs);
      attemptRequest = copyRequest(request, call);
    }
  }
}

/**
 * Returns the delay before retrying after `error`, or `undefined` to stop. Throws the caller's
 * abort reason when the caller aborted.
 */
function retryDelayAfter(call: Call, error: unknown, attempt: number): number | undefined {
  if (call.signal?.aborted) {
    throw call.signal.reason;
  }
  const bodyReusable = !(call.body instanceof ReadableStream);
  return nextRetryDelay({ error, method: call.method, attempt, bodyReusable }, call.retry);
}

async function waitBeforeRetry(settings: TransportSettings, call: Call, delayMs: number) {
  await settings.sleep(delayMs, call.signal);
  if (call.signal?.aborted) {
    throw call.signal.reason;
  }
}

/**
 * Runs one attempt: sends the request and reads the response body, both within `timeoutMs`.
 * The signal goes to `fetch` in its init so that a real `fetch` releases the connection on
 * abort, and the attempt's promise settles on timeout or abort by itself, so an injected
 * `fetch` that ignores signals still stops.
 */
function runAttempt(
  settings: TransportSettings,
  request: Request,
  call: Call,
  attempt: number,
): Promise<Response> {
  const callerSignal = call.signal;
  if (callerSignal?.aborted) {
    return Promise.reject(callerSignal.reason);
  }

  return new Promise<Response>((resolve, reject) => {
    // Note: the AbortController is created only when `fetch` reads `init.signal`, and the
    // timeout adds no AbortSignal listener. Creating a signal or adding a listener to Node's
    // EventTarget costs more than the rest of a call on an in-memory `fetch` (Node 20).
    let controller: AbortController | undefined;
    let abortReason: unknown;
    let settled = false;
    let responded = false;

    const settle = () => {
      settled = true;
      settings.deadlines.clear(deadline);
      callerSignal?.removeEventListener("abort", abortForCaller);
    };
    const abortAttempt = (reason: unknown) => {
      if (settled) {
        return;
      }
      abortReason = reason;
      controller?.abort(reason);
      settle();
      reject(reason);
    };
    const abortForCaller = () => abortAttempt(callerSignal?.reason);
    const init = new LazySignalInit(() => {
      controller ??= new AbortController();
      if (abortReason !== undefined) {
        controller.abort(abortReason);
      }
      return controller.signal;
    });

    const deadline = settings.deadlines.start(call.timeoutMs, () => {
      const path = settings.redactor.redactText(pathOf(call.url));
      const details = { method: call.method, path, attempts: attempt };
      abortAttempt(new TimeoutError({ ...details, timeoutMs: call.timeoutMs }));
    });
    callerSignal?.addEventListener("abort", abortForCaller, { once: true });

    let sent: unknown;
    try {
      sent = call.fetch(request, init);
    } catch (error) {
      settle();
      const failure = { problem: "threw synchronously", cause: error };
      reject(createFetchContractError(settings.redactor, call, failure));
      return;
    }
    if (typeof (sent as PromiseLike<unknown> | null)?.then !== "function") {
      settle();
      const problem = `returned ${describeType(sent)}, not a promise`;
      reject(createFetchContractError(settings.redactor, call, { problem }));
      return;
    }
    Promise.resolve(sent)
      .then((response: unknown) => {
        if (!isResponseLike(response)) {
          const problem = `resolved to ${describeType(response)}, not a Response`;
          throw createFetchContractError(settings.redactor, call, { problem });
        }
        responded = true;
        return handleResponse(settings, response, call, attempt, call.url);
      })
      .then(
        (response) => {
          if (settled) {
            // The attempt timed out or was aborted, so the caller never gets this streamed body.
            if (call.parseAs === "stream") {
              response.body?.cancel().catch(() => undefined);
            }
            return;
          }
          let returned = response;
          if (call.parseAs === "stream") {
            const streamed = { response, call, attempt, url: call.url };
            const abortFetch = (reason: unknown) => controller?.abort(reason);
            returned = limitResponseStream(settings, streamed, {
              deadlineAt: deadline.at,
              abortFetch,
            });
            call.response = returned;
          }
          settle();
          resolve(returned);
        },
        (error: unknown) => {
          if (!settled) {
            settle();
            reject(toAttemptError(settings, error, call, attempt, responded));
          }
        },
      );
  });
}

/**
 * Checks the fields of a `Response` that the client and openapi-fetch read: a numeric `status`,
 * a boolean `ok`, `headers.get`, and a `body` that is a stream or null. A `Response` from
 * another realm or library passes.
 */
function isResponseLike(value: unknown): value is Response {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const { status, ok, headers, body } = value as Partial<Record<string, unknown>>;
  return (
    typeof status === "number" &&
    typeof ok === "boolean" &&
    typeof (headers as { get?: unknown } | null | undefined)?.get === "function" &&
    (body === null ||
      typeof (body as { getReader?: unknown } | undefined)?.getReader === "function")
  );
}

/**
 * Creates the error of a `fetch` that broke its contract. Note: this is a `ConfigurationError`
 * and not a `ConnectionError`, because the injected `fetch` is at fault and not the network, so
 * the retry rules in `retry.ts` do not retry it. The value is described by its type only, because
 * it may contain the key or a token.
 */
function createFetchContractError(
  redactor: Redactor,
  call: Call,
  failure: { problem: string; cause?: unknown },
): ConfigurationError {
  const path = formatPath(redactor.redactText(pathOf(call.url)));
  const message =
    `${call.method} ${path} failed because the fetch option ${failure.problem}; ` +
    "pass a fetch that returns a Promise<Response>, such as globalThis.fetch";
  const options = "cause" in failure ? { cause: redactor.redactCause(failure.cause) } : undefined;
  return new ConfigurationError(message, options);
}

/**
 * A `fetch` init whose `signal` is created on first read. A class with a prototype getter,
 * because an object literal with a getter is created on V8's slow path.
 */
class LazySignalInit {
  readonly #createSignal: () => AbortSignal;

  constructor(createSignal: () => AbortSignal) {
    this.#createSignal = createSignal;
  }

  get signal(): AbortSignal {
    return this.#createSignal();
  }
}

/** Turns what `fetch` or the body threw into a `ConnectionError`, keeping typed errors. */
function toAttemptError(
  settings: TransportSettings,
  error: unknown,
  call: Call,
  attempt: number,
  responded: boolean,
): unknown {
  if (error instanceof RecurringPaymentsError) {
    return error;
  }
  const requestMayHaveBeenSent = responded || !failedBeforeSending(error);
  const details = settings.redactor.redactFields({
    method: call.method,
    path: pathOf(call.url),
    attempts: attempt,
    requestMayHaveBeenSent,
  });
  return new ConnectionError(details, { cause: settings.redactor.redactCause(error) });
}

function emitFailureEvent(
  settings: TransportSettings,
  call: Call,
  error: unknown,
  attempt: number,
  startMs: number,
  delayMs: number | undefined,
): void {
  const onEvent = settings.onEvent;
  if (onEvent === undefined) {
    return;
  }
  const fields = error as { name?: unknown; status?: unknown; exchangeId?: unknown };
  const base = {
    method: call.method,
    path: call.pathTemplate,
    attempt,
    tokenId: call.tokenId,
    error: typeof fields.name === "string" ? fields.name : "Error",
    status: typeof fields.status === "number" ? fields.status : undefined,
    exchangeId: typeof fields.exchangeId === "string" ? fields.exchangeId : undefined,
    durationMs: performance.now() - startMs,
  };
  if (delayMs !== undefined) {
    emitEvent(onEvent, { type: "retry", ...base, delayMs }, settings.redactor);
    return;
  }
  const resultCode = (error as { resultCode?: unknown }).resultCode;
  const event = {
    type: "failure" as const,
    ...base,
    resultCode: typeof resultCode === "string" ? resultCode : undefined,
  };
  emitEvent(onEvent, event, settings.redactor);
}

/** Builds the request of a retry, or of a first attempt whose redirect mode must change. */
function copyRequest(request: Request, call: Call): Request {
  const body = call.body ?? request.body ?? undefined;
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: request.headers,
    body,
    redirect: "manual",
  };
  if (body instanceof ReadableStream) {
    init.duplex = "half";
  }
  return new Request(request.url, init);
}
