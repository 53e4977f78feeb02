import type { Client } from "openapi-fetch";
import { describe, expect, expectTypeOf, it } from "vitest";
import { NotFoundError, type paths, RequestValidationError } from "../../src/index.js";
import {
  createMemoryClient,
  envelope,
  errorPayload,
  jsonResponse,
} from "../helpers/memory-fetch.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
const params = { path: { customerKey: "cust-0001" } };

describe("api", () => {
  it("is typed as the openapi-fetch client", () => {
    const { client } = createMemoryClient(() => jsonResponse(200, {}));
    expectTypeOf(client.api).toEqualTypeOf<Client<paths>>();
  });

  it.each([
    ["GET", (c: Client<paths>) => c.GET(TOKENS_PATH, { params })],
    ["POST", (c: Client<paths>) => c.POST(TOKENS_PATH, { params, body: TOKEN })],
    ["PUT", (c: Client<paths>) => c.PUT(TOKENS_PATH, { params, body: TOKEN })],
  ])("unwraps the envelope on %s", async (method, send) => {
    const payload = tokensPayload([TOKEN]);
    const { client, requests } = createMemoryClient(() => jsonResponse(200, envelope(payload)));
    const { data, response } = await send(client.api);
    expect(data).toEqual(payload);
    expect(response.status).toBe(200);
    expect(requests[0]?.method).toBe(method);
    expect(requests[0]?.headers.get("api-key")).toBe(API_KEY);
  });

  it("returns a bare payload unchanged", async () => {
    const payload = tokensPayload([TOKEN]);
    const { client } = createMemoryClient(() => jsonResponse(200, payload));
    const { data } = await client.api.GET(TOKENS_PATH, { params });
    expect(data).toEqual(payload);
  });

  it("honours parseAs text", async () => {
    const { client } = createMemoryClient(() => new Response("plain", { status: 200 }));
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "text" });
    expect(data).toBe("plain");
  });

  it("rejects a 404 with NotFoundError", async () => {
    const { client } = createMemoryClient(() =>
      jsonResponse(404, envelope(errorPayload("No customer"), "404", "fail")),
    );
    const error = await client.api.GET(TOKENS_PATH, { params }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).errorMessage).toBe("No customer");
  });

  it("overrides an api-key header of the call", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    await client.api.GET(TOKENS_PATH, { params, headers: { "api-key": "other" } });
    expect(requests[0]?.headers.get("api-key")).toBe(API_KEY);
  });

  it("keeps redirect manual when a call asks to follow", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    await client.api.GET(TOKENS_PATH, { params, redirect: "follow" });
    expect(requests[0]?.redirect).toBe("manual");
  });

  const onlyOrigin = /sends its API key only to http:\/\/127\.0\.0\.1:9/;
  it.each([
    ["another host", "http://127.0.0.2:9", onlyOrigin],
    ["another port", "http://127.0.0.1:10", onlyOrigin],
    ["another scheme", "https://127.0.0.1:9", onlyOrigin],
    ["userinfo lookalike", "http://127.0.0.1:9@127.0.0.2", /could not be sent.*credentials/],
  ])("rejects a per-call baseUrl on %s before sending", async (_name, baseUrl, message) => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const error = await client.api.GET(TOKENS_PATH, { params, baseUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toMatch(message);
    expect(requests).toHaveLength(0);
  });

  it("accepts a per-call baseUrl on the same origin", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    await client.api.GET(TOKENS_PATH, { params, baseUrl: "http://127.0.0.1:9/prefix" });
    expect(requests[0]?.url).toBe("http://127.0.0.1:9/prefix/rest/v2/customers/cust-0001/tokens");
  });

  it("wraps a request that cannot be built", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, {}));
    const error = await client.api
      .GET(TOKENS_PATH, { params, baseUrl: "not a url" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(requests).toHaveLength(0);
  });

  it("reads a response supplied by a middleware", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, {}));
    const middleware = {
      onRequest: () => jsonResponse(200, envelope(tokensPayload([TOKEN]))),
    };
    client.api.use(middleware);
    const { data } = await client.api.GET(TOKENS_PATH, { params });
    client.api.eject(middleware);
    expect(data).toEqual(tokensPayload([TOKEN]));
    expect(requests).toHaveLength(0);
  });

  it("hides the api-key from request middlewares", async () => {
    const { client } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const seen: Array<string | null> = [];
    client.api.use({ onRequest: ({ request }) => void seen.push(request.headers.get("api-key")) });
    await client.api.GET(TOKENS_PATH, { params });
    expect(seen).toEqual([null]);
  });
});

