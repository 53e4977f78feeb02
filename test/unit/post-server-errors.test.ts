/**
 * A proxy can respond to an add with 500, 502, 503 or 504 after the gateway has stored the
 * token. The API has no idempotency key, so those POST errors tell the caller to list the tokens
 * before adding again. Other statuses and other methods keep the plain message.
 */
import { describe, expect, it } from "vitest";
import { type ApiError, formatHttpErrorMessage, InternalServerError } from "../../src/index.js";
import { createMemoryClient, errorPayload, jsonResponse } from "../helpers/memory-fetch.js";
import { TOKEN } from "../helpers/tokens.js";

const ADVICE =
  "; the gateway may have received and applied the request, so list the customer's tokens " +
  "and add the token again only if it is missing";

const TOKENS_PATH = "/rest/v2/customers/cust-0001/tokens";

describe("POST server errors", () => {
  const statuses: Array<[number, string]> = [
    [500, "Internal Server Error"],
    [502, "Bad Gateway"],
    [503, "Service Unavailable"],
    [504, "Gateway Timeout"],
  ];

  it.each(statuses)("advises listing after HTTP %i", async (status, statusText) => {
    const html = `<html><body>${statusText}</body></html>`;
    const { client, requests } = createMemoryClient(
      () => new Response(html, { status, statusText, headers: { "content-type": "text/html" } }),
    );
    const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as ApiError).message).toBe(
      `POST ${TOKENS_PATH} failed with HTTP ${status} ${statusText}${ADVICE}`,
    );
    expect(requests).toHaveLength(1);
  });

  it("puts the advice after the gateway's message", async () => {
    const { client } = createMemoryClient(() =>
      jsonResponse(503, errorPayload("Try later"), { "exchange-id": "ID-5" }),
    );
    const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);
    expect((error as ApiError).message).toBe(
      `POST ${TOKENS_PATH} failed with HTTP 503: Try later (result code 042, exchange-id ID-5)` +
        ADVICE,
    );
  });

  it.each([400, 404, 409, 501, 505])("gives no advice after HTTP %i", async (status) => {
    const { client } = createMemoryClient(() => jsonResponse(status, errorPayload("No")));
    const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(status);
    expect((error as ApiError).message).toBe(
      `POST ${TOKENS_PATH} failed with HTTP ${status}: No (result code 042)`,
    );
  });
});

describe("GET and PUT server errors", () => {
  it("gives no advice on list", async () => {
    const { client } = createMemoryClient(() => new Response("", { status: 504 }));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as ApiError).message).toBe(`GET ${TOKENS_PATH} failed with HTTP 504`);
  });

  it("gives no advice on update", async () => {
    const { client } = createMemoryClient(() => new Response("", { status: 503 }));
    const error = await client.customerTokens.update("cust-0001", TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as ApiError).message).toBe(`PUT ${TOKENS_PATH} failed with HTTP 503`);
  });
});

describe("formatHttpErrorMessage for POST", () => {
  const fields = {
    method: "POST",
    path: TOKENS_PATH,
    statusText: "",
    attempts: 1,
    errorMessage: undefined,
    resultCode: undefined,
  };

  it("adds the advice for 502", () => {
    expect(formatHttpErrorMessage({ ...fields, status: 502 })).toBe(
      `POST ${TOKENS_PATH} failed with HTTP 502${ADVICE}`,
    );
  });
});
