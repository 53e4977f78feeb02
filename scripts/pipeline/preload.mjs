// Preloaded by `npm run generate` and `npm run spec:sync` (`node --import`) before
// `scripts/run.mjs` compiles or loads the pipeline. It starts the worker of the types stage
// before the pipeline's modules load, because that worker's load of openapi-typescript is the
// longest step. It also enables Node's compile cache, which Node 22.1 and later have and Node 20
// lacks. Plain JavaScript, because it runs before any TypeScript is compiled.
import module from "node:module";
import { isMainThread, Worker } from "node:worker_threads";

module.enableCompileCache?.();

// Workers inherit the `--import` flags of the process, so this module also runs in every worker
// thread. Only the main thread starts the types worker, and that worker gets no flags at all.
if (isMainThread) {
  const worker = new Worker(new URL("./types-worker.mjs", import.meta.url), { execArgv: [] });
  // Unreferenced until `startTypeWorker` adopts it, so a run that fails earlier still exits.
  worker.unref();
  globalThis[Symbol.for("recurring-payments-client.typeWorker")] = worker;
}
