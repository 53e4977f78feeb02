import { readFileSync } from "node:fs";

/** Reads a file of `test/xml/fixtures/`. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");
}

export const firstToken = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "0111",
};

export const secondToken = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939382222",
  "exp-date": "1028",
  "card-type": "MasterCard",
  "last-four-digits": "2222",
  default: false,
};

export const LIST_OK = { operation: "listCustomerTokens", status: 200 } as const;
export const ADD_REQUEST = { operation: "addCustomerToken", body: "request" } as const;
