import { describe, expect, it } from "vitest";
import {
  type ClientEvent,
  type CustomerToken,
  RequestValidationError,
  ResponseParseError,
  ResponseValidationError,
  type ValidationEvent,
} from "../../src/index.js";
import { createMemoryClient, envelope, jsonResponse } from "../helpers/memory-fetch.js";
import { TOKEN, tokensPayload } from "../helpers/tokens.js";

const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

function withField(name: string, value: unknown): CustomerToken {
  return { ...TOKEN, [name]: value } as CustomerToken;
}

function withoutField(name: string): CustomerToken {
  const { [name as keyof CustomerToken]: _removed, ...rest } = TOKEN;
  return rest as CustomerToken;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("the call resolved");
    },
    (error: unknown) => error,
  );
}

/** The four inputs that must be rejected before any request is sent. */
const smallInputs = [
  { name: "exp-date 1399", token: withField("exp-date", "1399"), pointer: "/exp-date" },
  { name: "card-type visa", token: withField("card-type", "visa"), pointer: "/card-type" },
  {
    name: "last-four-digits 12a4",
    token: withField("last-four-digits", "12a4"),
    pointer: "/last-four-digits",
  },
  { name: "missing token-id", token: withoutField("token-id"), pointer: "/token-id" },
];

const ruleByPointer: Record<string, string> = {
  "/exp-date": "pattern",
  "/card-type": "enum",
  "/last-four-digits": "pattern",
  "/token-id": "required",
};

describe("request validation", () => {
  for (const { name, token, pointer } of smallInputs) {
    it(`rejects an add with ${name} unsent`, async () => {
      // Retries are allowed, so a zero request count proves the check runs before sending.
      const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])), {
        maxRetries: 2,
      });
      const error = await rejection(client.customerTokens.add("cust-0001", token));
      expect(error).toBeInstanceOf(RequestValidationError);
      const problems = (error as RequestValidationError).problems;
      expect(problems.map((problem) => problem.pointer)).toEqual([pointer]);
      expect(problems.map((problem) => problem.rule)).toEqual([ruleByPointer[pointer]]);
      expect((error as Error).message).toContain(pointer);
      expect(requests).toHaveLength(0);
    });
  }

  it("lists every type error with its pointer", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const token = {
      ...TOKEN,
      "token-id": 11000383833939381111n,
      "last-four-digits": 1111,
      default: "yes",
      description: ["work"],
    } as unknown as CustomerToken;
    const error = await rejection(client.customerTokens.update("cust-0001", token));
    expect(error).toBeInstanceOf(RequestValidationError);
    const problems = (error as RequestValidationError).problems;
    expect(problems.map((problem) => `${problem.pointer} ${problem.rule}`).sort()).toEqual([
      "/default type",
      "/description type",
      "/last-four-digits type",
      "/token-id type",
    ]);
    expect(requests).toHaveLength(0);
  });

  it("never shows a whole token id", async () => {
    const { client } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const token = withField("token-id", 11000383833939381111n);
    const error = await rejection(client.customerTokens.add("cust-0001", token));
    expect(JSON.stringify((error as RequestValidationError).problems)).not.toContain(
      "110003838339393",
    );
    expect((error as Error).message).toContain("…1111");
    expect((error as Error).message).not.toContain("110003838339393");
  });

  it("rejects a misspelled field", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const token = { ...TOKEN, avs_zip: "02134" } as CustomerToken;
    const error = await rejection(client.customerTokens.add("cust-0001", token));
    const problems = (error as RequestValidationError).problems;
    expect(problems.map((problem) => `${problem.pointer} ${problem.rule}`)).toEqual([
      "/avs_zip additionalProperties",
    ]);
    expect(requests).toHaveLength(0);
  });

  it("applies to client.api calls", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const call = client.api.POST(TOKENS_PATH, {
      params: { path: { customerKey: "cust-0001" } },
      body: withField("exp-date", "1399"),
    });
    const error = await rejection(call);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).problems.map((problem) => problem.pointer)).toEqual([
      "/exp-date",
    ]);
    expect(requests).toHaveLength(0);
  });

  it("rejects a client.api call without its required body", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])));
    const call = client.api.PUT(TOKENS_PATH, {
      params: { path: { customerKey: "cust-0001" } },
    } as never);
    const error = await rejection(call);
    expect((error as RequestValidationError).problems).toEqual([
      { pointer: "", rule: "type", message: "must be of type object, got undefined" },
    ]);
    expect(requests).toHaveLength(0);
  });

  it("sends an invalid body with validateRequests false", async () => {
    const { client, requests } = createMemoryClient(
      () => jsonResponse(200, tokensPayload([TOKEN])),
      {
        validateRequests: false,
      },
    );
    await client.customerTokens.add("cust-0001", withField("exp-date", "1399"));
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]?.body ?? "")["exp-date"]).toBe("1399");
  });

  it("still checks the customer key with validateRequests false", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, tokensPayload([])), {
      validateRequests: false,
    });
    await expect(client.customerTokens.add("..", TOKEN)).rejects.toThrow(RequestValidationError);
    expect(requests).toHaveLength(0);
  });
});

