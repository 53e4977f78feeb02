/** `client.customerTokens`: list, add and update the payment tokens stored for a customer. */
import type { components } from "../generated/schema.js";
import type { CallOptions, SendCall } from "./api.js";
import {
  describeValue,
  RequestValidationError,
  ResponseParseError,
  truncateText,
} from "./errors.js";
import { maskTokenId } from "./events.js";
import { ERROR_BODY_LIMIT_BYTES } from "./serialization.js";

/** A payment token stored for a customer, as the spec's `customer-token` schema describes it. */
export type CustomerToken = components["schemas"]["customer-token"];

type TokensPayload = components["schemas"]["ClearentCustomerTokensResponsePayload"];

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

/** A lone UTF-16 surrogate, which `encodeURIComponent` cannot encode. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Operations on a customer's tokens; each resolves to all of the customer's tokens. */
export interface CustomerTokens {
  /** Lists the customer's tokens; resolves to `[]` when there are none. */
  list(customerKey: string, options?: CallOptions): Promise<CustomerToken[]>;
  /**
   * Adds an existing payment token to the customer. Not retried once the request may have
   * been sent, because the API has no idempotency key; see `ConnectionError`.
   */
  add(customerKey: string, token: CustomerToken, options?: CallOptions): Promise<CustomerToken[]>;
  /** Updates a token's `customer-key`, status or description. */
  update(
    customerKey: string,
    token: CustomerToken,
    options?: CallOptions,
  ): Promise<CustomerToken[]>;
}

export function createCustomerTokens(send: SendCall): CustomerTokens {
  async function callTokens(
    method: string,
    customerKey: string,
    token: CustomerToken | undefined,
    options: CallOptions | undefined,
  ): Promise<CustomerToken[]> {
    // The token is validated with the rest of the body, by the spec's schema, in `send`.
    validateCustomerKey(customerKey);
    const init: Record<string, unknown> = { params: { path: { customerKey } }, body: token };
    if (options !== undefined) {
      validateCallOptions(options);
    }
    const tokenId = token?.["token-id"];
    const maskedTokenId = typeof tokenId === "string" ? maskTokenId(tokenId) : undefined;

    const { data, response } = await send(method, TOKENS_PATH, init, options, maskedTokenId);
    const tokens = tokensOf(data);
    if (tokens === undefined) {
      throw new ResponseParseError({
        status: response.status,
        statusText: response.statusText,
        method,
        path: `/rest/v2/customers/${encodeURIComponent(customerKey)}/tokens`,
        body: truncateText(JSON.stringify(data) ?? "", ERROR_BODY_LIMIT_BYTES),
        bodyTruncated: false,
        exchangeId: undefined,
        resultCode: undefined,
        errorMessage: "the payload has no customer-tokens list",
        timeStamp: undefined,
        retryAfterMs: undefined,
        attempts: 1,
      });
    }
    return tokens;
  }

  return {
    list: (customerKey, options) => callTokens("GET", customerKey, undefined, options),
    add: (customerKey, token, options) => callTokens("POST", customerKey, token, options),
    update: (customerKey, token, options) => callTokens("PUT", customerKey, token, options),
  };
}

/**
 * Returns the tokens of a list payload, `[]` for a payload without tokens, or `undefined` when
 * the payload has another shape. A single token object (as XML-to-JSON tools produce) becomes
 * a one-element list.
 */
function tokensOf(data: unknown): CustomerToken[] | undefined {
  if (data === undefined || data === null) {
    return [];
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    return undefined;
  }
  const tokens = (data as TokensPayload)["customer-tokens"];
  if (tokens === undefined || tokens === null) {
    return [];
  }
  if (typeof tokens !== "object" || Array.isArray(tokens)) {
    return undefined;
  }
  const token: unknown = tokens.token;
  if (token === undefined || token === null) {
    return [];
  }
  if (Array.isArray(token)) {
    return token as CustomerToken[];
  }
  return typeof token === "object" ? [token as CustomerToken] : undefined;
}

/**
 * Throws `RequestValidationError` unless `customerKey` stays one path segment once encoded:
 * it must be a non-empty string of well-formed Unicode, and not `.` or `..`, which URL
 * resolution would remove or turn into a step up. Every other character is percent-encoded.
 */
export function validateCustomerKey(customerKey: unknown): asserts customerKey is string {
  if (typeof customerKey !== "string") {
    throw new RequestValidationError(
      `customerKey must be a string, received ${describeValue(customerKey)}; ` +
        "pass the customer's key as a string",
    );
  }
  if (customerKey === "") {
    throw new RequestValidationError(
      "customerKey must not be empty; pass the key of an existing customer",
    );
  }
  if (customerKey === "." || customerKey === "..") {
    throw new RequestValidationError(
      `customerKey ${describeValue(customerKey)} is invalid because it would change the ` +
        "request path; pass the customer's key",
    );
  }
  if (LONE_SURROGATE.test(customerKey)) {
    throw new RequestValidationError(
      `customerKey ${describeValue(customerKey)} contains an unpaired UTF-16 surrogate and ` +
        "cannot be encoded in a URL; pass well-formed Unicode",
    );
  }
}

function validateCallOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new RequestValidationError(
      "options must be an object with signal, timeoutMs or maxRetries, " +
        `received ${describeValue(options)}`,
    );
  }
}
