import { describe, expect, it } from "vitest";
import { requestValidators, responseValidators } from "../../generated/validators.js";
import {
  type CompiledValidator,
  formatProblems,
  type ValidationProblem,
  validateRequestBody,
  validateValue,
} from "../../src/validation.js";

const validToken = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "0111",
  "avs-zip": "02134",
};

const addToken = requestValidators.addCustomerToken as CompiledValidator;

function withField(name: string, value: unknown): Record<string, unknown> {
  return { ...validToken, [name]: value };
}

function withoutField(name: string): Record<string, unknown> {
  const { [name]: _removed, ...rest } = validToken as Record<string, unknown>;
  return rest;
}

/** The four inputs that must be rejected before any request is sent. */
const smallInputs: {
  name: string;
  body: Record<string, unknown>;
  pointer: string;
  rule: string;
}[] = [
  {
    name: "exp-date month 13",
    body: withField("exp-date", "1399"),
    pointer: "/exp-date",
    rule: "pattern",
  },
  {
    name: "lower-case card-type",
    body: withField("card-type", "visa"),
    pointer: "/card-type",
    rule: "enum",
  },
  {
    name: "letter in last-four-digits",
    body: withField("last-four-digits", "12a4"),
    pointer: "/last-four-digits",
    rule: "pattern",
  },
  {
    name: "missing token-id",
    body: withoutField("token-id"),
    pointer: "/token-id",
    rule: "required",
  },
];

describe("request validation", () => {
  it("accepts a valid token", () => {
    expect(validateValue(addToken, validToken)).toEqual([]);
  });

  for (const { name, body, pointer, rule } of smallInputs) {
    it(`rejects ${name}`, () => {
      const problems = validateValue(addToken, body);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.pointer).toBe(pointer);
      expect(problems[0]?.rule).toBe(rule);
    });
  }

  const invalidValues: { name: string; field: string; value: unknown; rule: string }[] = [
    { name: "exp-date month 00", field: "exp-date", value: "0032", rule: "pattern" },
    { name: "exp-date with four-digit year", field: "exp-date", value: "092032", rule: "pattern" },
    { name: "exp-date with slash", field: "exp-date", value: "09/32", rule: "pattern" },
    { name: "three last digits", field: "last-four-digits", value: "111", rule: "pattern" },
    { name: "token-id as a number", field: "token-id", value: 1100038383, rule: "type" },
    { name: "last-four-digits as a number", field: "last-four-digits", value: 1111, rule: "type" },
    { name: "default as a string", field: "default", value: "true", rule: "type" },
    { name: "unknown card-type", field: "card-type", value: "Diners", rule: "enum" },
    {
      name: "misspelled optional field",
      field: "avs_zip",
      value: "02134",
      rule: "additionalProperties",
    },
  ];

  for (const { name, field, value, rule } of invalidValues) {
    it(`rejects ${name}`, () => {
      const problems = validateValue(addToken, withField(field, value));
      expect(problems.map((problem) => problem.rule)).toEqual([rule]);
      expect(problems[0]?.pointer).toBe(`/${field}`);
    });
  }

  const validValues: { name: string; field: string; value: unknown }[] = [
    { name: "exp-date 0100", field: "exp-date", value: "0100" },
    { name: "exp-date 1299", field: "exp-date", value: "1299" },
    { name: "last-four-digits 0000", field: "last-four-digits", value: "0000" },
    { name: "status in mixed case", field: "status", value: "Active" },
  ];

  for (const { name, field, value } of validValues) {
    it(`accepts ${name}`, () => {
      expect(validateValue(addToken, withField(field, value))).toEqual([]);
    });
  }

  it("lists every problem with pointer and rule", () => {
    const body = { "token-id": 42, "exp-date": "1399", "card-type": "visa", extra: true };
    const problems = validateValue(addToken, body);
    expect(problems.map((problem) => `${problem.pointer} ${problem.rule}`).sort()).toEqual([
      "/card-type enum",
      "/customer-key required",
      "/exp-date pattern",
      "/extra additionalProperties",
      "/last-four-digits required",
      "/token-id type",
    ]);
    for (const problem of problems) {
      expect(problem.message.length).toBeGreaterThan(0);
    }
  });

  it("rejects a body that is not an object", () => {
    const problems = validateValue(addToken, [validToken]);
    expect(problems).toEqual([
      { pointer: "", rule: "type", message: "must be of type object, got an array" },
    ]);
  });
});

