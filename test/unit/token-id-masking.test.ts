/**
 * Token ids and card numbers must not show whole in any error: every run of 9 or more digits
 * that a string of an error carries is masked to its last four digits, as events mask token ids.
 */
import { describe, expect, it } from "vitest";
import {
  ApiError,
  ConnectionError,
  ERROR_BODY_LIMIT_BYTES,
  maskTokenId,
  RequestValidationError,
  ResponseParseError,
  ResponseValidationError,
} from "../../src/index.js";
import {
  createMemoryClient,
  envelope,
  errorPayload,
  jsonResponse,
} from "../helpers/memory-fetch.js";
import { findSecret } from "../helpers/secrets.js";
import { TOKEN, tokensPayload } from "../helpers/tokens.js";

const TOKEN_ID = "11000383833939381111";
const MASKED_TOKEN_ID = "****************1111";
const CARD_NUMBER = "4111111111111111";
const MASKED_CARD_NUMBER = "************1111";
const DECLINED = `token ${TOKEN_ID} was declined`;

async function addRejection(respond: () => Response | Promise<Response>) {
  const { client, events } = createMemoryClient(respond);
  const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);
  return { error, events };
}

describe("token ids in ApiError", () => {
  it("masks the same way as events", () => {
    expect(maskTokenId(TOKEN_ID)).toBe(MASKED_TOKEN_ID);
  });

  const statuses = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504];
  it.each(statuses)("masks a token id echoed with HTTP %i", async (status) => {
    const { error } = await addRejection(() => jsonResponse(status, errorPayload(DECLINED)));
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(status);
    expect(apiError.errorMessage).toBe(`token ${MASKED_TOKEN_ID} was declined`);
    expect(apiError.message).toContain(`: token ${MASKED_TOKEN_ID} was declined`);
    expect(apiError.body).toContain(MASKED_TOKEN_ID);
    expect(findSecret(error, TOKEN_ID)).toEqual([]);
  });

  it("masks a failure envelope inside HTTP 200", async () => {
    const body = envelope(errorPayload(DECLINED), "400", "fail");
    const { error, events } = await addRejection(() => jsonResponse(200, body));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).errorMessage).toBe(`token ${MASKED_TOKEN_ID} was declined`);
    expect(findSecret(error, TOKEN_ID)).toEqual([]);
    expect(findSecret(events, TOKEN_ID)).toEqual([]);
  });

  it("masks the body of a ResponseParseError", async () => {
    const { client } = createMemoryClient(() => new Response(DECLINED, { status: 200 }));
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).body).toBe(`token ${MASKED_TOKEN_ID} was declined`);
    expect(findSecret(error, TOKEN_ID)).toEqual([]);
  });

  it("masks a token id in a redirect's Location", async () => {
    const location = `http://127.0.0.1:9/rest/v2/tokens/${TOKEN_ID}`;
    const { error } = await addRejection(
      () => new Response(null, { status: 302, headers: { location } }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain(
      `to "http://127.0.0.1:9/rest/v2/tokens/${MASKED_TOKEN_ID}"`,
    );
    expect(findSecret(error, TOKEN_ID)).toEqual([]);
  });

  it("masks a run before the body is cut", async () => {
    // The run starts 10 characters before the cut, so masking after the cut would show its
    // 7th to 10th digits.
    const text = `${"x".repeat(ERROR_BODY_LIMIT_BYTES - 10)}${TOKEN_ID} and more`;
    const { error } = await addRejection(() => new Response(text, { status: 400 }));
    const apiError = error as ApiError;
    expect(apiError.bodyTruncated).toBe(true);
    expect(apiError.body).toHaveLength(ERROR_BODY_LIMIT_BYTES);
    expect(apiError.body.endsWith(`x${"*".repeat(10)}`)).toBe(true);
  });

  it("drops digits cut off by the read limit", async () => {
    // Two-byte characters fill the read limit with half as many characters, so the text is not
    // cut again, and the read stops inside the run of digits.
    const text = `${"é".repeat(ERROR_BODY_LIMIT_BYTES / 2)}${"7".repeat(5000)}`;
    const { error } = await addRejection(() => new Response(text, { status: 400 }));
    const apiError = error as ApiError;
    expect(apiError.bodyTruncated).toBe(true);
    expect(apiError.body).toBe("é".repeat(ERROR_BODY_LIMIT_BYTES / 2));
  });

  it("keeps exchange ids, statuses and short numbers", async () => {
    const exchangeId = "ID-clearent-rps-1-1717171717171-0-42";
    const payload = errorPayload("limit is 12345678 per day", "042");
    const { error, events } = await addRejection(() =>
      jsonResponse(400, payload, { "exchange-id": exchangeId }),
    );
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.exchangeId).toBe(exchangeId);
    expect(apiError.resultCode).toBe("042");
    expect(apiError.errorMessage).toBe("limit is 12345678 per day");
    expect(apiError.message).toBe(
      "POST /rest/v2/customers/cust-0001/tokens failed with HTTP 400: " +
        `limit is 12345678 per day (result code 042, exchange-id ${exchangeId})`,
    );
    const failure = events.find((event) => event.type === "failure");
    expect(failure?.exchangeId).toBe(exchangeId);
  });

  it("keeps an error envelope's exchange id whole", async () => {
    const exchangeId = "ID-clearent-rps-1-1717171717171-0-7";
    const body = {
      ...(envelope(errorPayload(DECLINED), "404", "fail") as object),
      "exchange-id": exchangeId,
    };
    const { error } = await addRejection(() => jsonResponse(404, body));
    const apiError = error as ApiError;
    expect(apiError.exchangeId).toBe(exchangeId);
    expect(apiError.message).toContain(`exchange-id ${exchangeId})`);
    expect(apiError.body).toContain('"exchange-id":"ID-clearent-rps-1-*********7171-0-7"');
  });

  it("masks a timestamp in milliseconds", async () => {
    const payload = { error: { "error-message": "declined", "time-stamp": "1717171717171" } };
    const { error } = await addRejection(() => jsonResponse(400, payload));
    const apiError = error as ApiError;
    expect(apiError.timeStamp).toBe("*********7171");
    expect(apiError.body).toContain('"time-stamp":"*********7171"');
  });
});

