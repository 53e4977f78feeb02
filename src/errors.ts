/**
 * Error classes of the client. Everything the client throws extends `RecurringPaymentsError`,
 * except the reason of a caller's `AbortSignal`, which is rethrown unchanged. `createApiError`
 * is the one place that picks the class for an HTTP status.
 *
 * No error stores the API key or the `Request` (whose headers contain it): errors carry strings,
 * numbers and validation problems only, and response text is redacted before it reaches them.
 * Every run of 9 or more digits that an error takes from a response, a request path or a request
 * body is masked to its last four digits, e.g. `****************1111`, except in `exchangeId`.
 */

import { maskDigitRuns } from "./events.js";
import { redactCause, redactFields } from "./redaction-rules.js";
import { formatProblems, type ValidationProblem } from "./validation.js";

/** Maximum length of the gateway's error message when it is quoted in an error message. */
const QUOTED_MESSAGE_MAX_LENGTH = 200;

/** Maximum length of a request path in an error message; a customer key can be very long. */
const PATH_MESSAGE_MAX_LENGTH = 200;

/**
 * Maximum length of the `path` field of an error, which keeps ordinary paths whole and bounds
 * the size of a logged error. Paths are redacted before they are cut.
 */
const PATH_FIELD_MAX_LENGTH = 2048;

/**
 * Advice in the message of a POST whose outcome is unknown: it failed without a response, or
 * with a 5xx that a proxy may have sent after the gateway applied it. The API has no idempotency
 * key, so sending the add again could store the token twice.
 */
const POST_MAY_HAVE_BEEN_APPLIED =
  "the gateway may have received and applied the request, so list the customer's tokens and " +
  "add the token again only if it is missing";

/** Base class of every error the client throws. */
export class RecurringPaymentsError extends Error {
  override name = "RecurringPaymentsError";
}

/**
 * Thrown by `createRecurringPaymentsClient` when an option is missing or invalid, or when it
 * runs in a browser without `dangerouslyAllowBrowser`. Also thrown by the first call of a
 * `format: "xml"` client when the XML code cannot be loaded, and by a call whose `fetch` throws
 * synchronously, returns no promise, or resolves to something that is not a `Response`.
 * Never retried.
 */
export class ConfigurationError extends RecurringPaymentsError {
  override name = "ConfigurationError";
}

/**
 * Thrown before anything is sent when an argument would build a wrong request. The causes: a
 * body that breaks the spec's schema, a value that XML cannot carry, a customer key that would
 * change the route, a URL outside the configured origin, or an invalid per-call option. The
 * constructor masks every run of 9 or more digits to its last four digits in the problems, the
 * `cause` chain and a message that lists problems. So a token id used as a value or a property
 * name never shows.
 */
export class RequestValidationError extends RecurringPaymentsError {
  override name = "RequestValidationError";
  /** Each rule the request body breaks; empty when the error is about another argument. */
  readonly problems: readonly ValidationProblem[];

  constructor(message: string, options?: ErrorOptions & { problems?: ValidationProblem[] }) {
    const problems = options?.problems ?? [];
    const masked =
      options && "cause" in options ? { cause: redactCause(options.cause, maskDigitRuns) } : {};
    // A message that lists problems quotes the body, whose property names can be token ids.
    // Other messages show values through `describeValue`, which masks them, and can name limits
    // such as 2147483647 that must stay readable.
    super(problems.length > 0 ? maskDigitRuns(message) : message, masked);
    this.problems = problems.map((problem) => redactFields(problem, maskDigitRuns));
  }
}

/** Details of a 2xx response whose body does not match the spec. */
export interface ResponseValidationDetails {
  status: number;
  method: string;
  /**
   * Request path without query, e.g. `/rest/v2/customers/c-1/tokens`. The error's `path` field
   * keeps up to 2048 characters of it, and its message up to 200.
   */
  path: string;
  /** The gateway's request id, from the envelope's `exchange-id` or the response header. */
  exchangeId: string | undefined;
  problems: ValidationProblem[];
}

/**
 * Thrown with `validateResponses: "error"` when a 2xx response body breaks the spec's schema.
 * The gateway has already processed the request, so an add or update has taken effect: list
 * the customer's tokens before sending it again. Not an `ApiError`, because the gateway did not
 * report a failure.
 */
