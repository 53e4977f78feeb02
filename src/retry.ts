/** Retry rules: which failures are tried again, and how long to wait before the next attempt. */
import { ApiError, ConnectionError, isBadPortFailure, TimeoutError } from "./errors.js";

/** Statuses that mean the gateway or a proxy did not process the request, or requests a retry. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Methods safe to send twice: a second GET reads again, a second PUT sets the same fields. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/** Error codes on a `fetch` failure's `cause` chain that prove no request byte was sent. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Settings of the retry policy, resolved from the client and call options. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** Facts about the failed attempt that the retry decision reads. */
export interface FailedAttempt {
  error: unknown;
  method: string;
  /** The attempt that failed, counting from 1. */
  attempt: number;
  /** Whether the request body can be sent again (a stream body cannot). */
  bodyReusable: boolean;
}

/**
 * Returns the delay before the next attempt in milliseconds, or `undefined` to stop. The checks
 * run in this order, and the first that applies decides:
 *
 * 1. No retries left: stop, because `maxRetries` bounds the calls a failure can cost.
 * 2. The body cannot be sent again: stop, because a second attempt would send a different request.
 * 3. The connection failed before the request was sent (refused, DNS): retry any method, POST
 *    included, because the gateway cannot have seen it. But stop when `fetch` rejected the URL's
 *    port as a bad port, because it rejects every attempt.
 * 4. The method is not idempotent (POST, PATCH): stop. Note: the API documents no idempotency
 *    key, so a POST resent after a timeout or a 503 could add the same token twice.
 * 5. A timeout or a lost connection: retry, because the request is safe to repeat.
 * 6. Status 408, 429, 500, 502, 503 or 504: retry after `Retry-After` when it is sent, else after
 *    the backoff. Note: a `Retry-After` above `maxRetryAfterMs` stops the retries and the error
 *    carries `retryAfterMs`, because waiting minutes inside one call would look like a hang,
 *    and coming back earlier than asked would be ignored by the gateway anyway.
 * 7. Anything else (other 4xx, unreadable 2xx body): stop, because repeating will not change it.
 */
export function nextRetryDelay(failed: FailedAttempt, policy: RetryPolicy): number | undefined {
  const { error, method, attempt } = failed;
  if (attempt > policy.maxRetries) {
    return undefined;
  }
  if (!failed.bodyReusable) {
    return undefined;
  }
  if (error instanceof ConnectionError && !error.requestMayHaveBeenSent) {
    return isBadPortFailure(error.cause) ? undefined : backoffDelay(attempt, policy);
  }
  if (!IDEMPOTENT_METHODS.has(method)) {
    return undefined;
  }
  if (error instanceof TimeoutError || error instanceof ConnectionError) {
    return backoffDelay(attempt, policy);
  }
  if (error instanceof ApiError && RETRYABLE_STATUSES.has(error.status)) {
    if (error.retryAfterMs === undefined) {
      return backoffDelay(attempt, policy);
    }
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  return undefined;
}

/**
 * Exponential backoff with jitter: the ceiling doubles from `baseDelayMs` per attempt up to
 * `maxDelayMs`, and the delay is drawn between half the ceiling and the ceiling, so clients
 * that failed together do not come back together.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Returns true when a `fetch` failure is proven to have happened before the request was sent:
 * `fetch` rejected the port, or an error code on the `cause` chain (or inside an
 * `AggregateError`) shows that the connection never opened.
 */
export function failedBeforeSending(error: unknown): boolean {
  if (isBadPortFailure(error)) {
    return true;
  }
  const pending: unknown[] = [error];
  for (let checked = 0; pending.length > 0 && checked < 20; checked += 1) {
    const current = pending.pop();
    if (!(current instanceof Error)) {
      continue;
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) {
      return true;
    }
    if (current instanceof AggregateError) {
      pending.push(...current.errors);
    }
    pending.push(current.cause);
  }
  return false;
}

/**
 * Waits `delayMs`, rejecting with the signal's reason as soon as it aborts. The default `sleep`
 * of the client.
 */
export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
