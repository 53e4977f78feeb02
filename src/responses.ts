/**
 * Reading responses: the 2xx body parsed within the attempt, and the typed error for any
 * other status, with the error body read up to `ERROR_BODY_LIMIT_BYTES`.
 */

import { isErrorPayload, unwrapEnvelope } from "./envelope.js";
import type { FailedResponse } from "./error-reports.js";
import { describeParseFailure, mayCarryEnvelope, readBoundedBytes } from "./serialization.js";
import type { Call, TransportSettings } from "./transport.js";

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
    const failed = { response, call, attempt, url };
    throw await settings.redactor.errorReports.readHttpError(settings, failed);
  }
  const { parseAs, maxResponseBytes } = call;
  if (parseAs === "stream") {
    // The caller reads a streamed body after the call returns, so the transport wraps it in
    // `limitResponseStream`, which applies the timeout and `maxResponseBytes` while it is read.
    call.data = undefined;
  } else {
    const { bytes, truncated } = await readBoundedBytes(response, maxResponseBytes);
    if (truncated) {
      const problem = `the body is larger than maxResponseBytes (${maxResponseBytes} bytes)`;
      const failed = { response, call, attempt, url };
      throw settings.redactor.errorReports.createParseError(settings, failed, { problem });
    }
    call.data =
      parseAs === "json"
        ? parseSuccessText(settings, response, call, attempt, url, new TextDecoder().decode(bytes))
        : await readUnparsedBody(settings, { response, call, attempt, url }, bytes, parseAs);
  }
  call.response = response;
  return response;
}

/**
 * Returns a 2xx body as `parseAs` requests it, unparsed and with its envelope. Note: a body whose
 * `Content-Type` is JSON, XML or missing is parsed first, and rejects like a `parseAs: "json"`
 * call when its envelope reports a failure. The gateway reports some failures with HTTP 200, and
 * returning such a body as data could report a declined request as done. A body that does not
 * parse is returned as it is.
 */
async function readUnparsedBody(
  settings: TransportSettings,
  failed: FailedResponse,
  bytes: Uint8Array<ArrayBuffer>,
  parseAs: "text" | "blob" | "arrayBuffer",
): Promise<unknown> {
  const { response, call } = failed;
  let text: string | undefined;
  if (mayCarryEnvelope(response.headers.get("content-type"))) {
    text = new TextDecoder().decode(bytes);
    let parsed: unknown;
    try {
      parsed = call.parseBody(text, response);
    } catch {
      // Not the envelope's format; the caller gets the body as it is.
    }
    const unwrapped = unwrapEnvelope(parsed);
    call.exchangeId = unwrapped.exchangeId;
    if (unwrapped.failed || isErrorPayload(unwrapped.payload)) {
      const reports = settings.redactor.errorReports;
      throw reports.createEnvelopeError(settings, { ...failed, text }, unwrapped);
    }
  }
  if (parseAs === "text") {
    return text ?? new TextDecoder().decode(bytes);
  }
  // A copy with the same headers converts the bytes, and `blob()` takes its type from them.
  return new Response(bytes, { headers: response.headers })[parseAs]();
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
  const reports = settings.redactor.errorReports;
  const failed = { response, call, attempt, url, text };
  let parsed: unknown;
  try {
    parsed = call.parseBody(text, response);
  } catch (error) {
    throw reports.createParseError(settings, failed, {
      error,
      problem: describeParseFailure(error),
    });
  }

  const unwrapped = unwrapEnvelope(parsed);
  call.exchangeId = unwrapped.exchangeId;
  if (unwrapped.failed || isErrorPayload(unwrapped.payload)) {
    throw reports.createEnvelopeError(settings, failed, unwrapped);
  }

  call.checkPayload?.(unwrapped.payload, response);
  if (call.readPayload !== undefined) {
    const read = call.readPayload(unwrapped.payload, { status: response.status, text });
    if ("problem" in read) {
      throw reports.createParseError(settings, failed, { problem: read.problem });
    }
    call.result = read.value;
  }
  return unwrapped.payload;
}
