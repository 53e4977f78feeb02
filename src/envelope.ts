/**
 * The gateway's response envelope. On the wire every JSON body is wrapped as
 * `{code, status, "exchange-id", links, payload}`, while the OpenAPI spec describes only the
 * `payload`. Any envelope field can be missing, so the client accepts both forms.
 */

/** A parsed response body, split into the payload and the envelope fields the client uses. */
export interface UnwrappedBody {
  payload: unknown;
  exchangeId: string | undefined;
  /**
   * True when the envelope's `status` is present and not the string `success` (compared
   * case-insensitively), or its `code` is a status outside 2xx.
   */
  failed: boolean;
  /** The envelope's `code`, the HTTP status as a string, when present. */
  code: string | undefined;
  /** The envelope's `status` as the body sent it, of any type; `undefined` when missing. */
  status: unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Tells an envelope from a bare payload. A payload of these endpoints never has a `payload` or
 * `exchange-id` key, and always has `payloadType` when it has `code` and `status`. Neither
 * `status` nor `code` alone marks an envelope, because a bare payload could carry either as a
 * field of its own.
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
    return {
      payload: value,
      exchangeId: undefined,
      failed: false,
      code: undefined,
      status: undefined,
    };
  }
  const status = value.status;
  const code = codeOrUndefined(value.code);
  // Note: any status other than the string `success` counts as a failure, including `false`,
  // `null` and numbers. So does a numeric `code` outside 2xx. The spec lists `success` and
  // `fail` only, and resolving an unknown status as data could report a declined write as done.
  // A missing status (`undefined` in the XML envelope's JSON form) leaves the verdict to `code`.
  const statusFailed =
    status !== undefined && !(typeof status === "string" && status.toLowerCase() === "success");
  const codeNumber = code !== undefined && /^\d{3}$/.test(code) ? Number(code) : undefined;
  const codeFailed = codeNumber !== undefined && (codeNumber < 200 || codeNumber > 299);
  return {
    payload: value.payload,
    exchangeId: stringOrUndefined(value["exchange-id"]),
    failed: statusFailed || codeFailed,
    code,
    status,
  };
}

/**
 * True when a payload reports an error: `payloadType: "error"`, an `error` object as the spec's
 * error payload has, or an `error` string that is not blank, such as `"declined"`.
 */
export function isErrorPayload(payload: unknown): boolean {
  if (!isRecord(payload)) {
    return false;
  }
  const { payloadType, error } = payload;
  return (
    (typeof payloadType === "string" && payloadType.toLowerCase() === "error") ||
    isRecord(error) ||
    (typeof error === "string" && error.trim() !== "")
  );
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Keeps a result code as a string; a number (seen in some samples) loses leading zeros. */
export function codeOrUndefined(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    return String(value);
  }
  return stringOrUndefined(value);
}
