import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { PipelineError } from "./errors.js";

type OpenapiTypescript = typeof import("openapi-typescript");

let loading: Promise<OpenapiTypescript> | undefined;

/**
 * Loads openapi-typescript once in this thread. The first load takes about a third of a second
 * on Node 20 because it loads the TypeScript compiler, so a benchmark can call this to time the
 * load apart from generation.
 *
 * Note: `require` loads the CommonJS build, as `types-worker.mjs` does and for the same reason.
 */
export function loadTypeGenerator(): Promise<OpenapiTypescript> {
  loading ??= new Promise((resolve) => {
    resolve(createRequire(import.meta.url)("openapi-typescript") as OpenapiTypescript);
  });
  return loading;
}

/**
 * Generates the TypeScript types (`paths`, `components`, `operations`) of an OpenAPI document
 * with openapi-typescript, with its default options, in this thread.
 */
export async function generateTypes(openapiYaml: string): Promise<string> {
  const { default: openapiTS, astToString } = await loadTypeGenerator();
  // Note: `silent` stops openapi-typescript from printing its own lint warnings, because the
  // lint stage has already failed the run on any warning of the stricter Redocly config.
  const nodes = await openapiTS(openapiYaml, { silent: true });
  return astToString(nodes);
}

/** A worker thread that generates types; see {@link startTypeWorker}. */
export interface TypeWorker {
  /** Generates the types of one OpenAPI YAML text, as {@link generateTypes} does. */
  generate(openapiYaml: string): Promise<string>;
  /** Stops the worker. Safe to call more than once. */
  close(): Promise<void>;
}

/** Global under which `preload.mjs` leaves the worker that it started. */
const PRELOADED_WORKER = Symbol.for("recurring-payments-client.typeWorker");

/**
 * Starts a worker thread that loads openapi-typescript at once, so the caller can bundle and
 * lint on this thread meanwhile. Loading openapi-typescript is the slowest step of the pipeline.
 * Adopts the worker of `preload.mjs` instead when the process was started with it.
 */
export function startTypeWorker(): TypeWorker {
  const worker =
    adoptPreloadedWorker() ??
    new Worker(new URL("./types-worker.mjs", import.meta.url), { execArgv: [] });
  let closed = false;

  return {
    generate(openapiYaml) {
      return new Promise<string>((resolve, reject) => {
        const cleanUp = () => {
          worker.off("message", onMessage);
          worker.off("error", onError);
          worker.off("exit", onExit);
        };
        const onMessage = (reply: { types?: string; error?: string }) => {
          cleanUp();
          if (reply.types !== undefined) {
            resolve(reply.types);
          } else {
            reject(new PipelineError(`openapi-typescript failed: ${reply.error ?? "no reason"}`));
          }
        };
        const onError = (error: Error) => {
          cleanUp();
          reject(new PipelineError(`openapi-typescript worker failed: ${error.message}`));
        };
        const onExit = (code: number) => {
          cleanUp();
          reject(new PipelineError(`openapi-typescript worker exited early (code ${code}).`));
        };
        worker.on("message", onMessage);
        worker.on("error", onError);
        worker.on("exit", onExit);
        worker.postMessage(openapiYaml);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}

function adoptPreloadedWorker(): Worker | undefined {
  const scope = globalThis as Record<symbol, unknown>;
  const worker = scope[PRELOADED_WORKER];
  if (!(worker instanceof Worker)) return undefined;
  delete scope[PRELOADED_WORKER];
  worker.ref();
  return worker;
}
