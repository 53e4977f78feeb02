import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createClientContender, createFetchContender, type Transport } from "./contenders.js";
import { type Contender, median, pairedRatio, percentile } from "./harness.js";

export interface ThroughputOptions {
  concurrencies: readonly number[];
  rounds: number;
  requestsPerBatch: number;
}

export interface ThroughputRow {
  concurrency: number;
  contender: string;
  medianOpsPerSecond: number;
  /** Latency percentiles in milliseconds, over the requests of all rounds together. */
  p50Ms: number;
  p99Ms: number;
  /** Median over rounds of this contender's ops/s divided by bare `fetch`'s in the same round. */
  ratioToFetch: number;
  roundOpsPerSecond: number[];
}

const SERVER_START_TIMEOUT_MS = 10_000;
const SERVER_STOP_TIMEOUT_MS = 5_000;

/** Starts the loopback server in a child process and returns it with its port. */
async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL("./loopback-server.ts", import.meta.url));
  const child = fork(script, [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const timeout = AbortSignal.timeout(SERVER_START_TIMEOUT_MS);
  try {
    const [message] = (await once(child, "message", { signal: timeout })) as [{ port: number }];
    return { child, port: message.port };
  } catch (error) {
    child.kill();
    throw new Error(
      `loopback server did not report its port within ${SERVER_START_TIMEOUT_MS} ms`,
      { cause: error },
    );
  }
}

/** Disconnects from the server process so that it exits, and kills it if it does not exit. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return;
  }
  const exited = once(child, "exit", { signal: AbortSignal.timeout(SERVER_STOP_TIMEOUT_MS) });
  child.disconnect();
  try {
    await exited;
  } catch {
    child.kill();
  }
}

/** Sends `total` requests from `concurrency` workers; returns the elapsed ms and each latency. */
async function runBatch(
  contender: Contender,
  concurrency: number,
  total: number,
): Promise<{ elapsedMs: number; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  let started = 0;

  const worker = async (): Promise<void> => {
    while (started < total) {
      started += 1;
      const start = performance.now();
      await contender.call();
      latenciesMs.push(performance.now() - start);
    }
  };

  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { elapsedMs: performance.now() - start, latenciesMs };
}

/**
 * Measures bare `fetch` and this client's `customerTokens.list` over loopback HTTP, alternating
 * the two contenders batch by batch at each concurrency.
 */
export async function runThroughput(options: ThroughputOptions): Promise<ThroughputRow[]> {
  const { child, port } = await startServer();
  const transport: Transport = { fetch: globalThis.fetch, baseUrl: `http://127.0.0.1:${port}` };
  const contenders = [
    createFetchContender("list", transport),
    createClientContender("list", transport),
  ];
  const rows: ThroughputRow[] = [];

  try {
    for (const concurrency of options.concurrencies) {
      // Untimed batch per contender: opens the keep-alive connections and warms the JIT.
      for (const contender of contenders) {
        await runBatch(contender, concurrency, Math.max(concurrency * 4, 100));
      }

      const roundOps = contenders.map(() => [] as number[]);
      const latencies = contenders.map(() => [] as number[]);
      for (let round = 0; round < options.rounds; round += 1) {
        for (let offset = 0; offset < contenders.length; offset += 1) {
          const index = (round + offset) % contenders.length;
          const contender = contenders[index] as Contender;
          const batch = await runBatch(contender, concurrency, options.requestsPerBatch);
          roundOps[index]?.push((options.requestsPerBatch * 1000) / batch.elapsedMs);
          latencies[index]?.push(...batch.latenciesMs);
        }
      }

      const fetchRounds = roundOps[0] ?? [];
      contenders.forEach((contender, index) => {
        const ops = roundOps[index] ?? [];
        const latenciesMs = latencies[index] ?? [];
        rows.push({
          concurrency,
          contender: contender.name,
          medianOpsPerSecond: median(ops),
          p50Ms: percentile(latenciesMs, 50),
          p99Ms: percentile(latenciesMs, 99),
          ratioToFetch: pairedRatio(ops, fetchRounds),
          roundOpsPerSecond: ops,
        });
      });
    }
  } finally {
    await stopServer(child);
  }

  return rows;
}
