/**
 * 3xx responses: the client sends with redirect "manual" and never follows, so the error must
 * name the redirect, its `Location` (redacted, then cut) and why the client stopped.
 */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/index.js";
import { createMemoryClient } from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
import { API_KEY } from "../helpers/tokens.js";

const PREFIX = "GET /rest/v2/customers/cust-0001/tokens failed";
const NOT_FOLLOWED =
  "which the client does not follow so that the API key never reaches another origin; " +
  "check baseUrl";

/** Creates a redirect response with `headers` and the status text that Node's `fetch` reports. */
function redirect(status: number, statusText: string, headers: HeadersInit = {}): Response {
  return new Response(null, { status, statusText, headers });
}

async function listError(respond: () => Response): Promise<ApiError> {
  const { client, requests } = createMemoryClient(respond, { maxRetries: 2 });
  const error = await client.customerTokens.list("cust-0001").then(
    () => new Error("the call resolved"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(requests).toHaveLength(1);
  expect(requests[0]?.redirect).toBe("manual");
  return error as ApiError;
}

describe("redirect responses", () => {
  it.each([
    [301, "Moved Permanently"],
    [302, "Found"],
    [303, "See Other"],
    [307, "Temporary Redirect"],
    [308, "Permanent Redirect"],
  ])("names the location of a %i", async (status, statusText) => {
    const location = "http://127.0.0.1:9/login?next=%2Ftokens";
    const error = await listError(() => redirect(status, statusText, { location }));
    expect(error.status).toBe(status);
    expect(error.message).toBe(
      `${PREFIX} because HTTP ${status} ${statusText} is a redirect to "${location}", ` +
        NOT_FOLLOWED,
    );
  });

  it("says when the location is missing", async () => {
    const error = await listError(() => redirect(302, ""));
    expect(error.message).toBe(
      `${PREFIX} because HTTP 302 is a redirect without a Location header, ${NOT_FOLLOWED}`,
    );
  });

  it("keeps the plain message of a 304", async () => {
    const error = await listError(() => redirect(304, "Not Modified"));
    expect(error.message).toBe(`${PREFIX} with HTTP 304 Not Modified`);
  });

  it.each([
    ["raw", API_KEY],
    ["percent-encoded", [...API_KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join("")],
  ])("redacts a %s key in the location query", async (_name, spelling) => {
    const location = `http://127.0.0.1:9/rest/v2/customers?api-key=${spelling}&x=1`;
    const error = await listError(() => redirect(302, "Found", { location }));
    expect(findSecret(error, API_KEY)).toEqual([]);
    expect(findSecret(error, spelling)).toEqual([]);
    expect(error.message).toContain(
      'to "http://127.0.0.1:9/rest/v2/customers?api-key=[REDACTED]&x=1"',
    );
  });

  it("redacts the key in a long location before cutting", async () => {
    // In the quoted location, the key starts at index 190, and the cut keeps 199 characters.
    const prefix = "http://127.0.0.1:9/?q=";
    const padding = "x".repeat(189 - prefix.length);
    const location = `${prefix}${padding}${API_KEY}${"y".repeat(5000)}`;
    const error = await listError(() => redirect(302, "Found", { location }));
    expect(findSecret(error, API_KEY.slice(0, 6))).toEqual([]);
    expect(error.message).toContain("x[REDACTED…, which the client");
    expect(error.message.length).toBeLessThan(500);
  });
});
