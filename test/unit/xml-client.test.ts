import { describe, expect, it } from "vitest";
import {
  ApiError,
  type CustomerToken,
  createRecurringPaymentsClient,
  InternalServerError,
  NotFoundError,
  type RecurringPaymentsClientOptions,
  RequestValidationError,
  ResponseParseError,
  ResponseValidationError,
} from "../../src/index.js";
import {
  createMemoryFetch,
  envelope,
  errorPayload,
  jsonResponse,
} from "../helpers/memory-fetch.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";
import { firstToken, readFixture, secondToken } from "../xml/fixtures.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

function xmlResponse(status: number, body: string, headers: HeadersInit = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/xml", ...Object.fromEntries(new Headers(headers)) },
  });
}

function xmlClient(respond: () => Response, options: Partial<RecurringPaymentsClientOptions> = {}) {
  const memory = createMemoryFetch(respond);
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch: memory.fetch,
    format: "xml",
    maxRetries: 0,
    ...options,
  });
  return { client, requests: memory.requests };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("the call resolved");
    },
    (error: unknown) => error,
  );
}

const ONE_TOKEN_XML =
  '<payload type="customer-tokens"><customer-tokens><token>' +
  "<customer-key>cust-0001</customer-key><token-id>11000383833939381111</token-id>" +
  "<exp-date>0932</exp-date><card-type>VISA</card-type>" +
  "<last-four-digits>0111</last-four-digits></token></customer-tokens></payload>";

describe("format xml requests", () => {
  it("sends the token as XML", async () => {
    const { client, requests } = xmlClient(() => xmlResponse(200, ONE_TOKEN_XML));
    await client.customerTokens.add("cust-0001", TOKEN);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.headers.get("content-type")).toBe("application/xml");
    expect(request?.headers.get("accept")).toBe("application/xml");
    expect(request?.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><customer-token>' +
        "<customer-key>cust-0001</customer-key><token-id>11000383833939381111</token-id>" +
        "<exp-date>0932</exp-date><card-type>VISA</card-type>" +
        "<last-four-digits>1111</last-four-digits><avs-zip>02134</avs-zip></customer-token>",
    );
  });

  it("asks for XML without a body on a list", async () => {
    const { client, requests } = xmlClient(() => xmlResponse(200, ONE_TOKEN_XML));
    await client.customerTokens.list("cust-0001");
    expect(requests[0]?.headers.get("accept")).toBe("application/xml");
    expect(requests[0]?.headers.get("content-type")).toBeNull();
    expect(requests[0]?.body).toBe("");
  });

  it("rejects a value XML cannot carry unsent", async () => {
    const { client, requests } = xmlClient(() => xmlResponse(200, ONE_TOKEN_XML));
    const token = { ...TOKEN, description: "work\u0001card" };
    const error = await rejection(client.customerTokens.update("cust-0001", token));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).problems).toEqual([
      {
        pointer: "/description",
        rule: "invalid-character",
        message: expect.stringContaining("U+0001"),
      },
    ]);
    expect((error as Error).message).toContain("cannot be written as XML");
    expect(requests).toHaveLength(0);
  });

  it("validates the body before writing XML", async () => {
    const { client, requests } = xmlClient(() => xmlResponse(200, ONE_TOKEN_XML));
    const token = { ...TOKEN, "exp-date": "1399" };
    const error = await rejection(client.customerTokens.add("cust-0001", token));
    expect((error as RequestValidationError).problems.map((problem) => problem.rule)).toEqual([
      "pattern",
    ]);
    expect(requests).toHaveLength(0);
  });

  it("validates the body it sends", async () => {
    const { client, requests } = xmlClient(() => xmlResponse(200, ONE_TOKEN_XML));
    const token = { ...TOKEN };
    const call = client.customerTokens.add("cust-0001", token);
    // Changed while the XML code may still be loading: the change must be validated too.
    token["exp-date"] = "1399";
    const error = await rejection(call);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(requests).toHaveLength(0);
  });

  it("rejects an undeclared operation unsent", async () => {
    const { client, requests } = xmlClient(() => xmlResponse(200, ONE_TOKEN_XML));
    const call = client.api.request(
      "patch" as never,
      TOKENS_PATH as never,
      {
        params: { path: { customerKey: "cust-0001" } },
        body: TOKEN,
      } as never,
    );
    const error = await rejection(call);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toMatch(/PATCH .* cannot be sent as XML/);
    expect(requests).toHaveLength(0);
  });

  it("keeps a content type set on a client.api call", async () => {
    const { client, requests } = xmlClient(() => xmlResponse(200, ONE_TOKEN_XML));
    await client.api.POST(TOKENS_PATH, {
      params: { path: { customerKey: "cust-0001" } },
      body: TOKEN,
      headers: new Headers({ "Content-Type": "text/xml" }),
    });
    expect(requests[0]?.headers.get("content-type")).toBe("text/xml");
  });
});

