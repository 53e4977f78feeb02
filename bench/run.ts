/**
 * Benchmarks the client against bare `fetch`, openapi-fetch, ky and axios and prints Markdown
 * tables: per-call overhead in memory, loopback throughput, bundle size, generation time and heap
 * growth. Run it with `npm run bench`, which starts Node with --expose-gc for the memory section.
 *
 *   npm run bench -- --quick                 a few iterations per section, for CI
 *   npm run bench -- --only overhead,size    only the named sections
 *   npm run bench -- --json results.json     also write every figure as JSON
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type GenerationResult, runGeneration } from "./generation.js";
import type { InterleavedOptions } from "./harness.js";
import { type MemoryOptions, type MemoryRow, runMemory } from "./memory.js";
import { type OverheadRow, runOverhead } from "./overhead.js";
import {
  describeMachine,
  formatGeneration,
  formatMachine,
  formatMemory,
  formatOverhead,
  formatSize,
  formatThroughput,
  type MachineInfo,
} from "./report.js";
import { runSize, type SizeResult } from "./size.js";
import { runThroughput, type ThroughputOptions, type ThroughputRow } from "./throughput.js";

interface Settings {
  overhead: InterleavedOptions;
  throughput: ThroughputOptions;
  generationRuns: number;
  memory: MemoryOptions;
}

const FULL: Settings = {
  // Many short batches: a batch lasts tens of milliseconds, so the contenders paired in one round
  // see nearly the same machine load, which matters on a shared machine.
  overhead: { rounds: 30, callsPerBatch: 500, warmupCalls: 2_000 },
  throughput: { concurrencies: [1, 16, 64], rounds: 5, requestsPerBatch: 2_000 },
  generationRuns: 11,
  memory: { baselineCalls: 1_000, totalCalls: 100_000 },
};

// Enough to run every code path and produce numbers, but far too few calls to compare figures.
const QUICK: Settings = {
  overhead: { rounds: 2, callsPerBatch: 20, warmupCalls: 5 },
  throughput: { concurrencies: [1, 16, 64], rounds: 1, requestsPerBatch: 128 },
  generationRuns: 1,
  memory: { baselineCalls: 100, totalCalls: 500 },
};

const SECTIONS = ["size", "overhead", "throughput", "memory", "generation"] as const;
type Section = (typeof SECTIONS)[number];

export interface BenchResults {
  machine: MachineInfo;
  command: string;
  quick: boolean;
  size?: SizeResult;
  overhead?: OverheadRow[];
  throughput?: ThroughputRow[];
  memory?: MemoryRow[];
  generation?: GenerationResult;
  /** Error message of each section that failed, by section name. */
  errors: Partial<Record<Section, string>>;
}

function parseSections(list: string | undefined): Section[] {
  if (list === undefined) {
    return [...SECTIONS];
  }
  const names = list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(SECTIONS as readonly string[]).includes(name)) {
      throw new Error(
        `unknown section "${name}" in --only; expected some of: ${SECTIONS.join(", ")}`,
      );
    }
  }
  return names as Section[];
}

async function runSection(
  results: BenchResults,
  section: Section,
  settings: Settings,
): Promise<string> {
  switch (section) {
    case "size":
      results.size = await runSize();
      return formatSize(results.size);
    case "overhead":
      results.overhead = await runOverhead(settings.overhead);
      return formatOverhead(results.overhead);
    case "throughput":
      results.throughput = await runThroughput(settings.throughput);
      return formatThroughput(results.throughput);
    case "memory":
      results.memory = await runMemory(settings.memory);
      return formatMemory(results.memory);
    case "generation":
      results.generation = await runGeneration(settings.generationRuns);
      return formatGeneration(results.generation);
  }
}

const TITLES: Record<Section, string> = {
  size: "Size: esbuild, minified and gzipped",
  overhead: "Per-call overhead on an in-memory transport",
  throughput: "Throughput over loopback HTTP (GET list)",
  memory: "Heap growth over repeated list calls",
  generation: "Generation time",
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      json: { type: "string" },
    },
  });
  const quick = values.quick === true;
  const settings = quick ? QUICK : FULL;
  const sections = parseSections(values.only);
  const results: BenchResults = {
    machine: describeMachine(),
    command: [
      "npm run bench",
      ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : []),
    ].join(" "),
    quick,
    errors: {},
  };

  console.log(
    `## Machine\n\n${formatMachine(results.machine)}\n\nCommand: \`${results.command}\`\n`,
  );
  for (const section of sections) {
    try {
      const table = await runSection(results, section, settings);
      console.log(`## ${TITLES[section]}\n\n${table}\n`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.errors[section] = message;
      console.error(`## ${TITLES[section]}\n\nfailed: ${message}\n`);
    }
  }

  if (values.json !== undefined) {
    await writeFile(values.json, `${JSON.stringify(results, null, 2)}\n`);
  }

  const overBudget = (results.size?.violations.length ?? 0) > 0;
  const failed = Object.keys(results.errors).length > 0;
  return overBudget || failed ? 1 : 0;
}

process.exitCode = await main();
