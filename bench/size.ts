import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUDGET_FILE = fileURLToPath(new URL("./size-budget.json", import.meta.url));

// Two apps that do the same job: list one customer's tokens and print how many there are. The
// base URL is never contacted because the apps are only bundled, not run.
const CLIENT_APP = `
import { createRecurringPaymentsClient } from "./src/index.ts";
const client = createRecurringPaymentsClient({ apiKey: "key", baseUrl: "http://127.0.0.1" });
client.customerTokens.list("CUST-1").then((tokens) => console.log(tokens.length));
`;

const OPENAPI_FETCH_APP = `
import createClient from "openapi-fetch";
const api = createClient({ baseUrl: "http://127.0.0.1", headers: { "api-key": "key" } });
api
  .GET("/rest/v2/customers/{customerKey}/tokens", { params: { path: { customerKey: "CUST-1" } } })
  .then(({ data }) => console.log(data?.["customer-tokens"]?.token?.length));
`;

export interface BundleSize {
  app: string;
  minifiedBytes: number;
  gzippedBytes: number;
}

export interface SizeResult {
  client: BundleSize;
  openapiFetch: BundleSize;
  /** Min+gzip bytes that the client app adds on top of the openapi-fetch app. */
  addedGzippedBytes: number;
  addedMinifiedBytes: number;
  budget: SizeBudget;
  /** One message per budget that the bundles exceed; empty when all budgets hold. */
  violations: string[];
}

/** Contents of bench/size-budget.json, in bytes of min+gzip that the client adds. */
export interface SizeBudget {
  /** The limit CI enforces: a larger bundle fails `npm run bench` and the bench test. */
  maxAddedGzippedBytes: number;
  /** The goal the project has set itself; missing it is reported, not failed. */
  targetAddedGzippedBytes: number;
}

async function measureBundle(app: string, source: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, loader: "ts", resolveDir: PROJECT_ROOT, sourcefile: `${app}.ts` },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (output === undefined) {
    throw new Error(`esbuild produced no output for the ${app} app`);
  }
  return {
    app,
    minifiedBytes: output.contents.byteLength,
    gzippedBytes: gzipSync(output.contents, { level: 9 }).byteLength,
  };
}

/** Reads the size budget that CI enforces from bench/size-budget.json. */
export async function readSizeBudget(): Promise<SizeBudget> {
  const budget = JSON.parse(await readFile(BUDGET_FILE, "utf8")) as Partial<SizeBudget>;
  for (const key of ["maxAddedGzippedBytes", "targetAddedGzippedBytes"] as const) {
    if (typeof budget[key] !== "number") {
      throw new Error(`${BUDGET_FILE}: ${key} is missing or not a number`);
    }
  }
  return budget as SizeBudget;
}

/**
 * Bundles a small app that uses the client and the same app on openapi-fetch alone with esbuild
 * (minified, ESM, browser platform), gzips both at level 9 and checks the difference against
 * the budget.
 */
export async function runSize(): Promise<SizeResult> {
  const [client, openapiFetch, budget] = await Promise.all([
    measureBundle("client", CLIENT_APP),
    measureBundle("openapi-fetch", OPENAPI_FETCH_APP),
    readSizeBudget(),
  ]);
  const addedGzippedBytes = client.gzippedBytes - openapiFetch.gzippedBytes;
  const violations: string[] = [];
  if (addedGzippedBytes > budget.maxAddedGzippedBytes) {
    violations.push(
      `the client adds ${addedGzippedBytes} bytes min+gzip on top of openapi-fetch, over the budget of ${budget.maxAddedGzippedBytes} bytes in bench/size-budget.json`,
    );
  }
  return {
    client,
    openapiFetch,
    addedGzippedBytes,
    addedMinifiedBytes: client.minifiedBytes - openapiFetch.minifiedBytes,
    budget,
    violations,
  };
}
