/**
 * Reading responses: the 2xx body parsed within the attempt, and the typed error for any
 * other status, with the error body read up to `ERROR_BODY_LIMIT_BYTES`.
 */

import { isErrorPayload, unwrapEnvelope } from "./envelope.js";
import { describeParseFailure, readBoundedBytes } from "./serialization.js";
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
    // Note: a streamed body is read by the caller after the call returns, so the timeout, the
    // retries and `maxResponseBytes` cover the response headers only.
    call.data = undefined;
  } else {
    const { bytes, truncated } = await readBoundedBytes(response, maxResponseBytes);
    if (truncated) {
      const problem = `the body is larger than maxResponseBytes (${maxResponseBytes} bytes)`;
      const failed = { response, call, attempt, url };
      throw settings.redactor.errorReports.createParseError(settings, failed, { problem });
    }
    // For other formats, a copy with the same headers converts the bytes, and `blob()` takes its
    // type from the content type.
    call.data =
      parseAs === "json"
        ? parseSuccessText(settings, response, call, attempt, url, new TextDecoder().decode(bytes))
        : await new Response(bytes, { headers: response.headers })[parseAs]();
  }
  call.response = response;
  return response;
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