export class ResponseValidationError extends RecurringPaymentsError {
  override name = "ResponseValidationError";
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly exchangeId: string | undefined;
  /** Each rule the body breaks, with the JSON pointer of the value; values are masked. */
  readonly problems: readonly ValidationProblem[];

  constructor(details: ResponseValidationDetails) {
    let message =
      `${details.method} ${formatPath(details.path)} returned HTTP ${details.status} with a ` +
      `body that does not match the spec: ${formatProblems(details.problems)}`;
    if (details.exchangeId) {
      message += ` (exchange-id ${details.exchangeId})`;
    }
    super(message);
    this.status = details.status;
    this.method = details.method;
    this.path = truncateText(details.path, PATH_FIELD_MAX_LENGTH);
    this.exchangeId = details.exchangeId;
    this.problems = details.problems;
  }
}

/** Details of a response that the client turns into an `ApiError`. */
export interface ApiErrorDetails {
  /** HTTP status code, 0 when the response had none. */
  status: number;
  statusText: string;
  method: string;
  /**
   * Request path without query, e.g. `/rest/v2/customers/c-1/tokens`. The error's `path` field
   * keeps up to 2048 characters of it, and its message up to 200.
   */
  path: string;
  /**
   * Response body, cut to the read limit, with the API key redacted and every run of 9 or more
   * digits masked to its last four, e.g. `****************1111`. Masking comes before the cut,
   * so a cut never leaves a run unmasked. A long number that is not a token id, such as a
   * timestamp in milliseconds, is masked too.
   */
  body: string;
  /** Whether `body` was cut because the response was longer than the read limit. */
  bodyTruncated: boolean;
  /** The gateway's request id, from the envelope's `exchange-id` or the response header. */
  exchangeId: string | undefined;
  /** `result-code` of the gateway's error payload, a digit string such as `"042"`. */
  resultCode: string | undefined;
  /** `error-message` of the gateway's error payload. */
  errorMessage: string | undefined;
  /** `time-stamp` of the gateway's error payload. */
  timeStamp: string | undefined;
  /** Delay that the `Retry-After` header asked for, in milliseconds. */
  retryAfterMs: number | undefined;
  /** Number of attempts made, counting the first. */
  attempts: number;
  /**
   * Why the response failed, for a failure that `status` alone does not explain: a 2xx whose
   * envelope or payload reported a failure, or a redirect. The message shows it in place of the
   * status. Values from the response in it must be redacted before they are cut.
   */
  reason?: string | undefined;
}

/**
 * Thrown when the gateway responds with a status outside 2xx, or with a 2xx whose envelope reports
 * that the call failed. Subclasses name the common statuses. The message format is the same for all:
 * method, path, status, attempts, then the gateway's message, result code and exchange id when
 * present. For a failed 2xx and a redirect, the message gives the reason in place of the status.
 * The client builds it from redacted details. Every string field but `exchangeId`, and the
 * message, show each run of 9 or more digits masked to its last four.
 */
export class ApiError extends RecurringPaymentsError {
  override name = "ApiError";
  readonly status: number;
  readonly statusText: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly bodyTruncated: boolean;
  readonly exchangeId: string | undefined;
  readonly resultCode: string | undefined;
  readonly errorMessage: string | undefined;
  readonly timeStamp: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(details: ApiErrorDetails, options?: ErrorOptions) {
    super(formatHttpErrorMessage(details), options);
    this.status = details.status;
    this.statusText = details.statusText;
    this.method = details.method;
    this.path = truncateText(details.path, PATH_FIELD_MAX_LENGTH);
    this.body = details.body;
    this.bodyTruncated = details.bodyTruncated;
    this.exchangeId = details.exchangeId;
    this.resultCode = details.resultCode;
    this.errorMessage = details.errorMessage;
    this.timeStamp = details.timeStamp;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
  }
}

/** HTTP 400 or 422: the gateway rejected the request's content, often a missing field. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}

/** HTTP 401: the `api-key` is missing, wrong, or belongs to the other environment. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}

/** HTTP 403: the key is valid but not allowed to call this operation. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
}

/** HTTP 404: the customer or token does not exist. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}

/** HTTP 429: too many requests; `retryAfterMs` is the wait the gateway requested, if any. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
}

/** HTTP 500 or above, including 502 and 503 sent by a proxy in front of the gateway. */
export class InternalServerError extends ApiError {
  override name = "InternalServerError";
}

