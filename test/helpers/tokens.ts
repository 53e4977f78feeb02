/** Sample tokens, derived from the generated schema types. */
import type { CustomerToken } from "../../src/index.js";

export const API_KEY = "test-key-7d1e0c94b2";

export const TOKEN: CustomerToken = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "1111",
  "avs-zip": "02134",
};

/** A list payload holding `tokens`, as the spec describes it. */
export function tokensPayload(tokens: CustomerToken[]): unknown {
  return { "customer-tokens": { token: tokens }, payloadType: "customer-tokens" };
}