describe("api path parameters", () => {
  type Call = (api: Client<paths>, path: unknown) => Promise<unknown>;
  const untyped = (path: unknown) => ({ params: { path } }) as unknown as { params: typeof params };
  const get: Call = (api, path) => api.GET(TOKENS_PATH, untyped(path));
  const post: Call = (api, path) => api.POST(TOKENS_PATH, { ...untyped(path), body: TOKEN });
  const put: Call = (api, path) => api.PUT(TOKENS_PATH, { ...untyped(path), body: TOKEN });
  const request: Call = (api, path) => api.request("get", TOKENS_PATH, untyped(path));

  it.each([
    ["two dots", { customerKey: ".." }, /customerKey "\.\." is invalid because it would change/],
    ["a dot", { customerKey: "." }, /customerKey "\." is invalid because it would change/],
    ["an empty key", { customerKey: "" }, /customerKey must not be empty/],
    ["an array", { customerKey: ["x", "y"] }, /customerKey must be a string, received an array/],
    ["an object", { customerKey: { a: 1 } }, /customerKey must be a string, received an object/],
    ["a number", { customerKey: 42 }, /customerKey must be a string, received number 42/],
    ["null", { customerKey: null }, /customerKey must be a string, received null/],
    ["a lone surrogate", { customerKey: "c\ud800" }, /customerKey .* unpaired UTF-16 surrogate/],
    ["a missing key", {}, /customerKey must be a string, received undefined/],
    ["no path object", undefined, /customerKey must be a string, received undefined/],
    ["a path string", "c-1", /params\.path must be an object/],
    ["an extra array", { customerKey: "c", other: ["x"] }, /other must be a string/],
  ])("rejects %s before sending", async (_name, path, message) => {
    for (const call of [get, post, put, request]) {
      const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
      const error = await call(client.api, path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as Error).message).toMatch(message);
      expect(requests).toHaveLength(0);
    }
  });

  it("rejects a call without init", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const api = client.api as unknown as { GET: (path: string) => Promise<unknown> };
    const error = await api.GET(TOKENS_PATH).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toMatch(/customerKey must be a string, received undefined/);
    expect(requests).toHaveLength(0);
  });

  it("rejects a placeholder of an unknown path", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, {}));
    const api = client.api as unknown as { GET: (path: string, init: unknown) => Promise<unknown> };
    const error = await api.GET("/rest/v2/{resource}", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toMatch(/resource must be a string, received undefined/);
    expect(requests).toHaveLength(0);
  });

  const DOT_SEGMENT = 'its "." or ".." segment would change the route';
  const ENCODED_SEPARATOR = 'a server may decode its %2F or %5C into a "/" or "\\" separator';
  it.each([
    ["two dot segments", "/rest/v2/customers/{customerKey}/../../../admin", DOT_SEGMENT],
    ["a dot segment", "/rest/v2/./customers/{customerKey}/tokens", DOT_SEGMENT],
    ["a trailing dot segment", "/rest/v2/customers/{customerKey}/tokens/.", DOT_SEGMENT],
    ["%2e%2e", "/rest/v2/customers/%2e%2e/admin", DOT_SEGMENT],
    ["mixed .%2E", "/rest/v2/customers/.%2E/admin", DOT_SEGMENT],
    ["%2e alone", "/rest/v2/%2E/customers/{customerKey}/tokens", DOT_SEGMENT],
    ["backslashes", "/rest/v2/customers\\..\\admin", DOT_SEGMENT],
    ["a tab between dots", "/rest/v2/customers/.\t./admin", DOT_SEGMENT],
    ["dots before a query", "/rest/v2/customers/..?x=1", DOT_SEGMENT],
    ["dots before a fragment", "/rest/v2/customers/..#x", DOT_SEGMENT],
    ["..%2f", "/rest/v2/customers/{customerKey}/tokens/..%2f", ENCODED_SEPARATOR],
    ["..%2F", "/rest/v2/customers/{customerKey}/tokens/..%2F", ENCODED_SEPARATOR],
    ["..%5c", "/rest/v2/customers/{customerKey}/tokens/..%5c", ENCODED_SEPARATOR],
    ["%5C..", "/rest/v2/customers/{customerKey}/%5C../admin", ENCODED_SEPARATOR],
    ["%2F inside a segment", "/rest/v2/customers/a%2Fb/tokens", ENCODED_SEPARATOR],
    ["a tab inside %2F", "/rest/v2/customers/{customerKey}/..%2\tF", ENCODED_SEPARATOR],
  ])("rejects a path with %s before sending", async (_name, path, reason) => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const api = client.api as unknown as { GET: (path: string, init: unknown) => Promise<unknown> };
    const error = await api.GET(path, { params }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toBe(
      `path ${JSON.stringify(path)} is invalid because ${reason}; pass a path template of the ` +
        "spec and the values in params.path",
    );
    expect(requests).toHaveLength(0);
  });

  it("sends a key with %2F as an encoded value", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    await client.api.GET(TOKENS_PATH, { params: { path: { customerKey: "..%2F" } } });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe("http://127.0.0.1:9/rest/v2/customers/..%252F/tokens");
  });

  it.each([
    ["dots inside a segment", "/rest/v2/customers/{customerKey}/v1..2", "/v1..2"],
    ["three dots", "/rest/v2/customers/{customerKey}/...", "/..."],
    ["dots in the query", "/rest/v2/customers/{customerKey}/tokens?step=..", "/tokens?step=.."],
    ["%2F in the query", "/rest/v2/customers/{customerKey}/tokens?next=%2F", "/tokens?next=%2F"],
  ])("sends a path with %s", async (_name, path, ending) => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const api = client.api as unknown as { GET: (path: string, init: unknown) => Promise<unknown> };
    await api.GET(path, { params });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe(`http://127.0.0.1:9/rest/v2/customers/cust-0001${ending}`);
  });

  it("encodes a key with a slash as one segment", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    await client.api.GET(TOKENS_PATH, { params: { path: { customerKey: "a/../b" } } });
    expect(requests[0]?.url).toBe("http://127.0.0.1:9/rest/v2/customers/a%2F..%2Fb/tokens");
  });
});
