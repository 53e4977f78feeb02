/**
 * Builds the HTML API reference from the bundled spec: `docs/api/index.html`, one file that
 * renders without network access.
 *
 * Usage: `npm run docs [-- --spec FILE] [--output FILE]`.
 */
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildDocs } from "./pipeline/docs.js";
import { PipelineError } from "./pipeline/errors.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export const DEFAULT_DOCS_OPTIONS = {
  specPath: join(ROOT, "generated/openapi.yaml"),
  outputPath: join(ROOT, "docs/api/index.html"),
  configPath: join(ROOT, "redocly.yaml"),
  title: "Recurring Payments API reference",
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { spec: { type: "string" }, output: { type: "string" } },
  });
  const options = {
    ...DEFAULT_DOCS_OPTIONS,
    specPath: values.spec === undefined ? DEFAULT_DOCS_OPTIONS.specPath : resolve(values.spec),
    outputPath:
      values.output === undefined ? DEFAULT_DOCS_OPTIONS.outputPath : resolve(values.output),
  };
  await buildDocs(options);
  console.log(`docs: wrote ${relative(process.cwd(), options.outputPath)}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof PipelineError ? `docs: ${error.message}` : error);
    process.exitCode = 1;
  });
}
