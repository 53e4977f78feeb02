/** `createRecurringPaymentsClient`: validates the options and wires the client together. */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createApi, isRetryCount, isTimeout, MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS } from "./api.js";
import { createAuthenticator, isValidHeaderValue } from "./authentication.js";
import type { ResponseValidationMode } from "./call-validation.js";
import { type CustomerTokens, createCustomerTokens } from "./customer-tokens.js";
import { ConfigurationError, describeValue } from "./errors.js";
import type { ClientEventListener } from "./events.js";
import { Redactor } from "./redaction.js";
import { sleep as defaultSleep } from "./retry.js";
import { type BodyFormat, XML_MEDIA_TYPE } from "./serialization.js";
import { DeadlineScheduler } from "./timeouts.js";
import type { FetchFunction, SleepFunction } from "./transport.js";

/** Gateway hosts; every operation path already starts with `/rest/v2`. */
export const ENVIRONMENT_BASE_URLS = {
  sandbox: "https://gateway-sb.clearent.net",
  production: "https://gateway.clearent.net",
} as const;

export type Environment = keyof typeof ENVIRONMENT_BASE_URLS;

/** Options of `createRecurringPaymentsClient`. */
export interface RecurringPaymentsClientOptions {
  /** Key sent in the `api-key` header. Required. Keys are issued per environment. */
  apiKey: string;
  /** Gateway to call. Default `"sandbox"`. Ignored when `baseUrl` is set. */
  environment?: Environment;
  /** Absolute http(s) URL that replaces the environment's host, e.g. a local mock server. */
  baseUrl?: string;
  /** `fetch` implementation, called with one `Request`. Default `globalThis.fetch`. */
  fetch?: FetchFunction | typeof globalThis.fetch;
  /**
   * Time allowed for each attempt, from sending to the end of the body, in ms. Default 30000.
   * With `parseAs: "stream"` the attempt lasts until the caller has read the stream to the end
   * or cancelled it. A stream still open at the deadline errors with `TimeoutError`, and the
   * client closes its connection.
   */
  timeoutMs?: number;
  /** Maximum attempts after the first, from 0 to 10. Default 2. */
  maxRetries?: number;
  /**
   * Largest 2xx response body the client reads, in bytes. Default 10485760 (10 MiB). A longer
   * body is cancelled and the call rejects with `ResponseParseError`, without retries. A stream
   * requested with `parseAs: "stream"` errors with `ResponseParseError` as soon as more bytes
   * arrive, without passing them on, and the client closes its connection.
   */
  maxResponseBytes?: number;
  /** First backoff ceiling between attempts, doubled per attempt, in ms. Default 500. */
  retryBaseDelayMs?: number;
  /** Largest backoff between attempts, in ms. Default 5000. */
  retryMaxDelayMs?: number;
  /**
   * Longest `Retry-After` the client waits, in ms. Default 60000. A longer one stops the
   * retries, and the error carries `retryAfterMs`.
   */
  maxRetryAfterMs?: number;
  /** Receives structured events of each attempt; see `ClientEvent`. Default: none. */
  onEvent?: ClientEventListener;
  /**
   * Waits between attempts. Default: a timer. Tests replace it to record delays without
   * waiting; it must reject with `signal.reason` when the signal aborts.
   */
  sleep?: SleepFunction;
  /**
   * Body format. Default `"json"`. With `"xml"`, request bodies are sent as `application/xml`
   * and XML responses are requested, both mapped by the spec's `xml` annotations. The XML code
   * is loaded on the first call. A response whose `Content-Type` is JSON is still read as JSON.
   */
  format?: BodyFormat;
  /**
   * Validates each request body against the spec's schema before sending, and rejects with a
   * `RequestValidationError` listing every problem. Default `true`. Fields that the schema
   * lacks are problems too, because the gateway ignores a misspelled field.
   */
  validateRequests?: boolean;
  /**
   * Handling of a 2xx response body that breaks the spec's schema. Default `"off"`.
   * `"warn"` sends a `validation` event to `onEvent` (required then) and returns the data.
   * `"error"` rejects with a `ResponseValidationError`, although the gateway has processed the
   * request. Fields that the schema lacks are accepted in every mode.
   */
  validateResponses?: ResponseValidationMode;
  /**
   * Allows creating the client in a browser. Default `false`, because the page would expose
   * the API key to anyone who loads it.
   */
  dangerouslyAllowBrowser?: boolean;
}

