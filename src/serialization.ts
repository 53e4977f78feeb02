/**
 * Request body serialisation and response body parsing for JSON, and the parser type that lets
 * an XML client plug in its own parsing (`xml-format.ts`, loaded only for `format: "xml"`).
 */
import type { Call } from "./transport.js";
import { XmlError } from "./xml-error.js";

/** Format of request and response bodies, chosen by the client's `format` option. */
export type BodyFormat = "json" | "xml";

/** Media type of XML request and response bodies. */
export const XML_MEDIA_TYPE = "application/xml";

/** A JSON media type such as `application/json`, `application/problem+json` or `text/json`. */
export const JSON_MEDIA_TYPE = /^\s*(application|text)\/([\w.-]+\+)?json\s*(;|$)/i;

/** An XML media type such as `application/xml`, `text/xml` or `application/soap+xml`. */
const XML_MEDIA_TYPE_PATTERN = /^\s*(application|text)\/([\w.-]+\+)?xml\s*(;|$)/i;

/**
 * Checks whether a response with this `Content-Type` can carry the gateway's envelope: JSON, XML,
 * or no content type at all, which `parseAs: "json"` reads as JSON too.
 */
export function mayCarryEnvelope(contentType: string | null): boolean {
  return (
    contentType === null ||
    contentType.trim() === "" ||
    JSON_MEDIA_TYPE.test(contentType) ||
    XML_MEDIA_TYPE_PATTERN.test(contentType)
  );
}

/** Maximum number of bytes read from an error response body; the rest is cancelled unread. */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Token fields that the schema types as strings but some vendor samples send as JSON numbers.
 * Token ids such as `11000383833939381111` exceed `Number.MAX_SAFE_INTEGER`, and `exp-date`,
 * `last-four-digits` and `avs-zip` carry leading zeros, so a number would corrupt them.
 */
const NUMERIC_STRING_FIELD =
  /"(token-id|exp-date|last-four-digits|avs-zip|result-code)"(\s*:\s*)(-?\d[\d.eE+-]*)/g;

/** A request body serialiser, as openapi-fetch's `bodySerializer` option takes it. */
export type BodySerializer = (body: unknown, headers?: Headers) => BodyInit;

/** Returns the `bodySerializer` that a `client.api` call passed, if it passed a function. */
export function customSerializer(overrides: { bodySerializer?: unknown } | undefined) {
  const serializer = overrides?.bodySerializer;
  return typeof serializer === "function" ? (serializer as BodySerializer) : undefined;
}

/** Wraps `serialize` so that the call keeps the serialised body, which a retry sends again. */
export function keepSerializedBody(call: Call, serialize: BodySerializer): BodySerializer {
  return (body, headers) => {
    call.body = serialize(body, headers);
    return call.body;
  };
}

/**
 * Serialises a request body for `fetch`. Form data passes through, a form-encoded content type
 * gets URL encoding, and everything else is sent as JSON.
 */
export function serializeRequestBody(body: unknown, headers?: Headers): BodyInit {
  if (body instanceof FormData) {
    return body;
  }
  if (headers?.get("content-type") === "application/x-www-form-urlencoded") {
    return new URLSearchParams(body as Record<string, string>).toString();
  }
  return JSON.stringify(body);
}

/**
 * Parses a response body into the JSON form of the gateway's envelope or of a bare payload, as
 * `unwrapEnvelope` reads it. Returns `undefined` for an empty body. Throws for a body that is
 * not in the format, and callers turn that into a typed error with `describeParseFailure`.
 */
export type ResponseBodyParser = (text: string, response: Response) => unknown;

/** Describes why a response body could not be parsed, for `ApiError.errorMessage`. */
export function describeParseFailure(error: unknown): string {
  return error instanceof XmlError
    ? `the response body is not valid XML: ${error.message}`
    : "the response body is not valid JSON";
}

/**
 * Parses a JSON response body; a `ResponseBodyParser`. Returns `undefined` for an empty body and
 * throws a `SyntaxError` for anything that is not JSON.
 */
export function parseJsonBody(text: string): unknown {
  if (text === "") {
    return undefined;
  }
  NUMERIC_STRING_FIELD.lastIndex = 0;
  const quoted = NUMERIC_STRING_FIELD.test(text)
    ? text.replace(NUMERIC_STRING_FIELD, '"$1"$2"$3"')
    : text;
  try {
    return JSON.parse(quoted);
  } catch (error) {
    throw withoutBodyExcerpt(error);
  }
}

/** V8's message for a character that cannot start a JSON value, before the body excerpt. */
const UNEXPECTED_TOKEN = /^Unexpected token '(.)', /su;

/**
 * Returns a `SyntaxError` whose message leaves out the excerpt of the body that V8 quotes, as in
 * `Unexpected token 'e', "test-key-7d"... is not valid JSON`. Note: V8 in Node 20 cuts a long
 * excerpt to ten characters, so it can contain part of the API key, which redaction cannot
 * match, or part of a token id. The original error is dropped, because its message and stack
 * both quote the body. A V8 message without an excerpt gives a position only and is kept.
 */
function withoutBodyExcerpt(error: unknown): unknown {
  if (!(error instanceof SyntaxError) || !error.message.includes('"')) {
    return error;
  }
  const token = UNEXPECTED_TOKEN.exec(error.message)?.[1];
  return new SyntaxError(
    token === undefined
      ? "The response body is not valid JSON"
      : `Unexpected token '${token}', the response body is not valid JSON`,
  );
}

/** A response body read up to a limit. */
export interface BoundedText {
  text: string;
  /** Whether the body was longer than the limit and the rest was cancelled. */
  truncated: boolean;
}

/**
 * Reads at most `limitBytes` of a response body as UTF-8 and cancels the stream after that, so
 * a huge body costs no more memory than the limit. A character split at the cut becomes U+FFFD.
 */
export async function readBoundedText(
  response: Response,
  limitBytes: number,
): Promise<BoundedText> {
  const { bytes, truncated } = await readBoundedBytes(response, limitBytes);
  return { text: new TextDecoder().decode(bytes), truncated };
}

/**
 * Reads at most `limitBytes` of a response body and cancels the stream after that. `truncated`
 * is true when the body was longer than the limit.
 */
export async function readBoundedBytes(
  response: Response,
  limitBytes: number,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; truncated: boolean }> {
  const stream = response.body;
  if (stream === null) {
    return { bytes: new Uint8Array(0), truncated: false };
  }

  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    const room = limitBytes - length;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      length += room;
      truncated = true;
      // Note: the cancel is not awaited, because a peer that stopped sending could delay it.
      // Starting the cancel already releases the connection.
      reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    length += value.byteLength;
  }

  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}
