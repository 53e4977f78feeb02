// Worker thread of the types stage: loads openapi-typescript (and with it the TypeScript
// compiler) as soon as the pipeline starts, so the load overlaps the bundle and lint stages on
// another CPU. Receives one OpenAPI YAML text a message and replies { types } or { error }.
// Note: plain JavaScript, so the worker starts without a TypeScript loader under both tsx and
// vitest.
import module from "node:module";
import { parentPort } from "node:worker_threads";

// Node 22.1 and later reuse compiled code from disk; Node 20 has no compile cache.
module.enableCompileCache?.();

const loading = import("openapi-typescript");

parentPort?.on("message", async (openapiYaml) => {
  try {
    const { default: openapiTS, astToString } = await loading;
    // `silent` stops openapi-typescript from printing its own lint warnings, because the lint
    // stage has already failed the run on any warning of the stricter Redocly config.
    const nodes = await openapiTS(openapiYaml, { silent: true });
    parentPort?.postMessage({ types: astToString(nodes) });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