/** The client: a facade for the tokens endpoints and the typed openapi-fetch client. */
export interface RecurringPaymentsClient {
  customerTokens: CustomerTokens;
  /**
   * The openapi-fetch client for every path of the spec, with the same authentication, retries
   * and errors: a non-2xx response rejects with an `ApiError` instead of resolving with `error`,
   * and `data` is the payload without the gateway's envelope. Per-call init also accepts
   * `timeoutMs` and `maxRetries`; `redirect` is always `"manual"`. NOTE: the types do not check
   * `timeoutMs` and `maxRetries`, so `timeoutMs: "10"` compiles and rejects at run time. Checking
   * them would mean redefining openapi-fetch's method types.
   */
  api: Client<paths>;
}

const OPTION_NAMES = new Set([
  "apiKey",
  "environment",
  "baseUrl",
  "fetch",
  "timeoutMs",
  "maxRetries",
  "maxResponseBytes",
  "retryBaseDelayMs",
  "retryMaxDelayMs",
  "maxRetryAfterMs",
  "onEvent",
  "sleep",
  "format",
  "validateRequests",
  "validateResponses",
  "dangerouslyAllowBrowser",
]);

const FORMATS = new Set<BodyFormat>(["json", "xml"]);
const RESPONSE_VALIDATION_MODES = new Set<ResponseValidationMode>(["off", "warn", "error"]);

/** Creates a client. Throws `ConfigurationError`, naming the option, for an invalid option. */
export function createRecurringPaymentsClient(
  options: RecurringPaymentsClientOptions,
): RecurringPaymentsClient {
  const settings = resolveOptions(options);
  const inner = createClient<paths>({
    baseUrl: settings.baseUrl,
    headers: { accept: settings.format === "xml" ? XML_MEDIA_TYPE : "application/json" },
    redirect: "manual",
  });
  const authenticator = createAuthenticator(settings.apiKey, new URL(settings.baseUrl).origin);
  const redactor = new Redactor(settings.apiKey);
  const { api, send } = createApi(
    inner,
    {
      authenticator,
      redactor,
      deadlines: new DeadlineScheduler(),
      sleep: settings.sleep,
      onEvent: settings.onEvent,
    },
    {
      fetch: settings.fetch,
      timeoutMs: settings.timeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      retry: {
        maxRetries: settings.maxRetries,
        baseDelayMs: settings.retryBaseDelayMs,
        maxDelayMs: settings.retryMaxDelayMs,
        maxRetryAfterMs: settings.maxRetryAfterMs,
      },
      format: settings.format,
      validateRequests: settings.validateRequests,
      validateResponses: settings.validateResponses,
    },
  );
  return { customerTokens: createCustomerTokens(send, redactor), api };
}

interface ResolvedOptions {
  apiKey: string;
  baseUrl: string;
  fetch: FetchFunction;
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  maxRetryAfterMs: number;
  onEvent: ClientEventListener | undefined;
  sleep: SleepFunction;
  format: BodyFormat;
  validateRequests: boolean;
  validateResponses: ResponseValidationMode;
}

