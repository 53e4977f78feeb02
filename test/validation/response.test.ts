import { describe, expect, it } from "vitest";
import { responseValidators } from "../../generated/validators.js";
import {
  type CompiledValidator,
  validateResponseBody,
  validateValue,
} from "../../src/validation.js";

const token = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "0111",
};

function tokensPayload(...tokens: Record<string, unknown>[]): Record<string, unknown> {
  return { "customer-tokens": { token: tokens }, payloadType: "customer-tokens" };
}

const listOk = responseValidators.listCustomerTokens?.["200"] as CompiledValidator;

describe("response validation", () => {
  it("accepts a token list", () => {
    expect(validateValue(listOk, tokensPayload(token))).toEqual([]);
  });

  it("accepts fields that the spec lacks", () => {
    const older = { ...token, status: "Active", "times-used": 3, created: "2019-04-01" };
    const payload = { ...tokensPayload(older), "next-page": "2" };
    expect(validateValue(listOk, payload)).toEqual([]);
  });

  const drift: { name: string; change: Record<string, unknown>; pointer: string; rule: string }[] =
    [
      {
        name: "token-id as a number",
        change: { "token-id": 1100038383 },
        pointer: "/token-id",
        rule: "type",
      },
      {
        name: "card-type outside the enum",
        change: { "card-type": "Diners" },
        pointer: "/card-type",
        rule: "enum",
      },
      {
        name: "exp-date without leading zero",
        change: { "exp-date": "932" },
        pointer: "/exp-date",
        rule: "pattern",
      },
    ];

  for (const { name, change, pointer, rule } of drift) {
    it(`reports ${name}`, () => {
      const problems = validateValue(listOk, tokensPayload(token, { ...token, ...change }));
      expect(problems.map((problem) => problem.pointer)).toEqual([
        `/customer-tokens/token/1${pointer}`,
      ]);
      expect(problems.map((problem) => problem.rule)).toEqual([rule]);
    });
  }

  it("reports a missing required token field", () => {
    const { "exp-date": _removed, ...withoutExpDate } = token;
    const problems = validateValue(listOk, tokensPayload(withoutExpDate));
    expect(problems).toEqual([
      {
        pointer: "/customer-tokens/token/0/exp-date",
        rule: "required",
        message: 'required property "exp-date" is missing',
      },
    ]);
  });

  it("reports a single token where a list belongs", () => {
    const problems = validateValue(listOk, { "customer-tokens": { token } });
    expect(problems.map((problem) => `${problem.pointer} ${problem.rule}`)).toEqual([
      "/customer-tokens/token type",
    ]);
  });
});

describe("validateResponseBody", () => {
  const errorPayload = {
    error: { "error-message": "Customer not found.", "result-code": "042" },
    payloadType: "error",
  };

  it("validates by the declared status", () => {
    expect(validateResponseBody("listCustomerTokens", 404, errorPayload)).toEqual([]);
  });

  it("reports drift in an error payload", () => {
    const problems = validateResponseBody("listCustomerTokens", "401", {
      error: { "result-code": 42 },
    });
    expect(problems.map((problem) => `${problem.pointer} ${problem.rule}`)).toEqual([
      "/error/result-code type",
    ]);
  });

  it("returns no problems for an undeclared status", () => {
    expect(validateResponseBody("listCustomerTokens", 500, "<html>")).toEqual([]);
  });

  it("returns no problems for an unknown operation", () => {
    expect(validateResponseBody("deleteEverything", 200, {})).toEqual([]);
  });
});
