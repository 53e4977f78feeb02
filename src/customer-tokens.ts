/** `client.customerTokens`: list, add and update the payment tokens stored for a customer. */
import type { components } from "../generated/schema.js";
import type { CallOptions, SendCall } from "./api.js";
import { describeType, describeValue, RequestValidationError } from "./errors.js";
import { maskTokenId } from "./events.js";
import { validatePathParameter } from "./path-parameters.js";
import type { Redactor } from "./redaction.js";
import type { PayloadReader } from "./transport.js";

/** A payment token stored for a customer, as the spec's `customer-token` schema describes it. */
export type CustomerToken = components["schemas"]["customer-token"];

type TokensPayload = components["schemas"]["ClearentCustomerTokensResponsePayload"];

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

/** Keys of the last argument of each method, as `CallOptions` declares them. */
const CALL_OPTION_NAMES = ["signal", "timeoutMs", "maxRetries"];

/**
 * Members of the spec's tokens payload. A list call resolves `[]` for a payload without a token
 * list only when the payload has no other member.
 */
const PAYLOAD_KEYS = ["customer-tokens", "payloadType"];

/** Maximum number of unexpected members that a `ResponseParseError` message lists. */
const MAX_LISTED_MEMBERS = 3;

/** Maximum length of each member key or value in that message, in characters. */
const MAX_MEMBER_TEXT_LENGTH = 60;

/** Operations on a customer's tokens; each resolves to all of the customer's tokens. */
export interface CustomerTokens {
  /**
   * Lists the customer's tokens. Resolves to `[]` when there are none: for an empty body, a
   * payload with no member but `payloadType`, or a `customer-tokens` with an empty or no
   * `token` list.
   *
   * @throws ResponseParseError when the list is missing and the payload has another member,
   *   which may hold the list or report a failure: any member of the payload besides
   *   `customer-tokens` and `payloadType`, or of `customer-tokens` besides `token`.
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

/**
 * Creates `client.customerTokens`. `redactor` removes the API key from the response values that
 * a `ResponseParseError` quotes.
 */
export function createCustomerTokens(send: SendCall, redactor: Redactor): CustomerTokens {
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
    const listMissingIsEmpty = method === "GET";
    const readPayload: PayloadReader = (payload, body) =>
      body.text === "" ? { value: [] } : readTokens(payload, { listMissingIsEmpty, redactor });

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
 * Returns the tokens of a payload, or the problem with its shape. A single token object (as
 * XML-to-JSON tools produce) becomes a one-element list. With `listMissingIsEmpty` (for a list
 * call), a payload without a `customer-tokens` or `token` list means no tokens. A member that
 * the spec lacks, in the payload or its `customer-tokens`, makes it a problem instead.
 *
 * Note: an add or update resolves `[]` only for an empty body, which the caller checks, or an
 * empty `token` list. The gateway responds to a write with the customer's tokens, so a body
 * without the list more likely means a proxy or an API change than a customer without tokens.
 * A payments caller that took `[]` for "no tokens" could add the same token again.
 */
function readTokens(
  payload: unknown,
  options: { listMissingIsEmpty: boolean; redactor: Redactor },
): { value: CustomerToken[] } | { problem: string } {
  const { listMissingIsEmpty, redactor } = options;
  // A missing payload is treated as an empty one.
  const body = payload ?? {};
  if (!isObject(body)) {
    return { problem: `the payload is ${describeType(body)}, not an object` };
  }
  const payloadMembers = listOtherMembers(body, PAYLOAD_KEYS, redactor);
  const tokens = (body as TokensPayload)["customer-tokens"];
  if (tokens === undefined || tokens === null) {
    const problem = "the payload has no customer-tokens list";
    return readMissingList(problem, payloadMembers, listMissingIsEmpty);
  }
  if (!isObject(tokens)) {
    return { problem: `customer-tokens is ${describeType(tokens)}, not an object` };
  }

  const token: unknown = tokens.token;
  if (token === undefined || token === null) {
    if (payloadMembers !== "") {
      return {
        problem: `customer-tokens has no token list, and the payload has ${payloadMembers}`,
      };
    }
    // The spec's `tokens` object has no member but `token`.
    const tokensMembers = listOtherMembers(tokens, ["token"], redactor);
    return readMissingList("customer-tokens has no token list", tokensMembers, listMissingIsEmpty);
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
 * Reads a missing list, which `problem` describes. Returns no tokens with `listMissingIsEmpty`
 * when `otherMembers`, from `listOtherMembers`, is empty. Otherwise returns the problem with the
 * other members, because one may hold the list under another name or report a failure, such as
 * `"status": "fail"`. A caller that took `[]` for "no tokens" could add a stored token again.
 */
function readMissingList(
  problem: string,
  otherMembers: string,
  listMissingIsEmpty: boolean,
): { value: CustomerToken[] } | { problem: string } {
  if (otherMembers !== "") {
    return { problem: `${problem} but has ${otherMembers}` };
  }
  return listMissingIsEmpty ? { value: [] } : { problem };
}

/**
 * Lists the members of `container` besides `knownKeys` for a message, such as
 * `other members "status": "fail"`, or returns `""` when there are none.
 */
function listOtherMembers(
  container: Record<string, unknown>,
  knownKeys: string[],
  redactor: Redactor,
): string {
  const others = Object.keys(container).filter((key) => !knownKeys.includes(key));
  if (others.length === 0) {
    return "";
  }

  let listed = others
    .slice(0, MAX_LISTED_MEMBERS)
    .map((key) => describeMember(key, container[key], redactor))
    .join(", ");
  if (others.length > MAX_LISTED_MEMBERS) {
    listed += ` and ${others.length - MAX_LISTED_MEMBERS} more`;
  }
  const mayBeList = others.some((key) => isContainer(container[key]));
  const hint = mayBeList ? ", which may be the list under another name" : "";
  return `other members ${listed}${hint}`;
}

/**
 * Formats a member as JSON, such as `"status": "fail"`, with an object or array value shown as
 * `{…}` or `[…]`, and the key and value redacted and cut.
 */
function describeMember(key: string, value: unknown, redactor: Redactor): string {
  const show = (json: string) => redactor.redactAndCut(json, MAX_MEMBER_TEXT_LENGTH);
  let valueText: string;
  if (Array.isArray(value)) {
    valueText = "[…]";
  } else if (isContainer(value)) {
    valueText = "{…}";
  } else {
    valueText = show(JSON.stringify(value));
  }
  return `${show(JSON.stringify(key))}: ${valueText}`;
}

/** True for an object or an array, either of which may hold the token list. */
function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return isContainer(value) && !Array.isArray(value);
}

/**
 * Throws `RequestValidationError` unless `options` is an object whose keys are all call
 * options. Note: an unknown key is rejected and not ignored, because a misspelled `timeout`
 * would silently leave the default timeout in force.
 */
function validateCallOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new RequestValidationError(
      "options must be an object with signal, timeoutMs or maxRetries, " +
        `received ${describeValue(options)}`,
    );
  }
  for (const name of Object.keys(options)) {
    if (!CALL_OPTION_NAMES.includes(name)) {
      throw new RequestValidationError(
        `Unknown call option ${JSON.stringify(name)}; valid call options are ` +
          CALL_OPTION_NAMES.join(", "),
      );
    }
  }
}