describe("customer keys of digits in errors", () => {
  it("masks the path but sends the key", async () => {
    const { client, requests } = createMemoryClient(() =>
      jsonResponse(404, errorPayload("Customer not found")),
    );
    const error = await client.customerTokens.list(CARD_NUMBER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).path).toBe(`/rest/v2/customers/${MASKED_CARD_NUMBER}/tokens`);
    expect((error as ApiError).message).toMatch(
      /^GET \/rest\/v2\/customers\/\*{12}1111\/tokens failed with HTTP 404/,
    );
    expect(findSecret(error, CARD_NUMBER)).toEqual([]);
    expect(requests[0]?.url).toBe(`http://127.0.0.1:9/rest/v2/customers/${CARD_NUMBER}/tokens`);
  });

  it("masks a connection error and its cause", async () => {
    const { client } = createMemoryClient(() => {
      const cause = new Error(`socket closed while sending ${CARD_NUMBER}`);
      throw new TypeError("fetch failed", { cause });
    });
    const error = await client.customerTokens.list(CARD_NUMBER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).path).toBe(`/rest/v2/customers/${MASKED_CARD_NUMBER}/tokens`);
    const cause = (error as ConnectionError).cause as Error;
    expect((cause.cause as Error).message).toBe(
      `socket closed while sending ${MASKED_CARD_NUMBER}`,
    );
    expect(findSecret(error, CARD_NUMBER)).toEqual([]);
  });

  it("masks a key passed as a number", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, {}));
    const key = Number(CARD_NUMBER) as unknown as string;
    const error = await client.customerTokens.list(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain(`received number ${MASKED_CARD_NUMBER}`);
    expect(findSecret(error, CARD_NUMBER)).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("masks the path of a ResponseValidationError", async () => {
    const payload = tokensPayload([{ ...TOKEN, "exp-date": "13/99" }]);
    const exchangeId = "ID-1717171717171";
    const { client } = createMemoryClient(
      () => jsonResponse(200, { ...(envelope(payload) as object), "exchange-id": exchangeId }),
      { validateResponses: "error" },
    );
    const error = await client.customerTokens.list(CARD_NUMBER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    const validationError = error as ResponseValidationError;
    expect(validationError.path).toBe(`/rest/v2/customers/${MASKED_CARD_NUMBER}/tokens`);
    expect(validationError.exchangeId).toBe(exchangeId);
    expect(validationError.message).toContain(`(exchange-id ${exchangeId})`);
    expect(findSecret(error, CARD_NUMBER)).toEqual([]);
  });
});

describe("token ids in request validation", () => {
  it("masks a property named by a token id", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, {}));
    const token = { ...TOKEN, [TOKEN_ID]: "x" };
    const error = await client.customerTokens.add("cust-0001", token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    const validationError = error as RequestValidationError;
    expect(validationError.message).toContain(
      `/${MASKED_TOKEN_ID} (additionalProperties): property "${MASKED_TOKEN_ID}" is not in ` +
        "the schema",
    );
    expect(validationError.problems).toEqual([
      {
        pointer: `/${MASKED_TOKEN_ID}`,
        rule: "additionalProperties",
        message: `property "${MASKED_TOKEN_ID}" is not in the schema; check its spelling`,
      },
    ]);
    expect(findSecret(error, TOKEN_ID)).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("masks a long property name before cutting it", async () => {
    // 46 digits: masking after the cut to 40 characters would show the 37th to 40th digits.
    const name = `${"9".repeat(30)}1234567890123456`;
    const { client } = createMemoryClient(() => jsonResponse(200, {}));
    const error = await client.customerTokens
      .add("cust-0001", { ...TOKEN, [name]: "x" })
      .catch((e: unknown) => e);
    const problem = (error as RequestValidationError).problems[0];
    expect(problem?.message).toBe(
      `property "${"*".repeat(40)}…" is not in the schema; check its spelling`,
    );
    expect(problem?.pointer).toBe(`/${"*".repeat(42)}3456`);
  });

  it("keeps the timeout limit in an option error", async () => {
    const { client } = createMemoryClient(() => jsonResponse(200, {}));
    const error = await client.customerTokens
      .list("cust-0001", { timeoutMs: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain("from 1 to 2147483647");
  });

  it("masks an XML element name and its cause", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, {}), {
      format: "xml",
      validateRequests: false,
    });
    const token = { ...TOKEN, [TOKEN_ID]: "x" };
    const error = await client.customerTokens.add("cust-0001", token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    const validationError = error as RequestValidationError;
    expect(validationError.message).toContain(`Value at /${MASKED_TOKEN_ID} has a name`);
    expect(validationError.problems[0]?.pointer).toBe(`/${MASKED_TOKEN_ID}`);
    expect((validationError.cause as Error).message).toContain(`/${MASKED_TOKEN_ID}`);
    expect(findSecret(error, TOKEN_ID)).toEqual([]);
    expect(requests).toEqual([]);
  });
});
