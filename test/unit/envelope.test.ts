/**
 * The gateway's envelope on a 2xx: which `status` and `code` values reject, for every `parseAs`
 * that checks envelopes, and how the error message names the envelope's verdict.
 */
import { describe, expect, it } from "vitest";
import { ApiError, InternalServerError, NotFoundError } from "../../src/index.js";
import { createMemoryClient, envelope, errorPayload } from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";
const params = { path: { customerKey: "cust-0001" } };
const PREFIX = "GET /rest/v2/customers/cust-0001/tokens failed because";

type ParseAs = "json" | "text" | "blob" | "arrayBuffer";
const CHECKED: ParseAs[] = ["json", "text", "blob", "arrayBuffer"];

/** Creates a 200 OK with `body` as JSON and the status text that Node's `fetch` reports. */
function ok(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    statusText: "OK",
    headers: { "content-type": "application/json" },
  });
}

/** Calls `client.api.GET` for the tokens with `parseAs` and returns what it threw. */
async function rejection(respond: () => Response, parseAs: ParseAs = "json"): Promise<ApiError> {
  const { client } = createMemoryClient(respond);
  const error = await client.api.GET(TOKENS_PATH, { params, parseAs }).then(
    () => new Error("the call resolved"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("envelope status of another type", () => {
  const statuses: Array<[string, unknown]> = [
    ["false", false],
    ["true", true],
    ["null", null],
    ["0", 0],
    ["an object", { value: "success" }],
    ["a list", ["success"]],
  ];

  for (const parseAs of CHECKED) {
    it.each(statuses)(`rejects status %s as ${parseAs}`, async (_name, status) => {
      const body = { ...(envelope(tokensPayload([TOKEN])) as object), status };
      const error = await rejection(() => ok(body), parseAs);
      expect(error.status).toBe(200);
      expect(error.exchangeId).toBe("ID-clearent-rps-1-test");
      expect(error.message).toContain(`envelope reported status ${JSON.stringify(status)}`);
    });
  }

  it.each(CHECKED)("rejects status false with code 404 as %s", async (parseAs) => {
    const body = { ...(envelope(errorPayload("No customer")) as object), status: false };
    const error = await rejection(() => ok({ ...body, code: 404 }), parseAs);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.errorMessage).toBe("No customer");
  });

  it("rejects status null without a payload", async () => {
    const error = await rejection(() => ok({ code: "200", status: null }));
    expect(error.status).toBe(200);
    expect(error.message).toContain("envelope reported status null and code 200, although");
  });
});

describe("responses that are not failed envelopes", () => {
  it.each([
    ["a bare token list", tokensPayload([TOKEN])],
    ["a bare token list with a status field", { ...(tokensPayload([TOKEN]) as object), status: 0 }],
    [
      "a bare token list with code and status",
      { ...(tokensPayload([TOKEN]) as object), code: 200, status: false },
    ],
    ["an envelope without status", { code: "200", payload: tokensPayload([TOKEN]) }],
    ["an envelope with status Success", envelope(tokensPayload([TOKEN]), "200", "Success")],
  ])("resolves %s", async (_name, body) => {
    const { client } = createMemoryClient(() => ok(body));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([TOKEN]);
  });
});

describe("envelope failure messages", () => {
  it("names status and code 200 of a failed envelope", async () => {
    const body = envelope(tokensPayload([TOKEN]), "200", "fail");
    const error = await rejection(() => ok(body));
    expect(error.message).toBe(
      `${PREFIX} the response envelope reported status "fail" and code 200, although the ` +
        "response was HTTP 200 OK (exchange-id ID-clearent-rps-1-test)",
    );
    expect(error.status).toBe(200);
    expect(error.statusText).toBe("OK");
  });

  it("keeps the class of a failing code", async () => {
    const body = envelope(errorPayload("Try later", "999"), "503", "error");
    const error = await rejection(() => ok(body));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(503);
    expect(error.statusText).toBe("");
    expect(error.message).toBe(
      `${PREFIX} the response envelope reported status "error" and code 503, although the ` +
        "response was HTTP 200 OK: Try later (result code 999, exchange-id ID-clearent-rps-1-test)",
    );
  });

  it("names a code without status", async () => {
    const error = await rejection(() => ok({ code: 404, payload: {} }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      `${PREFIX} the response envelope reported code 404, although the response was HTTP 200 OK`,
    );
  });

  it("names a bare error payload", async () => {
    const error = await rejection(() => ok(errorPayload("Invalid token", "042")));
    expect(error.status).toBe(200);
    expect(error.message).toBe(
      `${PREFIX} the response payload reported an error, although the response was HTTP 200 OK: ` +
        "Invalid token (result code 042)",
    );
  });

  it("adds the attempts before the reason", async () => {
    const { client } = createMemoryClient(() => ok(envelope({}, "503", "fail")), {
      maxRetries: 1,
      sleep: async () => undefined,
    });
    const error = await client.api.GET(TOKENS_PATH, { params }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toMatch(
      /tokens failed after 2 attempts because the response envelope reported status "fail"/,
    );
  });

  it.each(CHECKED)("uses the same message as %s", async (parseAs) => {
    const error = await rejection(() => ok(envelope({}, "200", "declined")), parseAs);
    expect(error.message).toMatch(/envelope reported status "declined" and code 200, although/);
  });

  it("cuts a long status", async () => {
    const error = await rejection(() => ok(envelope({}, "200", "x".repeat(5000))));
    expect(error.message).toContain(`status "${"x".repeat(78)}… and code 200`);
  });

  /** `API_KEY` with every character percent-encoded, as a URL in a status could carry it. */
  const encodedKey = [...API_KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join("");

  it.each([
    ["status", { status: `${"x".repeat(70)}${API_KEY}` }, API_KEY.slice(0, 6), "x[REDACTE… and"],
    ["code", { code: `${"x".repeat(75)}${API_KEY}` }, API_KEY.slice(0, 6), "x[RED…,"],
    [
      "encoded status",
      { status: `${"x".repeat(60)}${encodedKey}` },
      encodedKey.slice(0, 12),
      'x[REDACTED]"',
    ],
  ])("redacts the key in the %s before cutting", async (_name, fields, keyStart, cut) => {
    const body = { ...(envelope({}) as object), status: "fail", ...fields };
    const error = await rejection(() => ok(body));
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(error, keyStart)).toEqual([]);
    expect(error.message).toContain(cut);
  });
});
