import { setImmediate as nextTurn } from "node:timers/promises";
import { createClientContender, createOpenapiFetchContender } from "./contenders.js";
import { createMemoryFetch, MEMORY_BASE_URL } from "./fixtures.js";
import type { Contender } from "./harness.js";

export interface MemoryOptions {
  /** Calls made before the first heap reading. */
  baselineCalls: number;
  /** Calls made in all before the second heap reading, baseline calls included. */
  totalCalls: number;
}

export interface MemoryRow {
  contender: string;
  baselineCalls: number;
  totalCalls: number;
  /** `heapUsed` in bytes, once forced garbage collections stop freeing memory. */
  baselineHeapBytes: number;
  finalHeapBytes: number;
  growthBytes: number;
}

type GarbageCollector = () => void;

function requireGc(): GarbageCollector {
  const gc = (globalThis as { gc?: GarbageCollector }).gc;
  if (gc === undefined) {
    throw new Error(
      "the memory section needs a forced garbage collection: run it with node --expose-gc (npm run bench does)",
    );
  }
  return gc;
}

const MAX_COLLECTIONS = 20;
const SETTLED_DELTA_BYTES = 64 * 1024;

/**
 * Returns `heapUsed` once forced collections stop freeing memory. One collection is not enough:
 * undici's `Request` releases the signal it follows from a FinalizationRegistry callback, which
 * runs after the collection, so each chain of copied requests takes several rounds to free.
 */
async function settledHeapUsed(gc: GarbageCollector): Promise<number> {
  let previous = Number.POSITIVE_INFINITY;
  for (let collection = 0; collection < MAX_COLLECTIONS; collection += 1) {
    gc();
    await nextTurn();
    const heapUsed = process.memoryUsage().heapUsed;
    if (Math.abs(previous - heapUsed) < SETTLED_DELTA_BYTES) {
      return heapUsed;
    }
    previous = heapUsed;
  }
  return previous;
}

async function callRepeatedly(contender: Contender, calls: number): Promise<void> {
  for (let i = 0; i < calls; i += 1) {
    await contender.call();
  }
}

/** Compares the heap after `baselineCalls` and after `totalCalls` sequential `list` calls. */
export async function runMemory(options: MemoryOptions): Promise<MemoryRow[]> {
  const gc = requireGc();
  const rows: MemoryRow[] = [];
  const createContenders = [createClientContender, createOpenapiFetchContender];

  for (const createContender of createContenders) {
    const transport = { fetch: createMemoryFetch().fetch, baseUrl: MEMORY_BASE_URL };
    const contender = createContender("list", transport);

    await callRepeatedly(contender, options.baselineCalls);
    const baselineHeapBytes = await settledHeapUsed(gc);
    await callRepeatedly(contender, options.totalCalls - options.baselineCalls);
    const finalHeapBytes = await settledHeapUsed(gc);

    rows.push({
      contender: contender.name,
      baselineCalls: options.baselineCalls,
      totalCalls: options.totalCalls,
      baselineHeapBytes,
      finalHeapBytes,
      growthBytes: finalHeapBytes - baselineHeapBytes,
    });
  }

  return rows;
}
