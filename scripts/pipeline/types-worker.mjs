// Worker thread of the types stage: loads openapi-typescript (and with it the TypeScript
// compiler) as soon as the pipeline starts, so the load overlaps the bundle and lint stages on
// another CPU. Receives one OpenAPI YAML text a message and replies { types } or { error }.
// Note: plain JavaScript, so the worker starts without a TypeScript loader under both
// `scripts/run.mjs` and vitest.
import module, { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import { requireWithCodeCache } from "./code-cache.mjs";

// Node 22.1 and later reuse compiled code from disk; Node 20 has no compile cache.
module.enableCompileCache?.();

const CACHE_DIR =
  process.env.SCRIPT_CACHE_DIR ||
  fileURLToPath(new URL("../../node_modules/.cache/recurring-payments-client", import.meta.url));

/** Writes the code cache of TypeScript after the first generation, where one was missing. */
let saveCodeCache = () => {};

// Note: `require` loads the CommonJS build of openapi-typescript 7, which requires TypeScript.
// An `import` of the ES module build took about 0.3 s longer on Node 20, because Node scans all
// 9 MB of TypeScript's CommonJS source for export names when an ES module imports it.
const loading = new Promise((resolve) => {
  const require = createRequire(import.meta.url);
  if (module.enableCompileCache === undefined) {
    const generatorUrl = pathToFileURL(require.resolve("openapi-typescript"));
    const typescript = requireWithCodeCache(generatorUrl, "typescript", CACHE_DIR);
    saveCodeCache = typescript.saveCache;
  }
  resolve(require("openapi-typescript"));
});
// The first message reports a failed load; until then nothing may treat it as unhandled.
loading.catch(() => {});

parentPort?.on("message", async (openapiYaml) => {
  try {
    const { default: openapiTS, astToString } = await loading;
    // `silent` stops openapi-typescript from printing its own lint warnings, because the lint
    // stage has already failed the run on any warning of the stricter Redocly config.
    const nodes = await openapiTS(openapiYaml, { silent: true });
    const types = astToString(nodes);
    saveCodeCache();
    parentPort?.postMessage({ types });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
