/**
 * Downloads the vendor pages listed in `openapi/sources.json` into `openapi/pages/`, regenerates
 * `generated/`, prints what changed in the spec and records it in a changeset.
 *
 * Usage: `npm run spec:sync [-- --sources FILE] [--base-url ORIGIN] [--prune] [--timeout-ms MS]
 * [--max-bytes BYTES]`. The environment variables SPEC_SYNC_SOURCES and SPEC_SYNC_BASE_URL set
 * the first two options.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_OPTIONS, type GenerateOptions, generate, OUTPUT_FILES } from "./generate.js";
import { createSpecChangeset } from "./pipeline/changeset.js";
import { parseCommandLine, resolveArgumentPath, runAsScript } from "./pipeline/command-line.js";
import type { SpecDiff } from "./pipeline/diff.js";
import {
  DEFAULT_DOWNLOAD_OPTIONS,
  type DownloadOptions,
  downloadPage,
} from "./pipeline/download.js";
import { PipelineError } from "./pipeline/errors.js";
import { type FileChange, replaceFiles } from "./pipeline/replace-files.js";
import { readSources, type Source } from "./pipeline/sources.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface SyncOptions extends Omit<GenerateOptions, "basePath"> {
  /** JSON file that lists the page URLs. */
  sourcesPath: string;
  /** Replaces the scheme, host and port of every listed URL, for tests and mirrors. */
  baseUrl?: string;
  /** Delete pages in `pagesDir` that the sources file does not list, instead of failing. */
  prune?: boolean;
  download: DownloadOptions;
  /** Directory that receives a changeset when the spec changed. */
  changesetDir: string;
  /** package.json whose `name` the changeset names. */
  packageJsonPath: string;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  ...DEFAULT_OPTIONS,
  sourcesPath: join(ROOT, "openapi/sources.json"),
  download: DEFAULT_DOWNLOAD_OPTIONS,
  changesetDir: join(ROOT, ".changeset"),
  packageJsonPath: join(ROOT, "package.json"),
};

export interface SyncResult {
  /** Page files written, in the order of the sources file. */
  pages: string[];
  /** Unlisted page files deleted with `prune`. */
  removed: string[];
  /** Comparison with the previous `openapi.yaml`, or undefined when there was none. */
  diff: SpecDiff | undefined;
  /** Changeset written for the spec change, or undefined when the spec did not change. */
  changesetPath: string | undefined;
}

/**
 * Downloads every listed page, runs the pipeline on them and, only when every download and
 * every stage succeeded, replaces the pages and the pipeline's outputs.
 *
 * Note: all pages are downloaded and generated into a temporary directory first. On success each
 * file is copied next to its target and renamed over it, so a reader never sees a half-written
 * file. A failure before that point leaves `pagesDir` and `outDir` untouched.
 *
 * @throws PipelineError naming the page and the reason when a download or a stage fails, or
 *   when `pagesDir` contains a page that the sources file does not list and `prune` is off.
 */
