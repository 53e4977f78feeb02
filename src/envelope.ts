/**
 * The gateway's response envelope. On the wire every JSON body is wrapped as
 * `{code, status, "exchange-id", links, payload}`, while the OpenAPI spec describes only the
 * `payload`. Any envelope field can be missing, so the client accepts both forms.
 */
import type { components } from "../generated/schema.js";

type ErrorPayload = components["schemas"]["ErrorPayloadResponsePayload"];

/** Fields the gateway's error payload carries, as the client reports them. */
export interface ErrorPayloadFields {
  resultCode: string | undefined;
  errorMessage: string | undefined;
  timeStamp: string | undefined;
}

/** A parsed response body, split into the payload and the envelope fields the client uses. */
export interface UnwrappedBody {
  payload: unknown;
  exchangeId: string | undefined;
  /** True when the envelope's `status` is `fail` (compared case-insensitively). */
  failed: boolean;
  /** The envelope's `code`, the HTTP status as a string, when present. */
  code: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Tells an envelope from a bare payload. A payload of these endpoints never has a `payload` or
 * `exchange-id` key, and always has `payloadType` when it has `code` and `status`.
 */
export function isEnvelope(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) {
    return false;
  }
  return (
    "payload" in value ||
    "exchange-id" in value ||
    ("code" in value && "status" in value && !("payloadType" in value))
  );
}

/** Returns the payload of an enveloped body, or the body itself when it is a bare payload. */
export function unwrapEnvelope(value: unknown): UnwrappedBody {
  if (!isEnvelope(value)) {
    return { payload: value, exchangeId: undefined, failed: false, code: undefined };
  }
  const status = value.status;
  return {
    payload: value.payload,
    exchangeId: stringOrUndefined(value["exchange-id"]),
    failed: typeof status === "string" && status.toLowerCase() === "fail",
    code: stringOrUndefined(value.code),
  };
}

/** True when a payload is the spec's error payload (`payloadType: "error"` or an `error` key). */
export function isErrorPayload(payload: unknown): payload is ErrorPayload {
  if (!isRecord(payload)) {
    return false;
  }
  const payloadType = payload.payloadType;
  return (
    (typeof payloadType === "string" && payloadType.toLowerCase() === "error") ||
    isRecord(payload.error)
  );
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

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Keeps a result code as a string; a number (seen in some samples) loses leading zeros. */
function codeOrUndefined(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    return String(value);
  }
  return stringOrUndefined(value);
}