function resolveOptions(options: RecurringPaymentsClientOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError(
      `options must be an object with at least apiKey, received ${describeValue(options)}`,
    );
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new ConfigurationError(
        `Unknown option ${JSON.stringify(name)}; valid options are ${[...OPTION_NAMES].join(", ")}`,
      );
    }
  }

  rejectBrowser(options.dangerouslyAllowBrowser);

  const onEvent = resolveFunction<ClientEventListener | undefined>(
    "onEvent",
    options.onEvent,
    undefined,
  );
  const validateResponses = resolveChoice(
    "validateResponses",
    options.validateResponses,
    RESPONSE_VALIDATION_MODES,
    "off",
  );
  if (validateResponses === "warn" && onEvent === undefined) {
    throw new ConfigurationError(
      'validateResponses "warn" reports problems as events, but no onEvent listener is set; ' +
        'pass onEvent, or use "error" to reject instead',
    );
  }

  return {
    apiKey: resolveApiKey(options.apiKey),
    baseUrl: resolveBaseUrl(options.environment, options.baseUrl),
    fetch: resolveFunction("fetch", options.fetch, globalThis.fetch) as FetchFunction,
    timeoutMs: resolveTimeout("timeoutMs", options.timeoutMs, 30_000),
    maxRetries: resolveMaxRetries(options.maxRetries),
    maxResponseBytes: resolveMaxResponseBytes(options.maxResponseBytes),
    ...resolveRetryDelays(options.retryBaseDelayMs, options.retryMaxDelayMs),
    maxRetryAfterMs: resolveDelay("maxRetryAfterMs", options.maxRetryAfterMs, 60_000),
    onEvent,
    sleep: resolveFunction("sleep", options.sleep, defaultSleep),
    format: resolveChoice("format", options.format, FORMATS, "json"),
    validateRequests: resolveBoolean("validateRequests", options.validateRequests, true),
    validateResponses,
  };
}

/**
 * Throws unless the caller allowed browsers explicitly. A page where `window` and `document`
 * exist is taken for a browser; web workers, Node and other server runtimes lack one of them.
 */
function rejectBrowser(dangerouslyAllowBrowser: unknown): void {
  const allowed = resolveBoolean("dangerouslyAllowBrowser", dangerouslyAllowBrowser, false);
  const global = globalThis as { window?: unknown; document?: unknown };
  if (allowed || global.window === undefined || global.document === undefined) {
    return;
  }
  throw new ConfigurationError(
    "createRecurringPaymentsClient was called in a browser, where the apiKey would be visible " +
      "to anyone who loads the page and could be used to call the gateway as your account; " +
      "call the API from a server, or pass dangerouslyAllowBrowser: true if the page is " +
      "never public",
  );
}

function resolveChoice<T extends string>(
  name: string,
  value: unknown,
  choices: ReadonlySet<T>,
  fallback: T,
): T {
  if (value === undefined) {
    return fallback;
  }
  if (!choices.has(value as T)) {
    const listed = [...choices].map((choice) => JSON.stringify(choice)).join(", ");
    throw new ConfigurationError(
      `${name} ${describeValue(value)} is invalid; use one of ${listed}`,
    );
  }
  return value as T;
}

function resolveBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== "boolean") {
    throw new ConfigurationError(`${name} must be true or false, received ${describeValue(value)}`);
  }
  return value;
}

function resolveApiKey(apiKey: unknown): string {
  if (apiKey === undefined || apiKey === null || apiKey === "") {
    throw new ConfigurationError(
      "apiKey is missing; pass the API key issued for the environment as the apiKey option",
    );
  }
  if (typeof apiKey !== "string") {
    throw new ConfigurationError(`apiKey must be a string, received ${typeof apiKey}`);
  }
  if (!isValidHeaderValue(apiKey)) {
    // The key itself stays out of the message.
    throw new ConfigurationError(
      "apiKey is invalid: it contains control or non-ASCII characters, or leading or trailing " +
        "spaces, which an HTTP header cannot carry; pass the key exactly as issued",
    );
  }
  return apiKey;
}

