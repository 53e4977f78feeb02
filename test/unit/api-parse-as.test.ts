/**
 * `client.api` with `parseAs` "text", "blob" and "arrayBuffer": the body comes back unparsed, but
 * a 2xx whose envelope reports a failure rejects as it does with "json".
 */
import { describe, expect, it } from "vitest";
import { ApiError, BadRequestError, InternalServerError, NotFoundError } from "../../src/index.js";
import {
  createMemoryClient,
  envelope,
  errorPayload,
  jsonResponse,
} from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
const params = { path: { customerKey: "cust-0001" } };

type ParseAs = "json" | "text" | "blob" | "arrayBuffer";
const UNPARSED: ParseAs[] = ["text", "blob", "arrayBuffer"];

/** Creates a 200 response with body `text` and `contentType`, or no content type for `null`. */
function okResponse(text: string, contentType: string | null): Response {
  const response = new Response(text, { status: 200 });
  response.headers.delete("content-type");
  if (contentType !== null) response.headers.set("content-type", contentType);
  return response;
}

async function bodyText(data: unknown): Promise<string> {
  if (typeof data === "string") return data;
  if (data instanceof Blob) return data.text();
  return new TextDecoder().decode(data as ArrayBuffer);
}

const NOT_FOUND_BODY = JSON.stringify(envelope(errorPayload("No customer", "023"), "404", "fail"));

describe("api parseAs without parsing", () => {
  it.each(["json", ...UNPARSED])("rejects a failed 200 envelope as %s", async (parseAs) => {
    const { client, requests } = createMemoryClient(() =>
      okResponse(NOT_FOUND_BODY, "application/json"),
    );
    const error = await client.api
      .GET(TOKENS_PATH, { params, parseAs: parseAs as ParseAs })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).status).toBe(404);
    expect((error as NotFoundError).errorMessage).toBe("No customer");
    expect((error as NotFoundError).resultCode).toBe("023");
    expect((error as NotFoundError).exchangeId).toBe("ID-clearent-rps-1-test");
    expect((error as NotFoundError).body).toBe(NOT_FOUND_BODY);
    expect(requests).toHaveLength(1);
  });

  it.each(UNPARSED)("rejects a fail status with code 200 as %s", async (parseAs) => {
    const body = JSON.stringify(envelope(tokensPayload([TOKEN]), "200", "fail"));
    const { client } = createMemoryClient(() => okResponse(body, "application/json"));
    const error = await client.api.GET(TOKENS_PATH, { params, parseAs }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(200);
  });

  it.each(UNPARSED)("rejects a bare error payload as %s", async (parseAs) => {
    const body = JSON.stringify(errorPayload("Invalid token", "042"));
    const { client } = createMemoryClient(() => okResponse(body, "application/json"));
    const error = await client.api.GET(TOKENS_PATH, { params, parseAs }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).resultCode).toBe("042");
  });

  it.each([
    ["application/json; charset=utf-8", "application/json; charset=utf-8"],
    ["application/problem+json", "application/problem+json"],
    ["no content type", null],
  ])("checks a body with %s", async (_name, contentType) => {
    const body = JSON.stringify(envelope(errorPayload("Bad expiry", "031"), "400", "fail"));
    const { client } = createMemoryClient(() => okResponse(body, contentType));
    const error = await client.api
      .GET(TOKENS_PATH, { params, parseAs: "text" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).errorMessage).toBe("Bad expiry");
  });

  for (const contentType of ["text/json", "text/json; charset=utf-8", "text/vnd.gateway+json"]) {
    it.each(UNPARSED)(`checks a body with ${contentType} as %s`, async (parseAs) => {
      const { client, requests } = createMemoryClient(() =>
        okResponse(NOT_FOUND_BODY, contentType),
      );
      const error = await client.api.GET(TOKENS_PATH, { params, parseAs }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).errorMessage).toBe("No customer");
      expect(requests).toHaveLength(1);
    });
  }

  it.each(UNPARSED)("returns a success envelope unparsed as %s", async (parseAs) => {
    const body = JSON.stringify(envelope(tokensPayload([TOKEN])));
    const { client } = createMemoryClient(() => okResponse(body, "application/json"));
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs });
    expect(await bodyText(data)).toBe(body);
  });

  it.each(UNPARSED)("returns a non-JSON body of a JSON type as %s", async (parseAs) => {
    const body = "<html>not JSON</html>";
    const { client } = createMemoryClient(() => okResponse(body, "application/json"));
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs });
    expect(await bodyText(data)).toBe(body);
  });

  it("returns a failed envelope sent as text/plain", async () => {
    const { client } = createMemoryClient(() => okResponse(NOT_FOUND_BODY, "text/plain"));
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "text" });
    expect(data).toBe(NOT_FOUND_BODY);
  });

  it("keeps the blob type of the response", async () => {
    const body = JSON.stringify(envelope(tokensPayload([TOKEN])));
    const { client } = createMemoryClient(() => okResponse(body, "application/json"));
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "blob" });
    expect(data?.type).toBe("application/json");
  });

  it("retries a failed 503 envelope as text", async () => {
    const unavailable = JSON.stringify(envelope(errorPayload("Try later", "999"), "503", "fail"));
    const ok = JSON.stringify(envelope(tokensPayload([TOKEN])));
    const bodies = [unavailable, ok];
    const { client, requests } = createMemoryClient(
      () => okResponse(bodies.shift() ?? ok, "application/json"),
      { maxRetries: 1, sleep: async () => undefined },
    );
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "text" });
    expect(data).toBe(ok);
    expect(requests).toHaveLength(2);
  });

  it.each(UNPARSED)("redacts the key in a failed envelope as %s", async (parseAs) => {
    const body = envelope(errorPayload(`invalid api-key ${API_KEY}`), "401", "fail");
    const { client } = createMemoryClient(() => jsonResponse(200, body));
    const error = await client.api.GET(TOKENS_PATH, { params, parseAs }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).errorMessage).toBe("invalid api-key [REDACTED]");
    expect(findSecret(error, API_KEY)).toEqual([]);
  });

  it("rejects a failed 500 envelope as text on POST", async () => {
    const body = JSON.stringify(envelope(errorPayload("Not stored", "999"), "500", "fail"));
    const { client, requests } = createMemoryClient(() => okResponse(body, "application/json"), {
      maxRetries: 2,
      sleep: async () => undefined,
    });
    const error = await client.api
      .POST(TOKENS_PATH, { params, body: TOKEN, parseAs: "text" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(requests).toHaveLength(1);
  });
});