export async function syncSpec(options: SyncOptions): Promise<SyncResult> {
  const log = options.log ?? (() => {});
  const sources = await readSources(options.sourcesPath, options.baseUrl);
  const unlisted = await findUnlistedPages(options.pagesDir, sources);
  // Note: a page that is no longer listed would keep its operations in the client although the
  // sources file no longer names it, so the run stops unless `prune` requests its deletion.
  if (unlisted.length > 0 && options.prune !== true) {
    throw new PipelineError(
      `${unlisted.join(", ")} in ${options.pagesDir} not listed in ${options.sourcesPath}; ` +
        "add the page URL to the sources file, or run again with --prune to delete the page.",
    );
  }

  const stagingDir = await mkdtemp(join(tmpdir(), "recurring-payments-sync-"));
  try {
    const stagedPages = join(stagingDir, "pages");
    const stagedOut = join(stagingDir, "generated");
    await mkdir(stagedPages);
    await downloadAll(sources, stagedPages, options.download, log);

    let diff: SpecDiff | undefined;
    try {
      ({ diff } = await generate({
        ...options,
        pagesDir: stagedPages,
        outDir: stagedOut,
        basePath: join(options.outDir, "openapi.yaml"),
      }));
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      throw new PipelineError(
        `The downloaded pages failed the pipeline, so ${options.pagesDir} and ${options.outDir} ` +
          `are unchanged.\n${error.message}${describeFailingPage(error.message, sources)}`,
        { cause: error },
      );
    }

    // The pages, the outputs, the deletions and the changeset change together or not at all, so
    // that a failed run cannot leave a new spec without the changeset that records its bump.
    const changeset = createSpecChangeset({
      changesetDir: options.changesetDir,
      packageName: await readPackageName(options.packageJsonPath),
      diff: diff ?? { bump: "none", changes: [] },
    });
    const changes: FileChange[] = [
      ...(await readStaged(
        stagedPages,
        sources.map((source) => source.file),
        options.pagesDir,
      )),
      ...(await readStaged(stagedOut, OUTPUT_FILES, options.outDir)),
      ...unlisted.map((page) => ({ path: join(options.pagesDir, page), delete: true as const })),
    ];
    if (changeset !== undefined) {
      // Exclusive, so an existing changeset of the same second is kept, not overwritten.
      changes.push({ path: changeset.path, contents: changeset.text, exclusive: true });
    }
    await replaceFiles(changes);
    for (const page of unlisted) log(`removed  ${page} (not listed in the sources file)`);
    if (changeset !== undefined) log(`changeset written to ${changeset.path}`);
    const pages = sources.map((source) => source.file);
    return { pages, removed: unlisted, diff, changesetPath: changeset?.path };
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

/** Downloads every page in parallel, and fails with every failing page when any fails. */
async function downloadAll(
  sources: readonly Source[],
  dir: string,
  download: DownloadOptions,
  log: (line: string) => void,
): Promise<void> {
  const results = await Promise.allSettled(
    sources.map(async (source) => {
      const body = await downloadPage(source.downloadUrl, download);
      await writeFile(join(dir, source.file), body);
      log(`fetched  ${source.file} (${body.byteLength} bytes) from ${source.downloadUrl}`);
    }),
  );
  const failures = results.flatMap((result, index) =>
    result.status === "rejected" ? [`  ${sources[index]?.file}: ${reasonOf(result.reason)}`] : [],
  );
  if (failures.length > 0) {
    throw new PipelineError(
      `Download failed, so the pages and generated files are unchanged:\n${failures.join("\n")}`,
    );
  }
}

/** Lists the `*.md` files of `pagesDir` that no source stores. */
async function findUnlistedPages(pagesDir: string, sources: readonly Source[]): Promise<string[]> {
  const listed = new Set(sources.map((source) => source.file));
  let names: string[];
  try {
    names = await readdir(pagesDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.filter((name) => name.endsWith(".md") && !listed.has(name)).sort();
}

/** Reads the staged files `names` of `stagedDir` as changes of the same names in `targetDir`. */
async function readStaged(
  stagedDir: string,
  names: readonly string[],
  targetDir: string,
): Promise<FileChange[]> {
  return Promise.all(
    names.map(async (name) => ({
      path: join(targetDir, name),
      contents: await readFile(join(stagedDir, name)),
    })),
  );
}

/** Names the URL of the page that a pipeline message starts with, such as `a.md:12: ...`. */
function describeFailingPage(message: string, sources: readonly Source[]): string {
  const source = sources.find((s) => message.includes(`${s.file}:`));
  return source === undefined
    ? ""
    : `\nPage ${source.file} was downloaded from ${source.downloadUrl}.`;
}

async function readPackageName(path: string): Promise<string> {
  const parsed = JSON.parse(await readFile(path, "utf8")) as { name?: unknown };
  if (typeof parsed.name !== "string") throw new PipelineError(`${path}: no "name" string.`);
  return parsed.name;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  const values = parseCommandLine(
    {
      sources: { type: "string" },
      "base-url": { type: "string" },
      prune: { type: "boolean", default: false },
      "timeout-ms": { type: "string" },
      "max-bytes": { type: "string" },
    },
    "npm run spec:sync [-- --sources FILE] [--base-url ORIGIN] [--prune] [--timeout-ms MS] " +
      "[--max-bytes BYTES]",
  );
  // An environment variable that is set but empty counts as unset.
  const sources = values.sources ?? (process.env.SPEC_SYNC_SOURCES || undefined);
  const options: SyncOptions = {
    ...DEFAULT_SYNC_OPTIONS,
    sourcesPath:
      sources === undefined ? DEFAULT_SYNC_OPTIONS.sourcesPath : resolveArgumentPath(sources),
    baseUrl: values["base-url"] ?? (process.env.SPEC_SYNC_BASE_URL || undefined),
    prune: values.prune,
    download: {
      timeoutMs: positiveInteger(
        values["timeout-ms"],
        "--timeout-ms",
        DEFAULT_DOWNLOAD_OPTIONS.timeoutMs,
      ),
      maxBytes: positiveInteger(
        values["max-bytes"],
        "--max-bytes",
        DEFAULT_DOWNLOAD_OPTIONS.maxBytes,
      ),
    },
    log: (line) => console.log(line),
  };
  const result = await syncSpec(options);
  console.log(
    `spec:sync: ${result.pages.length} page(s) stored in ${relative(process.cwd(), options.pagesDir) || "."}.`,
  );
}

function positiveInteger(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new PipelineError(`${option} must be a positive integer, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

runAsScript(import.meta.url, "spec:sync", main);
