/**
 * `client.api`: the typed openapi-fetch client, wrapped so that every call goes through the
 * transport, rejects with typed errors, and returns envelope-free data.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import {
  checkResponseBody,
  type ResponseValidationMode,
  rejectInvalidRequestBody,
} from "./call-validation.js";
import { describeValue, RecurringPaymentsError, RequestValidationError } from "./errors.js";
import { validatePathParameters } from "./path-parameters.js";
import { limitResponseStream } from "./response-stream.js";
import { handleResponse } from "./responses.js";
import type { RetryPolicy } from "./retry.js";
import {
  type BodyFormat,
  customSerializer,
  keepSerializedBody,
  parseJsonBody,
  serializeRequestBody,
} from "./serialization.js";
import {
  type Call,
  type FetchFunction,
  type ParseAs,
  type PayloadReader,
  sendWithRetries,
  type TransportSettings,
} from "./transport.js";
import { findOperationKey } from "./validation.js";
import { loadXmlFormat, prepareXmlCall, type XmlFormatModule } from "./xml-call.js";

/**
 * Options every call accepts: the last argument of a facade method, which rejects any other key,
 * or extra keys of the init object of a `client.api` call.
 */
export interface CallOptions {
  /** Aborts the call, including a pending wait between attempts; it rejects with the reason. */
  signal?: AbortSignal;
  /** Time allowed for each attempt, from sending to the end of the response body, in ms. */
  timeoutMs?: number;
  /** Maximum attempts after the first; POST is retried only when it was proven not sent. */
  maxRetries?: number;
}

/** Client-wide settings of every call; a call can override `fetch`, the timeout and retries. */
export interface CallDefaults {
  fetch: FetchFunction;
  timeoutMs: number;
  /** Largest 2xx body read, in bytes. */
  maxResponseBytes: number;
  retry: RetryPolicy;
  format: BodyFormat;
  validateRequests: boolean;
  validateResponses: ResponseValidationMode;
}

