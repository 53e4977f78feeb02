/**
 * Reading responses: the 2xx body parsed within the attempt, and the typed error for any
 * other status, with the error body read up to `ERROR_BODY_LIMIT_BYTES`.
 */

import { isErrorPayload, readErrorPayload, unwrapEnvelope } from "./envelope.js";
import { createApiError, type RecurringPaymentsError, ResponseParseError } from "./errors.js";
import { parseRetryAfter } from "./retry.js";
import { describeParseFailure, ERROR_BODY_LIMIT_BYTES, readBoundedText } from "./serialization.js";
import type { Call, ParseAs, TransportSettings } from "./transport.js";

/**
 * Reads a response that openapi-fetch will return: stores the parsed body of a 2xx on
 * `call.data` and returns the response, or throws the typed error for any other status.
 * Also used for a response that a middleware supplied in place of the transport's.
 */
export async function handleResponse(
  settings: TransportSettings,
  response: Response,
  call: Call,
  attempt: number,
  url: string,
): Promise<Response> {
  if (response.status < 200 || response.status > 299) {
    throw await readHttpError(settings, response, call, attempt, url);
  }
  call.data =
    call.parseAs === "json"
      ? parseSuccessText(settings, response, call, attempt, url, await response.text())
      : await readOtherBody(response, call.parseAs);
  call.response = response;
  return response;
}

/** Reads a 2xx body that is not JSON, as `parseAs` requests. */
function readOtherBody(response: Response, parseAs: Exclude<ParseAs, "json">): Promise<unknown> {
  switch (parseAs) {
    case "stream":
      // Note: a streamed body is read by the caller after the call returns, so the timeout
      // and the retries cover the response headers only.
      return Promise.resolve(undefined);
    case "text":
      return response.text();
    case "blob":
      return response.blob();
    case "arrayBuffer":
      return response.arrayBuffer();
  }
}

/** Parses a 2xx JSON body and unwraps it, throwing the typed error for a failure inside it. */
function parseSuccessText(
  settings: TransportSettings,
  response: Response,
  call: Call,
  attempt: number,
  url: string,
  text: string,
): unknown {
  let parsed: unknown;
  try {
    parsed = call.parseBody(text, response);
  } catch (error) {
    const details = httpErrorDetails(settings, response, call, attempt, url, text);
    throw new ResponseParseError(
      { ...details, errorMessage: describeParseFailure(error) },
      { cause: error },
    );
  }

  const unwrapped = unwrapEnvelope(parsed);
  call.exchangeId = unwrapped.exchangeId;
  if (unwrapped.failed || isErrorPayload(unwrapped.payload)) {
    // The envelope reports a failure inside a 2xx; its `code` carries the real status.
    const code = Number(unwrapped.code);
    const details = httpErrorDetails(settings, response, call, attempt, url, text);
    throw createApiError({
      ...details,
      ...readErrorPayload(unwrapped.payload),
      status: code >= 400 && code <= 599 ? code : response.status,
      exchangeId: unwrapped.exchangeId ?? details.exchangeId,
    });
  }
  return unwrapped.payload;
}

/** Reads up to `ERROR_BODY_LIMIT_BYTES` of a non-2xx body and creates its typed error. */
async function readHttpError(
  settings: TransportSettings,
  response: Response,
  call: Call,
  attempt: number,
  url: string,
): Promise<RecurringPaymentsError> {
  const { text, truncated } = await readBoundedText(response, ERROR_BODY_LIMIT_BYTES);
  const details = httpErrorDetails(settings, response, call, attempt, url, text);
  details.bodyTruncated = truncated;

  let unwrapped: ReturnType<typeof unwrapEnvelope> | undefined;
  try {
    unwrapped = unwrapEnvelope(call.parseBody(details.body, response));
  } catch {
    // Not JSON (HTML from a proxy, plain text, a cut-off body): the status alone decides.
  }
  if (unwrapped !== undefined) {
    Object.assign(details, readErrorPayload(unwrapped.payload));
    details.exchangeId = unwrapped.exchangeId ?? details.exchangeId;
  }
  return createApiError(details);
}

function httpErrorDetails(
  settings: TransportSettings,
  response: Response,
  call: Call,
  attempt: number,
  url: string,
  text: string,
) {
  const { redact } = settings.authenticator;
  const exchangeId = response.headers.get("exchange-id");
  return {
    status: response.status,
    statusText: redact(response.statusText),
    method: call.method,
    path: pathOf(url),
    body: redact(
      text.length > ERROR_BODY_LIMIT_BYTES ? text.slice(0, ERROR_BODY_LIMIT_BYTES) : text,
    ),
    bodyTruncated: text.length > ERROR_BODY_LIMIT_BYTES,
    exchangeId: exchangeId === null ? undefined : redact(exchangeId),
    resultCode: undefined as string | undefined,
    errorMessage: undefined as string | undefined,
    timeStamp: undefined as string | undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), Date.now()),
    attempts: attempt,
  };
}

/** The path of a URL without query or fragment, for error messages. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
