import { cpus, loadavg } from "node:os";
import type { GenerationResult } from "./generation.js";
import type { MemoryRow } from "./memory.js";
import type { OverheadRow } from "./overhead.js";
import type { SizeResult } from "./size.js";
import type { ThroughputRow } from "./throughput.js";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  date: string;
  /** One-minute load average when the run started; above 0 means other work shared the CPUs. */
  loadAverage: number;
}

/** Describes this machine. On Linux, `os.cpus()` reads the CPU model from /proc/cpuinfo. */
export function describeMachine(): MachineInfo {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? "unknown",
    cores: processors.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    loadAverage: loadavg()[0] ?? 0,
  };
}

/** Formats rows as a GitHub-flavoured Markdown table with numeric columns right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const numeric = headers.map((_, column) =>
    rows.every((row) => /^[-+]?[\d,.]+( ?[%x])?$/.test(row[column] ?? "")),
  );
  const lines = [
    `| ${headers.join(" | ")} |`,
    `|${numeric.map((isNumeric) => (isNumeric ? " ---: " : " --- ")).join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
  return lines.join("\n");
}

function formatInteger(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function formatDecimal(value: number, digits: number): string {
  return value.toFixed(digits);
}

export function formatMachine(machine: MachineInfo): string {
  return formatTable(
    ["CPU", "cores", "Node", "platform", "date", "load average at start"],
    [
      [
        machine.cpuModel,
        String(machine.cores),
        machine.node,
        machine.platform,
        machine.date,
        formatDecimal(machine.loadAverage, 2),
      ],
    ],
  );
}

export function formatOverhead(rows: readonly OverheadRow[]): string {
  return formatTable(
    [
      "operation",
      "contender",
      "ops/s (median)",
      "µs/call",
      "vs fetch",
      "vs openapi-fetch",
      "spread",
    ],
    rows.map((row) => [
      row.operation,
      row.contender,
      formatInteger(row.medianOpsPerSecond),
      formatDecimal(row.medianMicrosPerCall, 1),
      formatDecimal(row.ratioToFetch, 2),
      formatDecimal(row.ratioToOpenapiFetch, 2),
      `${Math.round(row.roundSpread * 100)}%`,
    ]),
  );
}

export function formatThroughput(rows: readonly ThroughputRow[]): string {
  return formatTable(
    ["concurrency", "contender", "ops/s (median)", "p50 ms", "p99 ms", "vs fetch"],
    rows.map((row) => [
      String(row.concurrency),
      row.contender,
      formatInteger(row.medianOpsPerSecond),
      formatDecimal(row.p50Ms, 2),
      formatDecimal(row.p99Ms, 2),
      formatDecimal(row.ratioToFetch, 2),
    ]),
  );
}

export function formatSize(result: SizeResult): string {
  const table = formatTable(
    ["app", "minified bytes", "min+gzip bytes", "lazy minified bytes", "lazy min+gzip bytes"],
    [
      ...[result.openapiFetch, result.client].map((bundle) => [
        bundle.app,
        formatInteger(bundle.minifiedBytes),
        formatInteger(bundle.gzippedBytes),
        formatInteger(bundle.lazyMinifiedBytes),
        formatInteger(bundle.lazyGzippedBytes),
      ]),
      [
        "added by the client",
        formatInteger(result.addedMinifiedBytes),
        formatInteger(result.addedGzippedBytes),
        formatInteger(result.client.lazyMinifiedBytes - result.openapiFetch.lazyMinifiedBytes),
        formatInteger(result.client.lazyGzippedBytes - result.openapiFetch.lazyGzippedBytes),
      ],
    ],
  );
  const note =
    "Loaded at start: the entry file and the chunks it imports statically, each gzipped on its " +
    "own. Lazy: chunks behind a dynamic import(), not loaded by this app.";
  const { maxAddedGzippedBytes, targetAddedGzippedBytes } = result.budget;
  const budget =
    result.violations.length === 0
      ? `Budget (enforced): at most ${maxAddedGzippedBytes} bytes min+gzip added, holds.`
      : `Budget exceeded: ${result.violations.join("; ")}.`;
  const excess = result.addedGzippedBytes - targetAddedGzippedBytes;
  const target =
    excess <= 0
      ? `Target: at most ${targetAddedGzippedBytes} bytes added, met.`
      : `Target: at most ${targetAddedGzippedBytes} bytes added, missed by ${excess} bytes.`;
  return `${table}\n\n${note}\n${budget}\n${target}`;
}

export function formatGeneration(result: GenerationResult): string {
  const table = formatTable(
    ["stage", `median ms (${result.runs} runs)`],
    [
      ...result.stages.map((stage) => [stage.stage, formatDecimal(stage.medianMs, 1)]),
      ["whole `npm run generate`", formatDecimal(result.medianTotalMs, 1)],
    ],
  );
  const firstRun =
    "The run before these started with an empty cache of compiled scripts and took " +
    `${formatDecimal(result.firstRunMs, 1)} ms, compiling the pipeline included.`;
  return `${table}\n\n${firstRun}`;
}

export function formatMemory(rows: readonly MemoryRow[]): string {
  const toMegabytes = (bytes: number) => formatDecimal(bytes / 1e6, 2);
  return formatTable(
    [
      "contender",
      "heap MB after baseline",
      "heap MB after total",
      "calls (baseline → total)",
      "growth MB",
    ],
    rows.map((row) => [
      row.contender,
      toMegabytes(row.baselineHeapBytes),
      toMegabytes(row.finalHeapBytes),
      `${formatInteger(row.baselineCalls)} → ${formatInteger(row.totalCalls)}`,
      toMegabytes(row.growthBytes),
    ]),
  );
}
