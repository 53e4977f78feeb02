import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { PipelineError } from "./errors.js";
import { isPlainObject } from "./extract.js";
import { runRedoclyCli } from "./redocly-cli.js";

const DIFF_CONFIG = fileURLToPath(new URL("./diff-config.yaml", import.meta.url));

/** Semver level that a spec change requires of the package version, lowest first. */
export const BUMP_LEVELS = ["none", "patch", "minor", "major"] as const;
export type BumpLevel = (typeof BUMP_LEVELS)[number];

/** One change of `redocly diff --format json` (only the fields read here). */
export interface DiffChange {
  /** JSON pointer of the change, in the revision for additions and in the base otherwise. */
  path: string;
  /** OpenAPI node type, such as `Operation`, `Schema` or `Parameter`. */
  typeName: string;
  /** `added`, `removed` or `changed`. */
  kind: string;
  impact: Exclude<BumpLevel, "none">;
  verdicts: { ruleId: string; impact: string; message: string }[];
  base?: { pointer: string };
  revision?: { pointer: string };
}

/** Result of comparing two API descriptions. */
export interface SpecDiff {
  /** Highest impact among the changes, or `none` when nothing changed. */
  bump: BumpLevel;
  changes: DiffChange[];
}

interface DiffReport {
  bump?: BumpLevel;
  changes?: DiffChange[];
}

/**
 * Compares two OpenAPI files with `redocly diff` (Redocly CLI 2.77, marked experimental there),
 * which rates each change by the semver bump that it requires of a client.
 *
 * Note: the diff runs the CLI as a child process, because openapi-core exports no diff
 * function.
 *
 * @throws PipelineError when the CLI fails or writes no report.
 */
export async function diffSpecs(basePath: string, revisionPath: string): Promise<SpecDiff> {
  const dir = await mkdtemp(join(tmpdir(), "recurring-payments-diff-"));
  const reportPath = join(dir, "diff.json");
  try {
    await runRedoclyCli([
      "diff",
      basePath,
      revisionPath,
      "--format",
      "json",
      "--output",
      reportPath,
      "--fail-on",
      "none",
      "--config",
      DIFF_CONFIG,
    ]);
    let report: DiffReport;
    try {
      report = JSON.parse(await readFile(reportPath, "utf8")) as DiffReport;
    } catch (error) {
      throw new PipelineError(`redocly diff wrote no JSON report for ${revisionPath}.`, {
        cause: error,
      });
    }
    return { bump: report.bump ?? "none", changes: report.changes ?? [] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Compares two spec files like {@link diffSpecs}, but returns "no change" without starting the
 * CLI when the files are byte-identical, or undefined when the base file does not exist.
 *
 * Note: `redocly diff` costs a Node process start of most of a second, so a regeneration
 * without spec changes stays fast.
 */
export async function compareSpecFiles(
  basePath: string,
  revisionPath: string,
): Promise<SpecDiff | undefined> {
  let baseText: string;
  try {
    baseText = await readFile(basePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (baseText === (await readFile(revisionPath, "utf8"))) return { bump: "none", changes: [] };
  if (!looksLikeOpenApi3(baseText)) {
    throw new PipelineError(
      `The base spec ${basePath} is not an OpenAPI 3 document, so it cannot be compared. ` +
        "Pass --base with the openapi.yaml of an earlier run, or restore that file.",
    );
  }
  return diffSpecs(basePath, revisionPath);
}

/** Checks that `text` parses as YAML with an `openapi` field of version 3. */
function looksLikeOpenApi3(text: string): boolean {
  try {
    const document: unknown = parse(text);
    return isPlainObject(document) && /^3\./.test(String(document.openapi));
  } catch {
    return false;
  }
}

/** Returns true when `level` is at least `required`. */
export function coversBump(level: BumpLevel, required: BumpLevel): boolean {
  return BUMP_LEVELS.indexOf(level) >= BUMP_LEVELS.indexOf(required);
}

/**
 * Returns the level of the change from version `from` to version `to`: the first of major, minor
 * and patch that differs, or `none` for the same version.
 *
 * @throws PipelineError on a version that is not MAJOR.MINOR.PATCH, or when `to` is lower.
 */
export function versionBump(from: string, to: string): BumpLevel {
  const a = parseSemver(from);
  const b = parseSemver(to);
  for (let index = 0; index < 3; index++) {
    const before = a[index] ?? 0;
    const after = b[index] ?? 0;
    if (after > before) return BUMP_LEVELS[3 - index] ?? "none";
    if (after < before) {
      throw new PipelineError(`Version ${to} is lower than the released version ${from}.`);
    }
  }
  return "none";
}

function parseSemver(version: string): number[] {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (match === null) {
    throw new PipelineError(
      `Invalid version ${JSON.stringify(version)}; expected MAJOR.MINOR.PATCH.`,
    );
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