/** Builds a list payload whose second token has drifted from the schema. */
function driftedPayload(): unknown {
  const drifted = { ...TOKEN, "card-type": "Diners", "last-four-digits": "44x4" };
  return envelope(tokensPayload([TOKEN, drifted as CustomerToken]));
}

describe("response validation", () => {
  it("is off by default", async () => {
    const events: ClientEvent[] = [];
    const { client } = createMemoryClient(() => jsonResponse(200, driftedPayload()), {
      onEvent: (event) => events.push(event),
    });
    const tokens = await client.customerTokens.list("cust-0001");
    expect(tokens).toHaveLength(2);
    expect(events.filter((event) => event.type === "validation")).toEqual([]);
  });

  it("reports drift as an event in warn mode", async () => {
    const events: ClientEvent[] = [];
    const { client } = createMemoryClient(() => jsonResponse(200, driftedPayload()), {
      validateResponses: "warn",
      onEvent: (event) => events.push(event),
    });
    const tokens = await client.customerTokens.add("cust-0001", TOKEN);
    expect(tokens[1]?.["card-type"]).toBe("Diners");

    const validation = events.filter((event) => event.type === "validation");
    expect(validation).toHaveLength(1);
    const event = validation[0] as ValidationEvent;
    expect(event.method).toBe("POST");
    expect(event.path).toBe(TOKENS_PATH);
    expect(event.status).toBe(200);
    expect(event.exchangeId).toBe("ID-clearent-rps-1-test");
    expect(event.tokenId).toBe("****************1111");
    expect(event.problems.map((problem) => `${problem.pointer} ${problem.rule}`)).toEqual([
      "/customer-tokens/token/1/card-type enum",
      "/customer-tokens/token/1/last-four-digits pattern",
    ]);
    expect(JSON.stringify(events)).not.toContain(TOKEN["token-id"]);
  });

  it("sends no event for a valid body in warn mode", async () => {
    const events: ClientEvent[] = [];
    const { client } = createMemoryClient(() => jsonResponse(200, tokensPayload([TOKEN])), {
      validateResponses: "warn",
      onEvent: (event) => events.push(event),
    });
    await client.customerTokens.list("cust-0001");
    expect(events.map((event) => event.type)).toEqual(["response"]);
  });

  it("rejects drift in error mode", async () => {
    const { client, requests } = createMemoryClient(() => jsonResponse(200, driftedPayload()), {
      validateResponses: "error",
      maxRetries: 2,
    });
    const error = await rejection(client.customerTokens.update("cust-0001", TOKEN));
    expect(error).toBeInstanceOf(ResponseValidationError);
    const validationError = error as ResponseValidationError;
    expect(validationError.status).toBe(200);
    expect(validationError.method).toBe("PUT");
    expect(validationError.path).toBe("/rest/v2/customers/cust-0001/tokens");
    expect(validationError.exchangeId).toBe("ID-clearent-rps-1-test");
    expect(validationError.problems.map((problem) => problem.pointer)).toEqual([
      "/customer-tokens/token/1/card-type",
      "/customer-tokens/token/1/last-four-digits",
    ]);
    expect(validationError.message).toContain("/customer-tokens/token/1/card-type (enum)");
    // A response that arrived is not retried, even for an idempotent PUT.
    expect(requests).toHaveLength(1);
  });

  it("accepts fields that the spec lacks in error mode", async () => {
    const older = { ...TOKEN, status: "Active", "times-used": 3, created: "2019-04-01" };
    const payload = { ...(tokensPayload([older as CustomerToken]) as object), "next-page": "2" };
    const { client } = createMemoryClient(() => jsonResponse(200, envelope(payload)), {
      validateResponses: "error",
    });
    const tokens = await client.customerTokens.list("cust-0001");
    expect(tokens).toEqual([older]);
  });

  it("applies to client.api calls", async () => {
    const { client } = createMemoryClient(() => jsonResponse(200, driftedPayload()), {
      validateResponses: "error",
    });
    const call = client.api.GET(TOKENS_PATH, { params: { path: { customerKey: "cust-0001" } } });
    await expect(call).rejects.toThrow(ResponseValidationError);
  });

  it("skips bodies that are not parsed", async () => {
    const { client } = createMemoryClient(() => jsonResponse(200, driftedPayload()), {
      validateResponses: "error",
    });
    const { data } = await client.api.GET(TOKENS_PATH, {
      params: { path: { customerKey: "cust-0001" } },
      parseAs: "text",
    });
    expect(typeof data).toBe("string");
  });

  it("hides bare token ids in a list", async () => {
    const events: ClientEvent[] = [];
    const payload = { "customer-tokens": { token: [TOKEN["token-id"]] } };
    const { client } = createMemoryClient(() => jsonResponse(200, payload), {
      validateResponses: "warn",
      onEvent: (event) => events.push(event),
    });
    // The facade then rejects the list, whose element is not a token.
    const error = await client.customerTokens.list("cust-0001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(String(error)).not.toContain(TOKEN["token-id"]);
    const [event] = events.filter((each) => each.type === "validation") as ValidationEvent[];
    expect(event?.problems).toEqual([
      {
        pointer: "/customer-tokens/token/0",
        rule: "type",
        message: "must be of type object, got string …1111",
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(TOKEN["token-id"]);
  });
});
