import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { median } from "./harness.js";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUN_TIMEOUT_MS = 120_000;

export interface GenerationResult {
  /** Runs counted in the medians, all with the compiled pipeline already cached. */
  runs: number;
  /**
   * Wall time of the run before them, which starts with an empty cache and so includes
   * `scripts/run.mjs` compiling the pipeline, as the first run after `npm ci` or an edit does.
   */
  firstRunMs: number;
  /** Wall time of each whole `npm run generate`, npm's own start-up included. */
  totalMs: number[];
  medianTotalMs: number;
  /**
   * Median wall time per stage, in the order the pipeline printed the stages. The pipeline's own
   * "total" line is among them, measured as scripts/generate.ts defines it.
   */
  stages: Array<{ stage: string; medianMs: number }>;
}

// A stage line as scripts/generate.ts prints it: the stage name, its wall time in milliseconds,
// then an optional description, for example "extract     12 ms  3 JSON fragment(s)".
const STAGE_LINE = /^(?<stage>[a-z][\w-]*)\s+(?<ms>\d+(?:\.\d+)?) ms\b/;

/** Returns the stage name and milliseconds of each stage line in the pipeline's output. */
export function parseStageLines(output: string): Array<{ stage: string; ms: number }> {
  const stages: Array<{ stage: string; ms: number }> = [];
  for (const line of output.split("\n")) {
    const match = STAGE_LINE.exec(line);
    if (match?.groups !== undefined) {
      stages.push({ stage: match.groups.stage ?? "", ms: Number(match.groups.ms) });
    }
  }
  return stages;
}

async function runGenerateOnce(
  outDir: string,
  cacheDir: string,
): Promise<{ elapsedMs: number; output: string }> {
  const start = performance.now();
  // A process group of its own, so that a timeout ends the pipeline's Node process and not only
  // npm, which would leave the pipeline running.
  const child = spawn("npm", ["run", "generate", "--", "--out-dir", outDir], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SCRIPT_CACHE_DIR: cacheDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) {
      process.kill(-child.pid, "SIGKILL");
    }
  }, RUN_TIMEOUT_MS);
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    },
  ).finally(() => clearTimeout(timer));
  const elapsedMs = performance.now() - start;
  if (timedOut) {
    throw new Error(
      `npm run generate timed out after ${RUN_TIMEOUT_MS} ms and was killed; its output:\n${output}`,
    );
  }
  if (code !== 0) {
    throw new Error(
      `npm run generate failed (exit code ${code}, signal ${signal}); its output:\n${output}`,
    );
  }
  return { elapsedMs, output };
}

/**
 * Runs `npm run generate` once with an empty cache of compiled scripts, then `runs` times more,
 * and returns the median wall time of the whole and of each stage line that the pipeline printed
 * in the later runs. The runs write into a temporary directory through `--out-dir` and compile
 * into a temporary cache, so generated/ and the cache of `npm run generate` are left alone.
 */
export async function runGeneration(runs: number): Promise<GenerationResult> {
  const totalMs: number[] = [];
  const stageSamples = new Map<string, number[]>();
  const workDir = await mkdtemp(join(tmpdir(), "recurring-payments-bench-generate-"));
  const outDir = join(workDir, "generated");
  const cacheDir = join(workDir, "cache");
  let firstRunMs = 0;

  try {
    firstRunMs = (await runGenerateOnce(outDir, cacheDir)).elapsedMs;
    for (let run = 0; run < runs; run += 1) {
      const { elapsedMs, output } = await runGenerateOnce(outDir, cacheDir);
      totalMs.push(elapsedMs);
      const stages = parseStageLines(output);
      if (stages.length === 0) {
        throw new Error(`npm run generate printed no stage timings; its output:\n${output}`);
      }
      for (const { stage, ms } of stages) {
        const samples = stageSamples.get(stage) ?? [];
        samples.push(ms);
        stageSamples.set(stage, samples);
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  return {
    runs,
    firstRunMs,
    totalMs,
    medianTotalMs: median(totalMs),
    stages: [...stageSamples].map(([stage, samples]) => ({ stage, medianMs: median(samples) })),
  };
}