type InnerRequest = (
  method: string,
  url: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Per-call options of the client, and the openapi-fetch options the transport takes over. */
export interface CallOverrides {
  signal?: unknown;
  timeoutMs?: unknown;
  maxRetries?: unknown;
  parseAs?: unknown;
  fetch?: unknown;
  bodySerializer?: unknown;
}

/** Additions that a facade method makes to a call. */
export interface FacadeCall {
  /** Token id of an add or update, masked for events. */
  tokenId: string | undefined;
  readPayload: PayloadReader;
}

/**
 * Sends one call through openapi-fetch. `init` contains openapi-fetch options only, and the call
 * takes it over. `result` is what the facade's `readPayload` returned.
 */
export type SendCall = (
  method: string,
  schemaPath: string,
  init: Record<string, unknown>,
  overrides: CallOverrides | undefined,
  facade?: FacadeCall,
) => Promise<{ data: unknown; response: Response; result: unknown }>;

/**
 * Wraps `inner` so that it sends through the transport. Note: this returns a wrapper typed as
 * `Client<paths>` and not `inner` itself, because openapi-fetch parses 2xx bodies after the
 * transport returns, and unwrapping the envelope there would mean serialising JSON again.
 * The transport parses once, so the wrapper requests the raw stream from openapi-fetch and
 * returns the transport's data.
 */
export function createApi(
  inner: Client<paths>,
  settings: TransportSettings,
  defaults: CallDefaults,
): { api: Client<paths>; send: SendCall } {
  const innerRequest = inner.request as unknown as InnerRequest;

  const send: SendCall = async (method, schemaPath, init, overrides, facade) => {
    const call = createCall(method, schemaPath, defaults, overrides);
    call.tokenId = facade?.tokenId;
    call.readPayload = facade?.readPayload;
    const operation = findOperationKey(method, schemaPath);
    // The XML code loads before validation, because an await between validation and
    // serialisation would let the caller change the body after it was validated.
    let xml: XmlFormatModule | undefined;
    if (defaults.format === "xml") {
      xml = await loadXmlFormat(call, operation);
    }
    // Validated once per call, before the transport's retry loop.
    if (defaults.validateRequests && operation !== undefined) {
      rejectInvalidRequestBody(call, operation, init.body);
    }

    const mode = defaults.validateResponses;
    if (mode !== "off" && operation !== undefined) {
      // Checked within the attempt, before `readPayload`, so that a payload that breaks the
      // schema is reported even when the facade then rejects its shape.
      call.checkPayload = (payload, response) =>
        checkResponseBody({ mode, settings, call, operation, response, data: payload });
    }

    init.parseAs = "stream";
    init.fetch = (request: Request) => sendWithRetries(settings, request, call);
    if (xml !== undefined && operation !== undefined) {
      prepareXmlCall(xml, call, operation, init, overrides);
    } else if (init.body !== undefined) {
      init.bodySerializer = keepSerializedBody(
        call,
        customSerializer(overrides) ?? serializeRequestBody,
      );
    }

    let result: Awaited<ReturnType<InnerRequest>>;
    try {
      result = await innerRequest(method, schemaPath, init);
    } catch (error) {
      throw toClientError(settings, error, call);
    }

    let response: Response;
    let data: unknown;
    if (result.response === call.response) {
      response = call.response;
      data = call.parseAs === "stream" ? result.data : call.data;
    } else {
      // A middleware returned or replaced the response, so it is read the same way, without
      // retries. A streamed body gets a full `timeoutMs` from here, and no `fetch` to abort.
      const url = result.response.url;
      response = await handleResponse(settings, result.response, call, 1, url);
      if (call.parseAs === "stream") {
        const streamed = { response, call, attempt: 1, url };
        const attempt = { deadlineAt: performance.now() + call.timeoutMs, abortFetch: () => {} };
        response = limitResponseStream(settings, streamed, attempt);
      }
      data = call.parseAs === "stream" ? response.body : call.data;
    }

    return { data, response, result: call.result };
  };

  /**
   * Checks the path parameters, then splits a `client.api` init into openapi-fetch options and
   * the client's call options.
   */
  const sendApiCall = (method: string, schemaPath: string, init?: Record<string, unknown>) => {
    try {
      validatePathParameters(schemaPath, init?.params);
    } catch (error) {
      return Promise.reject(error);
    }
    const {
      signal,
      timeoutMs,
      maxRetries,
      parseAs,
      fetch,
      bodySerializer,
      // Dropped: the transport always uses "manual", so a redirect cannot carry the key.
      redirect: _redirect,
      ...rest
    } = init ?? {};
    const overrides = { signal, timeoutMs, maxRetries, parseAs, fetch, bodySerializer };
    return send(method, schemaPath, rest, overrides);
  };

  const methodOf = (method: string) => (schemaPath: string, init?: Record<string, unknown>) =>
    sendApiCall(method, schemaPath, init);
  const api = {
    request: (method: string, schemaPath: string, init?: Record<string, unknown>) =>
      sendApiCall(method.toUpperCase(), schemaPath, init),
    GET: methodOf("GET"),
    PUT: methodOf("PUT"),
    POST: methodOf("POST"),
    DELETE: methodOf("DELETE"),
    OPTIONS: methodOf("OPTIONS"),
    HEAD: methodOf("HEAD"),
    PATCH: methodOf("PATCH"),
    TRACE: methodOf("TRACE"),
    use: inner.use,
    eject: inner.eject,
  };
  return { api: api as unknown as Client<paths>, send };
}

/** Validates the per-call options and creates the call's state. */
function createCall(
  method: string,
  pathTemplate: string,
  defaults: CallDefaults,
  overrides: CallOverrides | undefined,
): Call {
  // Without overrides every value below is undefined, so each check passes.
  const { signal, timeoutMs, maxRetries, fetch } = overrides ?? {};
  const parseAs = overrides?.parseAs ?? "json";
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new RequestValidationError("signal must be an AbortSignal; pass controller.signal");
  }
  if (signal?.aborted) {
    throw signal.reason;
  }
  if (timeoutMs !== undefined && !isTimeout(timeoutMs)) {
    throw new RequestValidationError(
      `timeoutMs ${describeValue(timeoutMs)} is invalid; ` +
        `pass a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`,
    );
  }
  if (maxRetries !== undefined && !isRetryCount(maxRetries)) {
    throw new RequestValidationError(
      `maxRetries ${describeValue(maxRetries)} is invalid; ` +
        `pass an integer from 0 to ${MAX_RETRIES_LIMIT}`,
    );
  }
  if (!PARSE_AS.has(parseAs as ParseAs)) {
    throw new RequestValidationError(
      `parseAs ${describeValue(parseAs)} is invalid; pass one of ${[...PARSE_AS].join(", ")}`,
    );
  }
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new RequestValidationError("fetch must be a function that takes a Request");
  }

  return {
    method,
    pathTemplate,
    url: "",
    signal,
    timeoutMs: timeoutMs ?? defaults.timeoutMs,
    maxResponseBytes: defaults.maxResponseBytes,
    retry:
      maxRetries === undefined
        ? defaults.retry
        : { ...defaults.retry, maxRetries: maxRetries as number },
    parseAs: parseAs as ParseAs,
    parseBody: parseJsonBody,
    fetch: (fetch as FetchFunction | undefined) ?? defaults.fetch,
    tokenId: undefined,
    body: undefined,
    checkPayload: undefined,
    readPayload: undefined,
    response: undefined,
    data: undefined,
    result: undefined,
    exchangeId: undefined,
  };
}

const PARSE_AS = new Set<ParseAs>(["json", "text", "blob", "arrayBuffer", "stream"]);

/** Largest delay `setTimeout` accepts, in milliseconds. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Largest `maxRetries`; more would keep a call alive for minutes. */
export const MAX_RETRIES_LIMIT = 10;

export function isTimeout(value: unknown): value is number {
  return (
    typeof value === "number" && Number.isFinite(value) && value >= 1 && value <= MAX_TIMEOUT_MS
  );
}

export function isRetryCount(value: unknown): value is number {
  return (
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_RETRIES_LIMIT
  );
}

/**
 * Converts what openapi-fetch threw outside the transport into a client error. Typed errors
 * and the caller's abort reason pass through. Anything else, such as an invalid URL or a failing
 * body serialiser or middleware, becomes a `RequestValidationError` with the original as cause.
 */
function toClientError(settings: TransportSettings, error: unknown, call: Call): unknown {
  if (error instanceof RecurringPaymentsError) {
    return error;
  }
  if (call.signal?.aborted && error === call.signal.reason) {
    return error;
  }
  const { redactor } = settings;
  const message = error instanceof Error ? error.message : String(error);
  const reason = redactor.redactAndCut(message, 200);
  return new RequestValidationError(
    `${call.method} ${call.pathTemplate} could not be sent: ${reason}`,
    { cause: redactor.redactCause(error) },
  );
}