/**
 * Thrown when a 2xx response body cannot be read as the expected JSON: not JSON at all (an HTML
 * page from a proxy), cut off, or without the expected shape. `cause` is the parser's error.
 */
export class ResponseParseError extends ApiError {
  override name = "ResponseParseError";
}

const errorClassByStatus = new Map<number, typeof ApiError>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [422, BadRequestError],
  [429, RateLimitError],
]);

/** Creates the `ApiError` subclass for `details.status`; the only place that maps statuses. */
export function createApiError(details: ApiErrorDetails, options?: ErrorOptions): ApiError {
  const ErrorClass =
    errorClassByStatus.get(details.status) ??
    (details.status >= 500 ? InternalServerError : ApiError);
  return new ErrorClass(details, options);
}

/** Fields of `formatHttpErrorMessage`'s input; a subset of `ApiErrorDetails`. */
export type HttpErrorMessageFields = Pick<
  ApiErrorDetails,
  "status" | "statusText" | "method" | "path" | "attempts" | "errorMessage" | "resultCode"
> & { exchangeId?: string | undefined; reason?: string | undefined };

/**
 * Formats the message of every HTTP error, e.g.
 * `POST /rest/v2/customers/c-1/tokens failed with HTTP 400 Bad Request: Invalid token
 * (result code 042, exchange-id ID-1)`. With a `reason`, `failed because <reason>` replaces
 * `failed with HTTP <status>`. The response body never goes into the message. A POST with
 * status 500, 502, 503 or 504 gets advice to list the tokens before adding the token again.
 */
export function formatHttpErrorMessage(fields: HttpErrorMessageFields): string {
  let message = `${fields.method} ${formatPath(fields.path)} failed`;
  if (fields.reason === undefined) {
    message +=
      fields.status === 0
        ? " without an HTTP status"
        : ` with ${formatHttpStatus(fields.status, fields.statusText)}`;
  }
  if (fields.attempts > 1) {
    message += ` after ${fields.attempts} attempts`;
  }
  if (fields.reason !== undefined) {
    message += ` because ${fields.reason}`;
  }

  const errorMessage = fields.errorMessage?.trim();
  if (errorMessage) {
    message += `: ${truncateText(errorMessage, QUOTED_MESSAGE_MAX_LENGTH)}`;
  }

  const references: string[] = [];
  if (fields.resultCode) {
    references.push(`result code ${fields.resultCode}`);
  }
  if (fields.exchangeId) {
    references.push(`exchange-id ${fields.exchangeId}`);
  }
  if (references.length > 0) {
    message += ` (${references.join(", ")})`;
  }
  // A proxy can send a 5xx after the gateway has applied the add, e.g. a 504 for a slow reply.
  if (fields.method === "POST" && [500, 502, 503, 504].includes(fields.status)) {
    message += `; ${POST_MAY_HAVE_BEEN_APPLIED}`;
  }
  return message;
}

/** Formats a status and its text, e.g. `HTTP 404 Not Found`, or `HTTP 404` without a text. */
export function formatHttpStatus(status: number, statusText: string): string {
  const text = statusText.trim();
  return text === "" ? `HTTP ${status}` : `HTTP ${status} ${text}`;
}

/** Details of a request that failed without a response. */
export interface RequestFailureDetails {
  method: string;
  path: string;
  /** Number of attempts made, counting the first. */
  attempts: number;
}

/**
 * Thrown when no usable response arrived: the connection was refused, reset or closed, DNS
 * failed, `fetch` rejected the URL's port, or the body stopped halfway. A body requested with
 * `parseAs: "stream"` errors with it when it stops halfway. `cause` is the error of `fetch` or
 * of the body stream.
 */
export class ConnectionError extends RecurringPaymentsError {
  override name = "ConnectionError";
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /**
   * False only when the failure is proven to have happened before any byte of the request was
   * sent (refused connection, DNS failure, a port that `fetch` rejects). When true, the gateway
   * may have applied the request.
   */
  readonly requestMayHaveBeenSent: boolean;

  constructor(
    details: RequestFailureDetails & { requestMayHaveBeenSent: boolean },
    options?: ErrorOptions,
  ) {
    super(formatConnectionErrorMessage(details, options?.cause), options);
    this.method = details.method;
    this.path = truncateText(details.path, PATH_FIELD_MAX_LENGTH);
    this.attempts = details.attempts;
    this.requestMayHaveBeenSent = details.requestMayHaveBeenSent;
  }
}

