/**
 * Builds the typed error of a failed response, with every string redacted: the API key removed
 * and every run of 9 or more digits masked to its last four.
 */
import {
  codeOrUndefined,
  isRecord,
  stringOrUndefined,
  type UnwrappedBody,
  unwrapEnvelope,
} from "./envelope.js";
import {
  type ApiError,
  type ApiErrorDetails,
  createApiError,
  formatHttpStatus,
  pathOf,
  ResponseParseError,
} from "./errors.js";
import { parseRetryAfter } from "./retry-after.js";
import { ERROR_BODY_LIMIT_BYTES, readBoundedText } from "./serialization.js";
import type { Call, TransportSettings } from "./transport.js";

export * from "./redaction-rules.js";

/** The response of a failed attempt, and the body text read so far. */
export interface FailedResponse {
  response: Response;
  call: Call;
  attempt: number;
  url: string;
  text?: string;
}

type Settings = Pick<TransportSettings, "redactor">;

/** Reads up to `ERROR_BODY_LIMIT_BYTES` of a non-2xx body and creates its typed error. */
export async function readHttpError(settings: Settings, failed: FailedResponse): Promise<ApiError> {
  // The margin past the limit lets a key that starts before the cut be redacted whole.
  const readLimit = ERROR_BODY_LIMIT_BYTES + settings.redactor.cutMargin;
  const read = await readBoundedText(failed.response, readLimit);
  // Digits at the end of a cut body may be the start of a token id whose last four digits were
  // not read, so masking would show four of its middle digits. They are dropped instead.
  const { truncated } = read;
  const text = truncated ? read.text.replace(/\d+$/, "") : read.text;
  const details = httpErrorDetails(settings, { ...failed, text });
  details.bodyTruncated ||= truncated;

  // The text read, and not `details.body`, whose digit runs are masked, so that the exchange id
  // stays whole. `createRedactedApiError` redacts every field read from it.
  let unwrapped: UnwrappedBody | undefined;
  try {
    unwrapped = unwrapEnvelope(failed.call.parseBody(text, failed.response));
  } catch {
    // Not JSON (HTML from a proxy, plain text, a cut-off body): the status alone decides.
  }
  if (unwrapped !== undefined) {
    Object.assign(details, readErrorPayload(unwrapped.payload));
    details.exchangeId = unwrapped.exchangeId ?? details.exchangeId;
  }
  const { status } = failed.response;
  if (status >= 300 && status <= 399 && status !== 304) {
    details.reason = describeRedirect(settings, failed.response);
  }
  return createRedactedApiError(settings, details);
}

/**
 * Explains a redirect for the message. The transport sends with redirect "manual", so that
 * the API key never goes to the origin in `Location`, and the caller gets the 3xx instead.
 */
function describeRedirect(settings: Settings, response: Response): string {
  const location = response.headers.get("location");
  const target =
    location === null
      ? "without a Location header"
      : `to ${settings.redactor.redactAndCut(JSON.stringify(location), 200)}`;
  return (
    `${formatHttpStatus(response.status, response.statusText)} is a redirect ${target}, ` +
    "which the client does not follow so that the API key never reaches another origin; " +
    "check baseUrl"
  );
}

/**
 * Creates the `ResponseParseError` of a 2xx body that could not be read: `problem` is the reason,
 * and `error` is the parser's error, if any.
 */
export function createParseError(
  settings: Settings,
  failed: FailedResponse,
  reason: { problem: string; error?: unknown },
): ApiError {
  const details = httpErrorDetails(settings, failed);
  details.errorMessage = reason.problem;
  details.exchangeId = failed.call.exchangeId ?? details.exchangeId;
  const options = "error" in reason ? { cause: reason.error } : {};
  return createRedactedApiError(settings, details, { ...options, parseFailure: true });
}

