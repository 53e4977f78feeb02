import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRecurringPaymentsClient,
  type RecurringPaymentsClient,
  RequestValidationError,
} from "../../src/index.js";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../helpers/loopback-server.js";
import { API_KEY, tokensPayload } from "../helpers/tokens.js";

const NUM_RUNS = 500;
const SEGMENT_URL = /^\/rest\/v2\/customers\/([^/?#]*)\/tokens$/;

/** Characters that change a URL's structure, plus controls and a lone surrogate. */
const trickyCharacter = fc.constantFrom(
  "/",
  ".",
  "%",
  "?",
  "#",
  "\\",
  ";",
  "&",
  "=",
  "+",
  " ",
  "\u0000",
  "\n",
  "\t",
  "\u007f",
  "%2e",
  "%2F",
  "..",
  "é",
  "\u{1F600}",
  "\ud800",
  "\udfff",
  "\u202e",
);

const customerKey = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.array(trickyCharacter, { maxLength: 8 }).map((parts) => parts.join("")),
  fc.constantFrom("", ".", "..", "./", "../x", "%2e%2e", "a/../b"),
);

let server: LoopbackServer;
let client: RecurringPaymentsClient;

beforeAll(async () => {
  server = await startLoopbackServer((_request, response) =>
    sendJson(response, 200, tokensPayload([])),
  );
  client = createRecurringPaymentsClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

describe("customerKey property", () => {
  it("reaches the server as one segment or is rejected", async () => {
    let sent = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(customerKey, async (key) => {
        const before = server.requests.length;
        const outcome = await client.customerTokens.list(key).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (outcome !== undefined) {
          expect(outcome).toBeInstanceOf(RequestValidationError);
          expect(server.requests).toHaveLength(before);
          rejected += 1;
          return;
        }
        expect(server.requests).toHaveLength(before + 1);
        const match = SEGMENT_URL.exec(server.requests[before]?.url ?? "");
        expect(match).not.toBeNull();
        expect(decodeURIComponent(match?.[1] ?? "")).toBe(key);
        sent += 1;
      }),
      { numRuns: NUM_RUNS },
    );
    console.log(`customerKey property: ${NUM_RUNS} runs, ${sent} sent, ${rejected} rejected`);
    expect(sent).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