function formatConnectionErrorMessage(
  details: RequestFailureDetails & { requestMayHaveBeenSent: boolean },
  cause: unknown,
): string {
  const request = `${details.method} ${formatPath(details.path)}`;
  if (isBadPortFailure(cause)) {
    return (
      `${request} was not sent because fetch rejected the URL's port, which the Fetch ` +
      "standard blocks as a bad port; use another port in baseUrl"
    );
  }
  let message = `${request} failed because the connection failed`;
  if (details.attempts > 1) {
    message += ` after ${details.attempts} attempts`;
  }
  const reason = describeNetworkCause(cause);
  if (reason) {
    message += ` (${reason})`;
  }
  if (details.requestMayHaveBeenSent && details.method === "POST") {
    message += `; ${POST_MAY_HAVE_BEEN_APPLIED}`;
  }
  return message;
}

/**
 * Returns true when `fetch` rejected the URL's port before connecting. undici's `fetch` in Node
 * 20, 22 and 24 rejects a port on the Fetch standard's bad-port list, such as 9 or 6000, with
 * a `TypeError` whose `cause` is an `Error` with the message "bad port".
 */
export function isBadPortFailure(error: unknown): boolean {
  return error instanceof Error && (error.cause as Error | undefined)?.message === "bad port";
}

/** Describes a `fetch` failure by its innermost message and error code, e.g. `ECONNREFUSED`. */
function describeNetworkCause(cause: unknown): string {
  const parts: string[] = [];
  let current = cause;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && !parts.includes(code)) {
      parts.push(code);
    }
    current = current.cause;
  }
  if (cause instanceof Error && cause.message) {
    parts.unshift(truncateText(cause.message, QUOTED_MESSAGE_MAX_LENGTH));
  }
  return parts.join(", ");
}

/**
 * Thrown when an attempt gets no complete response within `timeoutMs`. A body requested with
 * `parseAs: "stream"` errors with it when the stream has not ended or been cancelled by then.
 */
export class TimeoutError extends RecurringPaymentsError {
  override name = "TimeoutError";
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** The per-attempt timeout that expired, in milliseconds. */
  readonly timeoutMs: number;
  /** The attempt that timed out, counting from 1. */
  readonly attempt: number;

  /** `streamUnfinished` is true when a streamed body had not ended by the deadline. */
  constructor(details: RequestFailureDetails & { timeoutMs: number; streamUnfinished?: boolean }) {
    super(formatTimeoutMessage(details));
    this.method = details.method;
    this.path = truncateText(details.path, PATH_FIELD_MAX_LENGTH);
    this.attempts = details.attempts;
    this.attempt = details.attempts;
    this.timeoutMs = details.timeoutMs;
  }
}

function formatTimeoutMessage(
  details: RequestFailureDetails & { timeoutMs: number; streamUnfinished?: boolean },
): string {
  const message =
    `${details.method} ${formatPath(details.path)} timed out after ${details.timeoutMs} ms ` +
    `on attempt ${details.attempts}`;
  // A streamed body follows a 2xx, so the gateway has already responded to the request.
  if (details.streamUnfinished) {
    return (
      `${message} before the streamed response body ended; read or cancel the stream sooner, ` +
      "or raise timeoutMs if the gateway is slow"
    );
  }
  if (details.method === "POST") {
    return `${message}; ${POST_MAY_HAVE_BEEN_APPLIED}, and raise timeoutMs if the gateway is slow`;
  }
  return `${message}; raise timeoutMs if the gateway is slow`;
}

/** Cuts `text` to `maxLength` characters, marking the cut with an ellipsis. */
export function truncateText(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

/**
 * Formats a value for an error message: strings quoted and cut, other values by their type. Runs
 * of 9 or more digits are masked before the cut, because the value may be a token id.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return truncateText(maskDigitRuns(JSON.stringify(value)), 80);
  }
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  if (typeof value === "object") {
    return "an object";
  }
  return typeof value === "function"
    ? "a function"
    : maskDigitRuns(`${typeof value} ${String(value)}`);
}

/**
 * Cuts a request path for an error message. The path must be redacted already, because a cut
 * through the key would leave part of it unmatched.
 */
export function formatPath(path: string): string {
  return truncateText(path, PATH_MESSAGE_MAX_LENGTH);
}

/** Names the type of a value without showing it, because the value may be a key or a token. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The path of a URL without query or fragment, for error messages. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
