import { describe, expectTypeOf, it } from "vitest";
import {
  type BodyFormat,
  type ClientEvent,
  type CustomerToken,
  type components,
  createRecurringPaymentsClient,
  type paths,
  type RecurringPaymentsClientOptions,
  type RequestValidationError,
  type ResponseValidationError,
  type ResponseValidationMode,
  type ValidationProblem,
} from "../../src/index.js";

const client = createRecurringPaymentsClient({ apiKey: "type-test-key" });

const token: CustomerToken = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "1111",
};

describe("customerTokens", () => {
  it("resolves every method to CustomerToken[]", () => {
    expectTypeOf(client.customerTokens.list("cust-0001")).resolves.toEqualTypeOf<CustomerToken[]>();
    expectTypeOf(client.customerTokens.add("cust-0001", token)).resolves.toEqualTypeOf<
      CustomerToken[]
    >();
    expectTypeOf(client.customerTokens.update("cust-0001", token)).resolves.toEqualTypeOf<
      CustomerToken[]
    >();
  });

  it("uses the generated token schema", () => {
    expectTypeOf<CustomerToken>().toEqualTypeOf<components["schemas"]["customer-token"]>();
    expectTypeOf<CustomerToken["token-id"]>().toEqualTypeOf<string>();
  });

  it("rejects a card type outside the enum", () => {
    // @ts-expect-error "visa" is not one of the spec's card-type values.
    client.customerTokens.add("cust-0001", { ...token, "card-type": "visa" });
  });

  it("rejects a token without a required field", () => {
    const { "token-id": _dropped, ...withoutTokenId } = token;
    // @ts-expect-error token-id is required by the spec.
    client.customerTokens.add("cust-0001", withoutTokenId);
  });

  it("rejects a numeric token id", () => {
    // @ts-expect-error token ids are digit strings, never numbers.
    client.customerTokens.add("cust-0001", { ...token, "token-id": 1100038383 });
  });

  it("takes call options as the last argument", () => {
    client.customerTokens.list("cust-0001", { timeoutMs: 1_000, maxRetries: 0 });
    // @ts-expect-error timeoutMs is a number of milliseconds.
    client.customerTokens.list("cust-0001", { timeoutMs: "1s" });
  });
});

describe("createRecurringPaymentsClient", () => {
  it("requires an api key", () => {
    // @ts-expect-error apiKey is required.
    createRecurringPaymentsClient({ environment: "production" });
  });

  it("accepts only the two environments", () => {
    // @ts-expect-error "staging" is not an environment.
    createRecurringPaymentsClient({ apiKey: "k", environment: "staging" });
  });

  it("types the body and validation options", () => {
    expectTypeOf<RecurringPaymentsClientOptions["format"]>().toEqualTypeOf<
      "json" | "xml" | undefined
    >();
    expectTypeOf<BodyFormat>().toEqualTypeOf<"json" | "xml">();
    expectTypeOf<RecurringPaymentsClientOptions["validateRequests"]>().toEqualTypeOf<
      boolean | undefined
    >();
    expectTypeOf<ResponseValidationMode>().toEqualTypeOf<"off" | "warn" | "error">();
    expectTypeOf<RecurringPaymentsClientOptions["validateResponses"]>().toEqualTypeOf<
      ResponseValidationMode | undefined
    >();
    expectTypeOf<RecurringPaymentsClientOptions["dangerouslyAllowBrowser"]>().toEqualTypeOf<
      boolean | undefined
    >();
    createRecurringPaymentsClient({
      apiKey: "k",
      format: "xml",
      validateRequests: false,
      validateResponses: "error",
      dangerouslyAllowBrowser: true,
    });
  });

  it("rejects invalid option values", () => {
    // @ts-expect-error "yaml" is not a body format.
    createRecurringPaymentsClient({ apiKey: "k", format: "yaml" });
    // @ts-expect-error validateResponses takes "off", "warn" or "error".
    createRecurringPaymentsClient({ apiKey: "k", validateResponses: true });
    // @ts-expect-error validateRequests is a boolean.
    createRecurringPaymentsClient({ apiKey: "k", validateRequests: "off" });
    // @ts-expect-error dangerouslyAllowBrowser is a boolean.
    createRecurringPaymentsClient({ apiKey: "k", dangerouslyAllowBrowser: "yes" });
  });
});

describe("validation results", () => {
  it("lists problems on both errors", () => {
    expectTypeOf<RequestValidationError["problems"]>().toEqualTypeOf<
      readonly ValidationProblem[]
    >();
    expectTypeOf<ResponseValidationError["problems"]>().toEqualTypeOf<
      readonly ValidationProblem[]
    >();
    expectTypeOf<ValidationProblem>().toEqualTypeOf<{
      pointer: string;
      rule: string;
      message: string;
    }>();
  });

  it("narrows a validation event by its type", () => {
    createRecurringPaymentsClient({
      apiKey: "k",
      validateResponses: "warn",
      onEvent: (event: ClientEvent) => {
        if (event.type === "validation") {
          expectTypeOf(event.problems).toEqualTypeOf<ValidationProblem[]>();
          expectTypeOf(event.status).toEqualTypeOf<number>();
        }
      },
    });
  });
});

describe("api", () => {
  it("types the payload of a generated path", async () => {
    const { data } = await client.api.GET("/rest/v2/customers/{customerKey}/tokens", {
      params: { path: { customerKey: "cust-0001" } },
    });
    type ListPayload =
      paths["/rest/v2/customers/{customerKey}/tokens"]["get"]["responses"]["200"]["content"]["application/json"];
    expectTypeOf(data).toEqualTypeOf<ListPayload | undefined>();
  });

  it("rejects a path the spec does not declare", () => {
    // @ts-expect-error the spec has no such path.
    client.api.GET("/rest/v2/unknown");
  });
});
