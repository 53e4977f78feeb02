import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

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

/**
 * Size of one app's bundle. The figures without a prefix count the code loaded at start: the
 * entry file and the chunks it imports statically. Each file is gzipped on its own, as it is
 * sent, and the sizes are summed. Code behind a dynamic `import()` is counted separately.
 */
export interface BundleSize {
  app: string;
  minifiedBytes: number;
  gzippedBytes: number;
  /** Chunks loaded only through a dynamic `import()`, such as the XML code. */
  lazyMinifiedBytes: number;
  lazyGzippedBytes: number;
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

/** Output directory esbuild requires for code splitting; nothing is written there. */
const VIRTUAL_OUT_DIR = "bench-size-out";

async function measureBundle(app: string, source: string): Promise<BundleSize> {
  // Code splitting puts every dynamic `import()` into a chunk of its own. Without it esbuild
  // inlines those modules, and a lazily loaded module would count as loaded at start.
  const result = await build({
    stdin: { contents: source, loader: "ts", resolveDir: PROJECT_ROOT, sourcefile: `${app}.ts` },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    splitting: true,
    outdir: VIRTUAL_OUT_DIR,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined);
  if (entry === undefined) {
    throw new Error(`esbuild produced no entry file for the ${app} app`);
  }
  const initial = collectStaticImports(outputs, entry);

  const size: BundleSize = {
    app,
    minifiedBytes: 0,
    gzippedBytes: 0,
    lazyMinifiedBytes: 0,
    lazyGzippedBytes: 0,
  };
  for (const file of result.outputFiles) {
    const minifiedBytes = file.contents.byteLength;
    const gzippedBytes = gzipSync(file.contents, { level: 9 }).byteLength;
    // Metafile paths are relative to the working directory, output file paths are absolute.
    if (initial.has(relative(process.cwd(), file.path))) {
      size.minifiedBytes += minifiedBytes;
      size.gzippedBytes += gzippedBytes;
    } else {
      size.lazyMinifiedBytes += minifiedBytes;
      size.lazyGzippedBytes += gzippedBytes;
    }
  }
  return size;
}

/** Returns `entry` and every output file it reaches through static `import` statements. */
function collectStaticImports(outputs: Metafile["outputs"], entry: string): Set<string> {
  const reached = new Set<string>([entry]);
  const pending = [entry];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    for (const imported of outputs[path]?.imports ?? []) {
      if (imported.kind === "import-statement" && !reached.has(imported.path)) {
        reached.add(imported.path);
        pending.push(imported.path);
      }
    }
  }
  return reached;
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
 * (minified, ESM, browser platform, code splitting), gzips both at level 9 and checks the
 * difference in code loaded at start against the budget.
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
