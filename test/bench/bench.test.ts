import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchResults } from "../../bench/run.js";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The quick run takes about 10 s on 2 idle cores, and its generation section alone may take up
// to 120 s before bench/generation.ts kills it. The hook waits longer than the run's own timeout,
// so that a hung run is killed by execFile instead of being left behind by the hook.
const BENCH_TIMEOUT_MS = 200_000;
const HOOK_TIMEOUT_MS = 220_000;

// Runs `npm run bench -- --quick` once and checks that every section produced figures. The
// figures of a quick run are too noisy to judge, so no test compares timings. Size is
// deterministic, so the size budget is checked here and CI enforces it.
describe("npm run bench --quick", () => {
  let workDir: string;
  let results: BenchResults;
  let stdout: string;
  let stderr: string;
  let exitCode: number;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "recurring-payments-bench-test-"));
    const jsonPath = join(workDir, "results.json");
    const options = { cwd: PROJECT_ROOT, timeout: BENCH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 };
    try {
      const run = await promisify(execFile)(
        "npm",
        ["run", "bench", "--", "--quick", "--json", jsonPath],
        options,
      );
      ({ stdout, stderr } = run);
      exitCode = 0;
    } catch (error) {
      // The bench exits 1 when a section fails or the size budget is exceeded, after writing the
      // JSON, so the tests below can point at the section at fault.
      const failed = error as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof failed.code !== "number") {
        throw error;
      }
      stdout = failed.stdout ?? "";
      stderr = failed.stderr ?? "";
      exitCode = failed.code;
    }
    const json = await readFile(jsonPath, "utf8").catch((error: unknown) => {
      throw new Error(`npm run bench wrote no results; its stderr:\n${stderr}`, { cause: error });
    });
    results = JSON.parse(json) as BenchResults;
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it("reports no failed section", () => {
    expect(results.errors).toEqual({});
  });

  it("exits with status 0", () => {
    expect(exitCode, stderr).toBe(0);
  });

  it("describes the machine", () => {
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(stdout).toContain("## Machine");
  });

  it("times every overhead contender", () => {
    const rows = results.overhead ?? [];
    const contenders = ["fetch", "openapi-fetch", "ky", "axios"];
    for (const operation of ["list", "add", "update"]) {
      const names = rows.filter((row) => row.operation === operation).map((row) => row.contender);
      expect(names).toEqual(expect.arrayContaining([...contenders, `client .${operation}`]));
    }
    for (const row of rows) {
      expect(row.medianOpsPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(row.ratioToFetch)).toBe(true);
      expect(Number.isFinite(row.ratioToOpenapiFetch)).toBe(true);
    }
  });

  it("measures throughput at each concurrency", () => {
    const rows = results.throughput ?? [];
    expect(rows.map((row) => `${row.concurrency} ${row.contender}`)).toEqual([
      "1 fetch",
      "1 client .list",
      "16 fetch",
      "16 client .list",
      "64 fetch",
      "64 client .list",
    ]);
    for (const row of rows) {
      expect(row.medianOpsPerSecond).toBeGreaterThan(0);
      expect(row.p50Ms).toBeGreaterThan(0);
      expect(row.p99Ms).toBeGreaterThanOrEqual(row.p50Ms);
    }
  });

  it("reads the heap for each contender", () => {
    const rows = results.memory ?? [];
    expect(rows.map((row) => row.contender)).toEqual(["client .list", "openapi-fetch"]);
    for (const row of rows) {
      expect(row.baselineHeapBytes).toBeGreaterThan(0);
      expect(row.finalHeapBytes).toBeGreaterThan(0);
    }
  });

  it("times each generation stage", () => {
    const generation = results.generation;
    expect(generation?.medianTotalMs).toBeGreaterThan(0);
    expect(generation?.firstRunMs).toBeGreaterThan(0);
    expect(generation?.stages.map((stage) => stage.stage)).toContain("total");
  });

  it("keeps the client within the size budget", () => {
    const size = results.size;
    expect(size?.client.gzippedBytes).toBeGreaterThan(0);
    expect(size?.openapiFetch.gzippedBytes).toBeGreaterThan(0);
    expect(size?.violations).toEqual([]);
    expect(size?.addedGzippedBytes).toBeLessThanOrEqual(size?.budget.maxAddedGzippedBytes ?? 0);
  });
});
