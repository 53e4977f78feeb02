import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CustomerToken,
  createRecurringPaymentsClient,
  type RecurringPaymentsClient,
} from "../../src/index.js";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../helpers/loopback-server.js";
import { API_KEY } from "../helpers/tokens.js";

const NUM_RUNS = 200;

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });

/** Tokens valid under the `customer-token` schema, with the long digit ids the gateway uses. */
const token: fc.Arbitrary<CustomerToken> = fc.record(
  {
    "customer-key": fc.string({ unit: "binary", minLength: 1, maxLength: 30 }),
    "token-id": digits(1, 30),
    "exp-date": fc
      .tuple(fc.integer({ min: 1, max: 12 }), digits(2, 2))
      .map(([month, year]) => `${String(month).padStart(2, "0")}${year}`),
    "card-type": fc.constantFrom("AMEX", "Discover", "JCB", "MasterCard", "VISA"),
    "last-four-digits": digits(4, 4),
    description: fc.string({ unit: "grapheme", maxLength: 40 }),
    default: fc.boolean(),
    "avs-address": fc.string({ maxLength: 40 }),
    "avs-zip": digits(5, 10),
  },
  { requiredKeys: ["customer-key", "token-id", "exp-date", "card-type", "last-four-digits"] },
);

let server: LoopbackServer;
let client: RecurringPaymentsClient;

beforeAll(async () => {
  // Echoes the received token inside the gateway's envelope, as a stored token list.
  server = await startLoopbackServer((_request, response, { body }) =>
    sendJson(response, 201, {
      code: "201",
      status: "success",
      "exchange-id": "ID-property",
      payload: { "customer-tokens": { token: [JSON.parse(body)] }, payloadType: "customer-tokens" },
    }),
  );
  client = createRecurringPaymentsClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

describe.each(["add", "update"] as const)("token round trip through %s", (operation) => {
  it("returns the token unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(token, async (sent) => {
        const received = await client.customerTokens[operation]("cust-0001", sent);
        expect(received).toEqual([sent]);
        expect(typeof received[0]?.["token-id"]).toBe("string");
      }),
      { numRuns: NUM_RUNS },
    );
    console.log(`token round trip through ${operation}: ${NUM_RUNS} runs`);
  });
});
