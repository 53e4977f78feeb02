import type { BundleResult, Config, NormalizedProblem } from "@redocly/openapi-core";
import { PipelineError } from "./errors.js";
import { orderTopLevel } from "./merge.js";

type RedoclyCore = typeof import("@redocly/openapi-core");

let loading: Promise<RedoclyCore> | undefined;

/**
 * Loads Redocly openapi-core once.
 *
 * Note: loaded on first use, not at import time, so `generate` can start the types worker
 * before this thread spends a few hundred milliseconds loading openapi-core.
 */
function loadRedoclyCore(): Promise<RedoclyCore> {
  loading ??= import("@redocly/openapi-core");
  return loading;
}

export interface BundleOptions {
  /** Merged OpenAPI document. */
  document: Record<string, unknown>;
  overlayPath: string;
  /** Redocly configuration, from {@link loadRedoclyConfig}. */
  config: Config;
  /** File name under which bundle problems are reported; nothing is read from or written to it. */
  documentPath: string;
}

export interface BundledDocument {
  document: Record<string, unknown>;
  /** `document` as YAML text. */
  yaml: string;
}

/**
 * Loads a Redocly configuration file and rejects it on any problem, as the CLI does with
 * `--lint-config error`.
 */
export async function loadRedoclyConfig(configPath: string): Promise<Config> {
  const { getLineColLocation, lintConfig, loadConfig } = await loadRedoclyCore();
  let config: Config;
  try {
    config = await loadConfig({ configPath });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineError(`Invalid Redocly config ${configPath}: ${reason}`, { cause: error });
  }
  const problems = (await lintConfig({ config })).filter((problem) => !problem.ignored);
  if (problems.length > 0) {
    throw new PipelineError(
      `Invalid Redocly config ${configPath}:\n${formatProblems(problems, configPath, getLineColLocation)}`,
    );
  }
  return config;
}

/**
 * Applies the overlay to the merged document, bundles it with Redocly openapi-core and returns
 * the bundle, top-level fields in the order of the OpenAPI specification.
 *
 * Note: openapi-core runs in this process, because starting the Redocly CLI took about 0.3 s per
 * call. Versions 2.56 and later of openapi-core apply overlays in `bundle()`. The CLI used before
 * gave the same output except for the order of top-level fields, which `orderTopLevel` restores.
 *
 * @throws PipelineError when the overlay cannot be applied or a component would be renamed.
 */
export async function bundleWithOverlay(options: BundleOptions): Promise<BundledDocument> {
  const { bundle, getLineColLocation, makeDocumentFromString, stringifyYaml } =
    await loadRedoclyCore();
  const doc = makeDocumentFromString(JSON.stringify(options.document), options.documentPath);
  let result: BundleResult;
  try {
    // Renaming conflicts are errors: a bundler that renames a component to `Name-2` changes the
    // generated type names without notice.
    result = await bundle({
      doc,
      config: options.config,
      overlays: [options.overlayPath],
      componentRenamingConflicts: "error",
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineError(`Bundling with overlay ${options.overlayPath} failed: ${reason}`, {
      cause: error,
    });
  }

  const errors = result.problems.filter((p) => p.severity === "error" && !p.ignored);
  if (errors.length > 0) {
    throw new PipelineError(
      `Bundling with overlay ${options.overlayPath} failed:\n` +
        formatProblems(errors, options.documentPath, getLineColLocation),
    );
  }
  const document = orderTopLevel(result.bundle.parsed as Record<string, unknown>);
  return { document, yaml: stringifyYaml(document, { noRefs: true, lineWidth: -1 }) };
}

/**
 * Lints `documentPath` with the rules of `configPath`, or of an already loaded `config`.
 * Problems are reported under `displayName`, because the linted file may be a scratch copy.
 *
 * @throws PipelineError listing every problem when there is any error or warning.
 */
export async function lintDocument(
  documentPath: string,
  configPath: string,
  displayName = documentPath,
  config?: Config,
): Promise<void> {
  const { getLineColLocation, lint } = await loadRedoclyCore();
  const loaded = config ?? (await loadRedoclyConfig(configPath));
  const problems = (await lint({ ref: documentPath, config: loaded })).filter(
    (problem) => !problem.ignored,
  );
  if (problems.length === 0) return;

  const errors = problems.filter((problem) => problem.severity === "error").length;
  const warnings = problems.length - errors;
  throw new PipelineError(
    `Lint found ${errors} error(s) and ${warnings} warning(s); fix them in the overlay or ` +
      `relax the rule with a reason in the Redocly config:\n` +
      formatProblems(problems, displayName, getLineColLocation),
  );
}

/** Formats one problem a line, as `file:line:col severity rule: message`. */
function formatProblems(
  problems: readonly NormalizedProblem[],
  displayName: string,
  getLineColLocation: RedoclyCore["getLineColLocation"],
): string {
  const lines = problems.map((problem) => {
    const location = problem.location[0];
    let where = displayName;
    if (location !== undefined) {
      const position = getLineColLocation(location);
      where = `${displayName}:${position.start.line}:${position.start.col}`;
    }
    return `  ${where} ${problem.severity} ${problem.ruleId}: ${problem.message}`;
  });
  return lines.join("\n");
}