/** Creates the typed error of a 2xx whose envelope or payload reports a failure. */
export function createEnvelopeError(
  settings: Settings,
  failed: FailedResponse,
  unwrapped: UnwrappedBody,
): ApiError {
  // The envelope's `code` carries the real status. The transport's status text belongs to the
  // transport's status, so it is left out when the code replaces it.
  const code = Number(unwrapped.code);
  const codeIsStatus = code >= 400 && code <= 599;
  const details = httpErrorDetails(settings, failed);
  return createRedactedApiError(settings, {
    ...details,
    ...readErrorPayload(unwrapped.payload),
    status: codeIsStatus ? code : failed.response.status,
    statusText: codeIsStatus ? "" : details.statusText,
    exchangeId: unwrapped.exchangeId ?? details.exchangeId,
    reason: describeReportedFailure(settings, failed.response, unwrapped),
  });
}

/**
 * Explains a 2xx that failed, e.g. `the response envelope reported status "fail" and code 404,
 * although the response was HTTP 200 OK`. The status is shown as JSON, so `false` and `"false"`
 * differ.
 */
function describeReportedFailure(
  settings: Settings,
  response: Response,
  unwrapped: UnwrappedBody,
): string {
  const reported: string[] = [];
  if (unwrapped.status !== undefined) {
    reported.push(`status ${settings.redactor.redactAndCut(JSON.stringify(unwrapped.status), 80)}`);
  }
  if (unwrapped.code !== undefined) {
    reported.push(`code ${settings.redactor.redactAndCut(unwrapped.code, 80)}`);
  }
  const source = unwrapped.failed
    ? `the response envelope reported ${reported.join(" and ")}`
    : "the response payload reported an error";
  const httpStatus = formatHttpStatus(response.status, response.statusText);
  return `${source}, although the response was ${httpStatus}`;
}

/**
 * Creates the typed error for `details` after redacting every string in them, so that no cut
 * in the message can split the key. Every `ApiError` the client throws is created here.
 */
function createRedactedApiError(
  settings: Settings,
  details: ApiErrorDetails,
  options?: { cause?: unknown; parseFailure?: boolean },
): ApiError {
  const { redactor } = settings;
  const redacted = redactor.redactFields(details);
  const errorOptions =
    options?.cause === undefined ? undefined : { cause: redactor.redactCause(options.cause) };
  return options?.parseFailure
    ? new ResponseParseError(redacted, errorOptions)
    : createApiError(redacted, errorOptions);
}

/**
 * Collects the failure details that the response carries. The body is cut to `ERROR_BODY_LIMIT_BYTES`
 * characters after redaction, because a cut through the key or a digit run would leave part of it
 * unmatched.
 */
function httpErrorDetails(settings: Settings, failed: FailedResponse): ApiErrorDetails {
  const { redactor } = settings;
  const { response, text = "" } = failed;
  const truncated = text.length > ERROR_BODY_LIMIT_BYTES;
  const body = truncated
    ? redactor
        .redactText(text.slice(0, ERROR_BODY_LIMIT_BYTES + redactor.cutMargin))
        .slice(0, ERROR_BODY_LIMIT_BYTES)
    : redactor.redactText(text);
  return {
    status: response.status,
    statusText: response.statusText,
    method: failed.call.method,
    path: pathOf(failed.url),
    body,
    bodyTruncated: truncated,
    exchangeId: response.headers.get("exchange-id") ?? undefined,
    resultCode: undefined,
    errorMessage: undefined,
    timeStamp: undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), Date.now()),
    attempts: failed.attempt,
  };
}

/** Fields the gateway's error payload carries, as the client reports them. */
export interface ErrorPayloadFields {
  resultCode: string | undefined;
  errorMessage: string | undefined;
  timeStamp: string | undefined;
}

/**
 * Reads `result-code`, `error-message` and `time-stamp` from an error payload, enveloped or not.
 * Falls back to `detail` or `title` of an RFC 9457 problem document for the message.
 */
export function readErrorPayload(payload: unknown): ErrorPayloadFields {
  const fields: ErrorPayloadFields = {
    resultCode: undefined,
    errorMessage: undefined,
    timeStamp: undefined,
  };
  if (!isRecord(payload)) {
    return fields;
  }
  const error = payload.error;
  if (isRecord(error)) {
    fields.resultCode = codeOrUndefined(error["result-code"]);
    fields.errorMessage = stringOrUndefined(error["error-message"]);
    fields.timeStamp = stringOrUndefined(error["time-stamp"]);
    return fields;
  }
  fields.errorMessage = stringOrUndefined(payload.detail) ?? stringOrUndefined(payload.title);
  return fields;
}
