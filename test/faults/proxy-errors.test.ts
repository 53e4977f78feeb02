/**
 * A loopback server plays a proxy in front of the gateway: it stores the added token, then
 * responds with a 5xx page that echoes the token id. The client must send the add once, say that
 * the add may have been applied, and show the token id only masked.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  type ClientEvent,
  createRecurringPaymentsClient,
  InternalServerError,
  NotFoundError,
} from "../../src/index.js";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../helpers/loopback-server.js";
import { countLeaks, findSecret } from "../helpers/secrets.js";
import { API_KEY, TOKEN } from "../helpers/tokens.js";

const TOKEN_ID = TOKEN["token-id"] as string;
const MASKED_TOKEN_ID = "****************1111";

let server: LoopbackServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function createClient(baseUrl: string, events: ClientEvent[]) {
  return createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl,
    onEvent: (event) => events.push(event),
    sleep: async () => undefined,
  });
}

describe("proxy 5xx after an applied add", () => {
  it.each([500, 502, 503, 504])("sends once and advises listing on %i", async (status) => {
    const stored: string[] = [];
    server = await startLoopbackServer((_request, response, { body }) => {
      stored.push(body);
      response.writeHead(status, { "content-type": "text/html" });
      response.end(`<html><body>upstream failed for token ${TOKEN_ID}</body></html>`);
    });
    const events: ClientEvent[] = [];
    const client = createClient(server.url, events);

    const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InternalServerError);
    const serverError = error as InternalServerError;
    expect(serverError.status).toBe(status);
    expect(serverError.message).toMatch(
      new RegExp(`^POST /rest/v2/customers/cust-0001/tokens failed with HTTP ${status} `),
    );
    expect(serverError.message).toMatch(
      /; the gateway may have received and applied the request, so list the customer's tokens and add the token again only if it is missing$/,
    );
    expect(serverError.body).toBe(
      `<html><body>upstream failed for token ${MASKED_TOKEN_ID}</body></html>`,
    );
    expect(findSecret(error, TOKEN_ID)).toEqual([]);
    expect(countLeaks(events, TOKEN_ID)).toBe(0);
    expect(countLeaks([error, ...events], API_KEY)).toBe(0);
    expect(server.requests.map((request) => request.method)).toEqual(["POST"]);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toContain(`"token-id":"${TOKEN_ID}"`);
  });
});

describe("gateway errors that echo a token id", () => {
  it("masks a 404 for a customer key of digits", async () => {
    const customerKey = "4111111111111111";
    server = await startLoopbackServer((_request, response) => {
      sendJson(response, 404, {
        code: "404",
        status: "fail",
        "exchange-id": "ID-clearent-rps-1-1717171717171-0-7",
        payload: {
          error: { "error-message": `Customer ${customerKey} not found`, "result-code": "042" },
          payloadType: "error",
        },
      });
    });
    const events: ClientEvent[] = [];
    const client = createClient(server.url, events);

    const error = await client.customerTokens.list(customerKey).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotFoundError);
    const notFound = error as NotFoundError;
    expect(notFound.message).toBe(
      "GET /rest/v2/customers/************1111/tokens failed with HTTP 404 Not Found: " +
        "Customer ************1111 not found " +
        "(result code 042, exchange-id ID-clearent-rps-1-1717171717171-0-7)",
    );
    expect(notFound.exchangeId).toBe("ID-clearent-rps-1-1717171717171-0-7");
    expect(findSecret(error, customerKey)).toEqual([]);
    expect(server.requests[0]?.url).toBe(`/rest/v2/customers/${customerKey}/tokens`);
  });
});