describe("format xml responses", () => {
  it.each([
    [
      "the spec's form",
      "tokens-payload.xml",
      [{ ...firstToken, default: true, "avs-zip": "02134" }, secondToken],
    ],
    ["the gateway's envelope", "tokens-response-envelope.xml", undefined],
    ["Prism's wrapper", "tokens-prism.xml", undefined],
    ["one token", ONE_TOKEN_XML, [firstToken]],
  ])("reads tokens from %s", async (_name, source, expected) => {
    const body = source.endsWith(".xml") ? readFixture(source) : source;
    const { client } = xmlClient(() => xmlResponse(200, body));
    const tokens = await client.customerTokens.list("cust-0001");
    expect(Array.isArray(tokens)).toBe(true);
    expect(tokens.length).toBeGreaterThan(0);
    if (expected !== undefined) expect(tokens).toEqual(expected);
    for (const token of tokens) {
      expect(typeof token["exp-date"]).toBe("string");
      expect(token["token-id"]).toMatch(/^\d{20}$/);
    }
  });

  it("keeps leading zeros and long ids as strings", async () => {
    const { client } = xmlClient(() =>
      xmlResponse(200, readFixture("tokens-response-envelope.xml")),
    );
    const [token] = await client.customerTokens.list("cust-0001");
    expect(token?.["exp-date"]).toBe("0932");
    expect(token?.["last-four-digits"]).toBe("0111");
    expect(token?.["token-id"]).toBe("11000383833939381111");
  });

  it("reads a JSON response by its content type", async () => {
    const { client } = xmlClient(() => jsonResponse(200, tokensPayload([TOKEN])));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([TOKEN]);
  });

  it.each(["application/json", "text/json"])("reads a %s failed envelope as JSON", async (type) => {
    const body = JSON.stringify(envelope(errorPayload("No customer", "023"), "404", "fail"));
    const params = { path: { customerKey: "cust-0001" } };
    for (const parseAs of ["json", "text"] as const) {
      const { client } = xmlClient(
        () => new Response(body, { status: 200, headers: { "content-type": type } }),
      );
      const error = await rejection(client.api.GET(TOKENS_PATH, { params, parseAs }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).errorMessage).toBe("No customer");
    }
  });

  it("reads a text/json token list as JSON", async () => {
    const body = JSON.stringify(tokensPayload([TOKEN]));
    const { client } = xmlClient(
      () => new Response(body, { status: 200, headers: { "content-type": "text/json" } }),
    );
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([TOKEN]);
  });

  it("resolves an envelope without status by its code", async () => {
    const body = `<response><code>200</code><exchange-id>ID-3</exchange-id>${ONE_TOKEN_XML}</response>`;
    const { client } = xmlClient(() => xmlResponse(200, body));
    const tokens = await client.customerTokens.list("cust-0001");
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.["last-four-digits"]).toBe("0111");
  });

  it("reads an XML 404 error payload", async () => {
    const { client } = xmlClient(() =>
      xmlResponse(404, readFixture("error-response-envelope.xml")),
    );
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(NotFoundError);
    const notFound = error as NotFoundError;
    expect(notFound.status).toBe(404);
    expect(notFound.resultCode).toBe("042");
    expect(notFound.errorMessage).toBe("Customer not found.");
    expect(notFound.timeStamp).toBe("2024-05-14T16:02:11Z");
    expect(notFound.exchangeId).toBe("ID-clearent-rps-1-0002");
    expect(notFound.body).toContain("<response>");
  });

  it("reads an XML 401 without an envelope", async () => {
    const body =
      '<payload type="error"><error><error-message>Invalid API key.</error-message>' +
      "<result-code>001</result-code></error></payload>";
    const { client } = xmlClient(() => xmlResponse(401, body));
    const error = await rejection(client.customerTokens.add("cust-0001", TOKEN));
    expect((error as NotFoundError).status).toBe(401);
    expect((error as NotFoundError).resultCode).toBe("001");
    expect((error as NotFoundError).errorMessage).toBe("Invalid API key.");
  });

  it("maps a failed envelope in a 200", async () => {
    const body =
      "<response><code>500</code><status>fail</status><exchange-id>ID-9</exchange-id>" +
      '<payload type="error"><error><error-message>Gateway error.</error-message>' +
      "<result-code>999</result-code></error></payload></response>";
    const { client } = xmlClient(() => xmlResponse(200, body));
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).resultCode).toBe("999");
    expect((error as InternalServerError).exchangeId).toBe("ID-9");
  });

  it("maps a failed envelope in a 200 read as text", async () => {
    const body =
      "<response><code>500</code><status>fail</status><exchange-id>ID-9</exchange-id>" +
      '<payload type="error"><error><error-message>Gateway error.</error-message>' +
      "<result-code>999</result-code></error></payload></response>";
    const { client } = xmlClient(() => xmlResponse(200, body));
    const params = { path: { customerKey: "cust-0001" } };
    const error = await rejection(client.api.GET(TOKENS_PATH, { params, parseAs: "text" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).resultCode).toBe("999");
    expect((error as InternalServerError).exchangeId).toBe("ID-9");
  });

  it("returns a success envelope read as text unchanged", async () => {
    const body = readFixture("tokens-response-envelope.xml");
    const { client } = xmlClient(() => xmlResponse(200, body));
    const params = { path: { customerKey: "cust-0001" } };
    const { data } = await client.api.GET(TOKENS_PATH, { params, parseAs: "text" });
    expect(data).toBe(body);
  });

  it("keeps the status for an HTML error page", async () => {
    const page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const { client } = xmlClient(() => new Response(page, { status: 502 }));
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(502);
  });

  it.each([
    ["malformed XML", "<payload><customer-tokens></payload>"],
    ["another root", "<html><body>maintenance</body></html>"],
  ])("rejects %s in a 200 with ResponseParseError", async (_name, body) => {
    const { client } = xmlClient(() => xmlResponse(200, body));
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).status).toBe(200);
    expect((error as ResponseParseError).errorMessage).toMatch(
      /^the response body is not valid XML/,
    );
  });

  it("resolves [] for an empty 200", async () => {
    const { client } = xmlClient(() => xmlResponse(200, ""));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([]);
  });

  it.each([
    ["an empty customer-tokens", '<payload type="customer-tokens"><customer-tokens/></payload>'],
    ["a payload without tokens", '<payload type="customer-tokens"> </payload>'],
    [
      "an envelope without payload",
      "<response><code>200</code><status>success</status></response>",
    ],
  ])("resolves [] on a list for %s", async (_name, body) => {
    const { client } = xmlClient(() => xmlResponse(200, body));
    await expect(client.customerTokens.list("cust-0001")).resolves.toEqual([]);
  });

  it("rejects tokens under another element on a list", async () => {
    const body = ONE_TOKEN_XML.replaceAll("<token>", "<card>").replaceAll("</token>", "</card>");
    const { client } = xmlClient(() => xmlResponse(200, body));
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe(
      'customer-tokens has no token list but has other members "card": {…}, which may be the ' +
        "list under another name",
    );
  });

  it.each([
    [
      "a payload",
      '<payload type="customer-tokens"><status>fail</status><code>500</code></payload>',
      '"status": "fail", "code": "500"',
    ],
    [
      "an envelope",
      "<response><code>200</code><status>success</status>" +
        '<payload type="customer-tokens"><result>fail</result></payload></response>',
      '"result": "fail"',
    ],
  ])("rejects other elements in %s without tokens on a list", async (_name, body, members) => {
    const { client } = xmlClient(() => xmlResponse(200, body));
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe(
      `the payload has no customer-tokens list but has other members ${members}`,
    );
  });

  it("rejects an error text in a 200 payload", async () => {
    const body = '<payload type="customer-tokens"><error>declined</error></payload>';
    const { client } = xmlClient(() => xmlResponse(200, body));
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(ResponseParseError);
    expect((error as ApiError).status).toBe(200);
    expect((error as ApiError).message).toContain("the response payload reported an error");
  });

  it.each(["add", "update"] as const)("rejects an empty customer-tokens on %s", async (method) => {
    const body =
      "<response><code>200</code><status>success</status>" +
      '<payload type="customer-tokens"><customer-tokens></customer-tokens></payload></response>';
    const { client } = xmlClient(() => xmlResponse(200, body));
    const error = await rejection(client.customerTokens[method]("cust-0001", TOKEN));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).errorMessage).toBe("customer-tokens has no token list");
  });

  it("validates an XML response by the schema", async () => {
    const drifted = ONE_TOKEN_XML.replace(
      "<card-type>VISA</card-type>",
      "<card-type>visa</card-type>",
    );
    const { client } = xmlClient(() => xmlResponse(200, drifted), { validateResponses: "error" });
    const error = await rejection(client.customerTokens.list("cust-0001"));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).problems.map((problem) => problem.pointer)).toEqual([
      "/customer-tokens/token/0/card-type",
    ]);
  });

  it("accepts elements that the spec lacks", async () => {
    const { client } = xmlClient(
      () => xmlResponse(200, readFixture("tokens-response-envelope.xml")),
      {
        validateResponses: "error",
      },
    );
    const [token] = (await client.customerTokens.list("cust-0001")) as (CustomerToken & {
      "times-used"?: unknown;
    })[];
    expect(token?.status).toBe("Active");
    expect(token?.["times-used"]).toBe("3");
  });
});
