import type { components } from "../generated/schema.js";

export type CustomerToken = components["schemas"]["customer-token"];
export type TokensPayload = components["schemas"]["ClearentCustomerTokensResponsePayload"];

export const API_KEY = "bench-api-key-0123456789abcdef";
export const CUSTOMER_KEY = "CUST-000042";

/** Base URL for the in-memory transport. No request reaches it: the injected `fetch` responds. */
export const MEMORY_BASE_URL = "http://127.0.0.1";

export const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

/** Returns the tokens path with the customer key filled in and percent-encoded. */
export function tokensPathFor(customerKey: string): string {
  return `/rest/v2/customers/${encodeURIComponent(customerKey)}/tokens`;
}

/** Request body for the add and update operations. */
export const TOKEN: CustomerToken = {
  "customer-key": CUSTOMER_KEY,
  "token-id": "1188102018140212",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "1111",
  description: "Corporate card",
  default: true,
  "avs-address": "1 Main Street",
  "avs-zip": "85284",
};

/** Response payload shaped like the vendor's: two tokens for one customer. */
export const TOKENS_PAYLOAD: TokensPayload = {
  "customer-tokens": {
    token: [
      TOKEN,
      {
        "customer-key": CUSTOMER_KEY,
        "token-id": "1188102018145522",
        "exp-date": "0427",
        "card-type": "MasterCard",
        "last-four-digits": "4444",
        description: "Backup card",
        default: false,
      },
    ],
  },
  payloadType: "customer-tokens",
};

export const TOKENS_BODY = JSON.stringify(TOKENS_PAYLOAD);

/** Byte length of the response body, sent as `Content-Length`. */
export const TOKENS_BODY_BYTES = Buffer.byteLength(TOKENS_BODY);

export const TOKEN_COUNT = TOKENS_PAYLOAD["customer-tokens"]?.token?.length ?? 0;

/** An in-memory `fetch` and the number of requests it has returned a response for. */
export interface MemoryFetch {
  fetch: typeof globalThis.fetch;
  requestCount(): number;
}

/**
 * Creates a `fetch` that returns the tokens payload for every request, without a network.
 *
 * It starts the way Node's built-in `fetch` (undici) does, by constructing `new Request(input,
 * init)` even when `input` is already a `Request`, and then reads the request body in full. So
 * every contender pays what the real `fetch` would charge it for its arguments, such as an
 * `init.signal` that the new request must follow, and only the network is left out.
 */
export function createMemoryFetch(): MemoryFetch {
  let count = 0;
  const responseInit: ResponseInit = {
    status: 200,
    statusText: "OK",
    headers: {
      "content-type": "application/json",
      "content-length": String(TOKENS_BODY_BYTES),
    },
  };

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.body !== null) {
      await request.arrayBuffer();
    }
    count += 1;
    return new Response(TOKENS_BODY, responseInit);
  };

  return { fetch: fetch as typeof globalThis.fetch, requestCount: () => count };
}
