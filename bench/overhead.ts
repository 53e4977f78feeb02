import {
  createAxiosContender,
  createClientContender,
  createFetchContender,
  createKyContender,
  createOpenapiFetchContender,
  OPERATIONS,
  type Operation,
  type Transport,
} from "./contenders.js";
import { createMemoryFetch, MEMORY_BASE_URL, TOKEN_COUNT } from "./fixtures.js";
import {
  type Contender,
  type InterleavedOptions,
  measureInterleaved,
  pairedRatio,
  spread,
} from "./harness.js";

export interface OverheadRow {
  operation: Operation;
  contender: string;
  medianOpsPerSecond: number;
  medianMicrosPerCall: number;
  /**
   * Median over rounds of this contender's ops/s divided by bare `fetch`'s ops/s in the same
   * round. Pairing within a round cancels most of the drift in machine load between rounds.
   */
  ratioToFetch: number;
  /** Median over rounds of this contender's ops/s divided by openapi-fetch's in the same round. */
  ratioToOpenapiFetch: number;
  /** Difference between the fastest and slowest round, as a fraction of the median ops/s. */
  roundSpread: number;
  roundOpsPerSecond: number[];
}

/**
 * Calls each contender once and checks that it went through the injected transport and returned
 * every token, so a contender that skipped the transport or misread the payload is not timed.
 */
async function verifyContender(
  contender: Contender,
  requestCount: () => number,
  operation: Operation,
): Promise<void> {
  const before = requestCount();
  const tokens = await contender.call();
  if (requestCount() !== before + 1) {
    throw new Error(
      `${contender.name} (${operation}) sent ${requestCount() - before} requests through the injected fetch, expected 1`,
    );
  }
  if (!Array.isArray(tokens) || tokens.length !== TOKEN_COUNT) {
    throw new Error(
      `${contender.name} (${operation}) returned ${JSON.stringify(tokens)}, expected an array of ${TOKEN_COUNT} tokens`,
    );
  }
}

/** Measures per-call overhead of every contender on one in-memory transport, per operation. */
export async function runOverhead(options: InterleavedOptions): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];

  for (const operation of OPERATIONS) {
    const memory = createMemoryFetch();
    const transport: Transport = { fetch: memory.fetch, baseUrl: MEMORY_BASE_URL };
    const contenders = [
      createFetchContender(operation, transport),
      createOpenapiFetchContender(operation, transport),
      createClientContender(operation, transport),
      createKyContender(operation, transport),
      createAxiosContender(operation, transport),
    ];
    for (const contender of contenders) {
      await verifyContender(contender, memory.requestCount, operation);
    }

    const results = await measureInterleaved(contenders, options);
    const fetchRounds = results[0]?.roundOpsPerSecond ?? [];
    const openapiFetchRounds = results[1]?.roundOpsPerSecond ?? [];
    for (const result of results) {
      rows.push({
        operation,
        contender: result.name,
        medianOpsPerSecond: result.medianOpsPerSecond,
        medianMicrosPerCall: result.medianMicrosPerCall,
        ratioToFetch: pairedRatio(result.roundOpsPerSecond, fetchRounds),
        ratioToOpenapiFetch: pairedRatio(result.roundOpsPerSecond, openapiFetchRounds),
        roundSpread: spread(result.roundOpsPerSecond),
        roundOpsPerSecond: result.roundOpsPerSecond,
      });
    }
  }

  return rows;
}