function resolveBaseUrl(environment: unknown, baseUrl: unknown): string {
  if (environment !== undefined && !Object.hasOwn(ENVIRONMENT_BASE_URLS, environment as string)) {
    throw new ConfigurationError(
      `environment ${describeValue(environment)} is unknown; ` +
        `use "sandbox" or "production", or pass baseUrl`,
    );
  }
  if (baseUrl === undefined) {
    return ENVIRONMENT_BASE_URLS[(environment as Environment | undefined) ?? "sandbox"];
  }

  const hint = 'pass an absolute http(s) URL such as "https://gateway-sb.clearent.net"';
  if (typeof baseUrl !== "string") {
    throw new ConfigurationError(
      `baseUrl must be a string, received ${describeValue(baseUrl)}; ${hint}`,
    );
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(
      `baseUrl ${describeValue(baseUrl)} is not an absolute URL; ${hint}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(
      `baseUrl ${describeValue(baseUrl)} is not an http(s) URL; ${hint}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigurationError(
      "baseUrl is invalid because it contains credentials; authenticate with apiKey instead",
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigurationError(
      `baseUrl ${describeValue(baseUrl)} is invalid because it has a query or fragment; ` +
        `pass the host and an optional path prefix`,
    );
  }
  // The serialised URL lowercases the host and drops a default port, so origins compare exactly.
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function resolveFunction<T>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== "function") {
    throw new ConfigurationError(`${name} must be a function, received ${describeValue(value)}`);
  }
  return value as T;
}

function resolveTimeout(name: string, value: unknown, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!isTimeout(value)) {
    throw new ConfigurationError(
      `${name} ${describeValue(value)} is invalid; ` +
        `pass a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`,
    );
  }
  return value;
}

function resolveDelay(name: string, value: unknown, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_TIMEOUT_MS) {
    throw new ConfigurationError(
      `${name} ${describeValue(value)} is invalid; ` +
        `pass a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}`,
    );
  }
  return value;
}

/**
 * Resolves the backoff delays. Without `retryBaseDelayMs`, the default 500 is lowered to
 * `retryMaxDelayMs` when that is smaller, which waits exactly as the default would.
 *
 * @throws ConfigurationError for a `retryBaseDelayMs` greater than `retryMaxDelayMs`, because
 *   every wait would be cut to `retryMaxDelayMs` and the base would have no effect.
 */
function resolveRetryDelays(
  baseDelayMs: unknown,
  maxDelayMs: unknown,
): { retryBaseDelayMs: number; retryMaxDelayMs: number } {
  const retryMaxDelayMs = resolveDelay("retryMaxDelayMs", maxDelayMs, 5_000);
  const retryBaseDelayMs = resolveDelay(
    "retryBaseDelayMs",
    baseDelayMs,
    Math.min(500, retryMaxDelayMs),
  );
  if (retryBaseDelayMs > retryMaxDelayMs) {
    const maxSource = maxDelayMs === undefined ? " (the default)" : "";
    throw new ConfigurationError(
      `retryBaseDelayMs ${retryBaseDelayMs} is greater than retryMaxDelayMs ` +
        `${retryMaxDelayMs}${maxSource}; pass a retryBaseDelayMs of at most ${retryMaxDelayMs}, ` +
        `or a retryMaxDelayMs of at least ${retryBaseDelayMs}`,
    );
  }
  return { retryBaseDelayMs, retryMaxDelayMs };
}

function resolveMaxResponseBytes(value: unknown): number {
  if (value === undefined) {
    return 10 * 1024 * 1024;
  }
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new ConfigurationError(
      `maxResponseBytes ${describeValue(value)} is invalid; pass a positive integer of bytes`,
    );
  }
  return value as number;
}

function resolveMaxRetries(value: unknown): number {
  if (value === undefined) {
    return 2;
  }
  if (!isRetryCount(value)) {
    throw new ConfigurationError(
      `maxRetries ${describeValue(value)} is invalid; ` +
        `pass an integer from 0 to ${MAX_RETRIES_LIMIT}`,
    );
  }
  return value;
}