describe("problem messages", () => {
  function onlyProblem(body: Record<string, unknown>): ValidationProblem {
    const [problem] = validateValue(addToken, body);
    if (!problem) throw new Error("expected a problem");
    return problem;
  }

  it("names the value that breaks a pattern", () => {
    expect(onlyProblem(withField("exp-date", "1399")).message).toBe(
      'must match the pattern ^(0[1-9]|1[0-2])[0-9]{2}$, got "1399"',
    );
  });

  it("lists the allowed values of an enum", () => {
    expect(onlyProblem(withField("card-type", "visa")).message).toBe(
      'must be one of AMEX, Discover, JCB, MasterCard, VISA, got "visa"',
    );
  });

  it("names a missing property", () => {
    expect(onlyProblem(withoutField("token-id")).message).toBe(
      'required property "token-id" is missing',
    );
  });

  it("masks a token-id to its last four characters", () => {
    const message = onlyProblem(withField("token-id", 1100038383393938)).message;
    expect(message).toBe("must be of type string, got number …3938");
    expect(message).not.toContain("1100038383");
  });

  it("hides address verification values", () => {
    const message = onlyProblem(withField("avs-zip", 2134)).message;
    expect(message).toBe("must be of type string, got number (hidden)");
  });

  it("masks a card number in any field", () => {
    const message = onlyProblem(withField("last-four-digits", "4111111111111111")).message;
    expect(message).toBe("must match the pattern ^[0-9]{4}$, got string …1111");
  });

  it("shows only the type of a list item", () => {
    const listOk = responseValidators.listCustomerTokens?.["200"] as CompiledValidator;
    const [problem] = validateValue(listOk, { "customer-tokens": { token: ["secret"] } });
    expect(problem?.message).toBe("must be of type object, got string");
  });

  it("cuts long strings short", () => {
    // Letters, because a long run of digits is masked instead.
    const message = onlyProblem(withField("exp-date", "ab".repeat(50))).message;
    expect(message).toContain(`"${"ab".repeat(20)}…"`);
    expect(message).not.toContain(`${"ab".repeat(20)}a`);
  });
});

describe("formatProblems", () => {
  const problems: ValidationProblem[] = [
    { pointer: "/exp-date", rule: "pattern", message: "must match" },
    { pointer: "", rule: "type", message: "must be of type object" },
    { pointer: "/a", rule: "required", message: "missing" },
  ];

  it("joins problems on one line", () => {
    expect(formatProblems(problems)).toBe(
      "/exp-date (pattern): must match; / (type): must be of type object; /a (required): missing",
    );
  });

  it("counts problems beyond the limit", () => {
    expect(formatProblems(problems, 1)).toBe("/exp-date (pattern): must match; and 2 more");
  });

  it("returns an empty string for no problems", () => {
    expect(formatProblems([])).toBe("");
  });
});

describe("validateRequestBody", () => {
  it("accepts a valid token", () => {
    expect(validateRequestBody("addCustomerToken", validToken)).toEqual([]);
  });

  it("rejects a lower-case card-type", () => {
    const problems = validateRequestBody("addCustomerToken", withField("card-type", "visa"));
    expect(problems.map((problem) => problem.rule)).toEqual(["enum"]);
  });

  it("rejects a missing token-id", () => {
    const problems = validateRequestBody("updateCustomerToken", withoutField("token-id"));
    expect(problems.map((problem) => problem.pointer)).toEqual(["/token-id"]);
  });

  it("returns no problems for an operation without body", () => {
    expect(validateRequestBody("listCustomerTokens", { anything: 1 })).toEqual([]);
  });

  it("rejects exp-date 1399", () => {
    const problems = validateRequestBody("addCustomerToken", withField("exp-date", "1399"));
    expect(problems.map((problem) => problem.rule)).toEqual(["pattern"]);
  });

  it("rejects last-four-digits 12a4", () => {
    const problems = validateRequestBody("addCustomerToken", withField("last-four-digits", "12a4"));
    expect(problems.map((problem) => problem.rule)).toEqual(["pattern"]);
  });
});
