/**
 * The main job: regenerate the client's spec and types from openapi/pages/, start a Prism mock
 * of the bundled spec on 127.0.0.1, drive the client through add, list, update and one error
 * case, print what happened, and stop the mock.
 */
import {
  type CustomerToken,
  createRecurringPaymentsClient,
  maskTokenId,
  RecurringPaymentsError,
} from "../src/index.js";
import { DEFAULT_OPTIONS, generate } from "./generate.js";
import { startPrism } from "./prism.js";

process.env.REDOCLY_TELEMETRY = "off";

// Prism checks that the header is present but accepts any value, so the job needs no real key.
const MOCK_API_KEY = "mock-api-key";
const CUSTOMER_KEY = "cust-0001";

const newToken: CustomerToken = {
  "customer-key": CUSTOMER_KEY,
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "1111",
  "avs-zip": "02134",
};

/** Shows a token the way a log line may: the token id masked to its last four characters. */
function describeToken(token: CustomerToken): string {
  return `${maskTokenId(token["token-id"])} ${token["card-type"]} ending ${token["last-four-digits"]}, expires ${token["exp-date"]}`;
}

/** Asks Prism for a declared status instead of the default success. */
function preferStatus(status: number): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    request.headers.set("Prefer", `code=${status}`);
    return fetch(request);
  };
}

async function runSteps(baseUrl: string): Promise<void> {
  const client = createRecurringPaymentsClient({ apiKey: MOCK_API_KEY, baseUrl });
  const steps: Array<[string, () => Promise<CustomerToken[]>]> = [
    ["add", () => client.customerTokens.add(CUSTOMER_KEY, newToken)],
    ["list", () => client.customerTokens.list(CUSTOMER_KEY)],
    [
      "update",
      () => client.customerTokens.update(CUSTOMER_KEY, { ...newToken, description: "Work card" }),
    ],
  ];
  for (const [name, call] of steps) {
    const tokens = await call();
    console.log(`  ${name.padEnd(7)} ok: ${tokens.length} token(s)`);
    for (const token of tokens) console.log(`          ${describeToken(token)}`);
  }

  const failing = createRecurringPaymentsClient({
    apiKey: MOCK_API_KEY,
    baseUrl,
    fetch: preferStatus(404),
  });
  try {
    await failing.customerTokens.list("no-such-customer");
    throw new Error("The mock returned 404, but the client resolved instead of rejecting.");
  } catch (error) {
    if (!(error instanceof RecurringPaymentsError)) throw error;
    console.log(`  error   ok: ${error.name}: ${error.message}`);
  }
}

async function main(): Promise<void> {
  console.log("Regenerating from openapi/pages/");
  await generate({ ...DEFAULT_OPTIONS, log: (line) => console.log(`  ${line}`) });

  console.log("Starting the Prism mock of generated/openapi.yaml");
  const prism = await startPrism({ specPath: "generated/openapi.yaml" });
  try {
    console.log(`Driving the client against ${prism.url}`);
    await runSteps(prism.url);
  } finally {
    await prism.close();
    console.log("Stopped the Prism mock");
  }
  console.log("Done: add, list, update and a 404 matched the spec.");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
