/** `client.customerTokens`: list, add and update the payment tokens stored for a customer. */
import type { components } from "../generated/schema.js";
import type { CallOptions, SendCall } from "./api.js";
import { describeType, describeValue, RequestValidationError } from "./errors.js";
import { maskTokenId } from "./events.js";
import { validatePathParameter } from "./path-parameters.js";
import type { PayloadReader } from "./transport.js";

/** A payment token stored for a customer, as the spec's `customer-token` schema describes it. */
export type CustomerToken = components["schemas"]["customer-token"];

type TokensPayload = components["schemas"]["ClearentCustomerTokensResponsePayload"];

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

/** Operations on a customer's tokens; each resolves to all of the customer's tokens. */
export interface CustomerTokens {
  /**
   * Lists the customer's tokens. Resolves to `[]` when there are none: for an empty body, a
   * payload without `customer-tokens`, or a `customer-tokens` with an empty or no `token` list.
   *
   * @throws ResponseParseError when the list is missing but another member may hold it: any
   *   member of `customer-tokens` besides `token`, or an object or list in a payload without
   *   `customer-tokens`.
   */
  list(customerKey: string, options?: CallOptions): Promise<CustomerToken[]>;
  /**
   * Adds an existing payment token to the customer. Not retried once the request may have
   * been sent, because the API has no idempotency key; see `ConnectionError`. Resolves to `[]`
   * only when the gateway responds with an empty body, such as 204, or an empty `token` list.
   * An empty body confirms the add but returns no list, so call `list` to read the tokens.
   *
   * @throws ResponseParseError for a 2xx body without a `customer-tokens.token` list. The
   *   gateway has processed the add by then, so list the tokens before adding again.
   */
  add(customerKey: string, token: CustomerToken, options?: CallOptions): Promise<CustomerToken[]>;
  /**
   * Updates a token's `customer-key`, status or description. Resolves to `[]` only for an
   * empty response body or an empty `token` list, as `add` does, and rejects in the same cases.
   */
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
    validatePathParameter("customerKey", customerKey);
    const init: Record<string, unknown> = { params: { path: { customerKey } }, body: token };
    if (options !== undefined) {
      validateCallOptions(options);
    }
    const tokenId = token?.["token-id"];
    const maskedTokenId = typeof tokenId === "string" ? maskTokenId(tokenId) : undefined;
    const readPayload = method === "GET" ? readListPayload : readWritePayload;

    const { result } = await send(method, TOKENS_PATH, init, options, {
      tokenId: maskedTokenId,
      readPayload,
    });
    return result as CustomerToken[];
  }

  return {
    list: (customerKey, options) => callTokens("GET", customerKey, undefined, options),
    add: (customerKey, token, options) => callTokens("POST", customerKey, token, options),
    update: (customerKey, token, options) => callTokens("PUT", customerKey, token, options),
  };
}

/**
 * Reads the tokens of a list response. An empty body, or a payload without a list, means no
 * tokens, unless the payload has another member where the list may be; see `readMissingList`.
 */
const readListPayload: PayloadReader = (payload) => readTokens(payload, true);

/**
 * Reads the tokens of an add or update response. Note: `[]` is returned only for an empty
 * body or an empty `token` list, because the gateway responds to a write with the customer's
 * tokens, and a body without the list more likely means a proxy or an API change than a
 * customer without tokens. A payments caller that took `[]` for "no tokens" could add the same
 * token again.
 */
const readWritePayload: PayloadReader = (payload, body) =>
  body.text === "" ? { value: [] } : readTokens(payload, false);

/**
 * Returns the tokens of a payload, or the problem with its shape. A single token object (as
 * XML-to-JSON tools produce) becomes a one-element list. With `listMissingIsEmpty`, a payload
 * without a `customer-tokens` or `token` list means no tokens.
 */
function readTokens(
  payload: unknown,
  listMissingIsEmpty: boolean,
): { value: CustomerToken[] } | { problem: string } {
  // A missing payload is treated as an empty one.
  const body = payload ?? {};
  if (!isObject(body)) {
    return { problem: `the payload is ${describeType(body)}, not an object` };
  }
  const tokens = (body as TokensPayload)["customer-tokens"];
  if (tokens === undefined || tokens === null) {
    // A bare payload may carry scalar fields of its own, such as `code` and `status`, so only a
    // member whose value is an object or a list can be the token list under another name.
    const other = Object.keys(body).find(
      (key) => typeof body[key] === "object" && body[key] !== null,
    );
    return readMissingList("the payload has no customer-tokens list", other, listMissingIsEmpty);
  }
  if (!isObject(tokens)) {
    return { problem: `customer-tokens is ${describeType(tokens)}, not an object` };
  }

  const token: unknown = tokens.token;
  if (token === undefined || token === null) {
    // The spec's `tokens` object has no member but `token`, so any other one, such as
    // `customer-token`, may be the list under another name.
    const other = Object.keys(tokens).find((key) => key !== "token");
    return readMissingList("customer-tokens has no token list", other, listMissingIsEmpty);
  }
  if (!Array.isArray(token)) {
    return isObject(token)
      ? { value: [token as CustomerToken] }
      : { problem: `customer-tokens.token is ${describeType(token)}, not a list of tokens` };
  }

  const index = token.findIndex((element) => !isObject(element));
  if (index !== -1) {
    return {
      problem: `customer-tokens.token[${index}] is ${describeType(token[index])}, not a token`,
    };
  }
  return { value: token as CustomerToken[] };
}

/**
 * Reads a missing list, which `problem` describes: no tokens with `listMissingIsEmpty`, unless
 * its container has a member `other` that may be the list under another name. Otherwise returns
 * the problem, because a caller that took `[]` for "no tokens" could add a stored token again.
 */
function readMissingList(
  problem: string,
  other: string | undefined,
  listMissingIsEmpty: boolean,
): { value: CustomerToken[] } | { problem: string } {
  if (other !== undefined) {
    const member = describeValue(other);
    return { problem: `${problem} but has ${member}, which may be the list under another name` };
  }
  return listMissingIsEmpty ? { value: [] } : { problem };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function validateCallOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new RequestValidationError(
      "options must be an object with signal, timeoutMs or maxRetries, " +
        `received ${describeValue(options)}`,
    );
  }
}
