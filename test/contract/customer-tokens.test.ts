import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import {
  type ApiError,
  AuthenticationError,
  type CustomerToken,
  createRecurringPaymentsClient,
  NotFoundError,
  PermissionDeniedError,
} from "../../src/index.js";

const API_KEY = "contract-test-key-5f2c9e";
const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

const newToken: CustomerToken = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "1111",
  "avs-zip": "02134",
};

type Operation = "list" | "add" | "update";

/** Which facade call covers each method of the tokens path. */
const operationByMethod: Record<string, Operation> = { get: "list", post: "add", put: "update" };

/** The typed error each declared error status must reject with. */
const errorClassByStatus: Record<string, typeof ApiError> = {
  "401": AuthenticationError,
  "403": PermissionDeniedError,
  "404": NotFoundError,
};

interface Exchange {
  status: number;
  violations: string | null;
}

/** Records Prism's responses, and requests a given status through `Prefer: code=...`. */
function createRecordingFetch(exchanges: Exchange[], preferCode?: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (preferCode) request.headers.set("Prefer", `code=${preferCode}`);
    const response = await fetch(request);
    exchanges.push({ status: response.status, violations: response.headers.get("sl-violations") });
    return response;
  };
}

function callOperation(operation: Operation, preferCode?: string, exchanges: Exchange[] = []) {
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: inject("prismUrl"),
    fetch: createRecordingFetch(exchanges, preferCode),
  });
  if (operation === "list") return client.customerTokens.list("cust-0001");
  if (operation === "add") return client.customerTokens.add("cust-0001", newToken);
  return client.customerTokens.update("cust-0001", { ...newToken, description: "Work card" });
}

function declaredResponses(): Array<{ method: string; status: string }> {
  const spec = parse(readFileSync("generated/openapi.yaml", "utf8"));
  const pathItem = spec.paths[TOKENS_PATH] as Record<string, { responses: object }>;
  return Object.entries(pathItem).flatMap(([method, operation]) =>
    Object.keys(operation.responses).map((status) => ({ method, status })),
  );
}

function expectValidToken(token: CustomerToken): void {
  expect(token["token-id"]).toMatch(/^\d+$/);
  expect(token["exp-date"]).toMatch(/^(0[1-9]|1[0-2])\d{2}$/);
  expect(token["last-four-digits"]).toMatch(/^\d{4}$/);
  expect(["AMEX", "Discover", "JCB", "MasterCard", "VISA"]).toContain(token["card-type"]);
  expect(typeof token["customer-key"]).toBe("string");
}

describe("contract with the Prism mock", () => {
  let exchanges: Exchange[];

  beforeEach(() => {
    exchanges = [];
  });

  it("covers every operation and status the spec declares", () => {
    for (const { method, status } of declaredResponses()) {
      expect(operationByMethod, `no facade call for ${method}`).toHaveProperty(method);
      if (status !== "200") {
        expect(errorClassByStatus, `no error class for ${status}`).toHaveProperty(status);
      }
    }
  });

  describe.each(Object.entries(operationByMethod))("%s as %s", (_method, operation) => {
    it("resolves to tokens with string identifiers", async () => {
      const tokens = await callOperation(operation, undefined, exchanges);
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) expectValidToken(token);
      expect(exchanges).toEqual([{ status: 200, violations: null }]);
    });

    it.each(Object.entries(errorClassByStatus))(
      "rejects status %s with its typed error",
      async (status, errorClass) => {
        const error = await callOperation(operation, status, exchanges).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(errorClass);
        expect((error as ApiError).status).toBe(Number(status));
        expect(JSON.stringify(error)).not.toContain(API_KEY);
        expect(exchanges).toEqual([{ status: Number(status), violations: null }]);
      },
    );
  });

  describe("api", () => {
    it("serves the typed openapi-fetch client", async () => {
      const client = createRecurringPaymentsClient({
        apiKey: API_KEY,
        baseUrl: inject("prismUrl"),
        fetch: createRecordingFetch(exchanges),
      });
      const { data } = await client.api.GET(TOKENS_PATH, {
        params: { path: { customerKey: "cust-0001" } },
      });
      const tokens = data?.["customer-tokens"]?.token ?? [];
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) expectValidToken(token);
      expect(exchanges).toEqual([{ status: 200, violations: null }]);
    });
  });

  describe("authentication", () => {
    it("is rejected by the mock without a key", async () => {
      const response = await fetch(`${inject("prismUrl")}/rest/v2/customers/cust-0001/tokens`);
      expect(response.status).toBe(401);
      await response.body?.cancel();
    });
  });
});
