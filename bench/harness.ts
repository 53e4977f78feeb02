import { performance } from "node:perf_hooks";

/** One way of making the call under test. `call` resolves once the response body is parsed. */
export interface Contender {
  name: string;
  call: () => Promise<unknown>;
}

export interface InterleavedOptions {
  rounds: number;
  callsPerBatch: number;
  /** Untimed calls per contender before the first round, so the JIT has compiled each path. */
  warmupCalls: number;
}

export interface ContenderResult {
  name: string;
  /** Calls per second of each round, in round order. */
  roundOpsPerSecond: number[];
  medianOpsPerSecond: number;
  /** Median time per call in microseconds, derived from the median ops/s. */
  medianMicrosPerCall: number;
}

/** Returns the median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Returns the nearest-rank percentile (0 to 100) of a non-empty list of numbers. */
export function percentile(values: readonly number[], rank: number): number {
  if (values.length === 0) {
    throw new RangeError("percentile of an empty list is undefined");
  }
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1),
  );
  return sorted[index] as number;
}

/** Returns the median of `values[i] / baseline[i]`, for two lists of per-round figures. */
export function pairedRatio(values: readonly number[], baseline: readonly number[]): number {
  if (values.length !== baseline.length) {
    throw new RangeError(
      `expected as many rounds as the baseline: ${values.length} vs ${baseline.length}`,
    );
  }
  return median(values.map((value, round) => value / (baseline[round] as number)));
}

/** Returns (max - min) / median of a non-empty list, a rough measure of round-to-round noise. */
export function spread(values: readonly number[]): number {
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

async function runSequentially(contender: Contender, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i += 1) {
    await contender.call();
  }
  return performance.now() - start;
}

/**
 * Times every contender in interleaved rounds. Each round runs one batch of sequential calls per
 * contender, and the starting contender rotates from round to round. Drift in machine load and
 * garbage collection so spreads over all contenders instead of landing on one.
 */
export async function measureInterleaved(
  contenders: readonly Contender[],
  options: InterleavedOptions,
): Promise<ContenderResult[]> {
  for (const contender of contenders) {
    await runSequentially(contender, options.warmupCalls);
  }

  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round += 1) {
    for (let offset = 0; offset < contenders.length; offset += 1) {
      const index = (round + offset) % contenders.length;
      const contender = contenders[index] as Contender;
      const elapsedMs = await runSequentially(contender, options.callsPerBatch);
      samples[index]?.push((options.callsPerBatch * 1000) / elapsedMs);
    }
  }

  return contenders.map((contender, index) => {
    const roundOpsPerSecond = samples[index] ?? [];
    const medianOpsPerSecond = median(roundOpsPerSecond);
    return {
      name: contender.name,
      roundOpsPerSecond,
      medianOpsPerSecond,
      medianMicrosPerCall: 1e6 / medianOpsPerSecond,
    };
  });
}
