/**
 * Builds the HTML API reference from the bundled spec: `docs/api/index.html`, one file that
 * renders without network access.
 *
 * Usage: `npm run docs [-- --spec FILE] [--output FILE]`.
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine, resolveArgumentPath, runAsScript } from "./pipeline/command-line.js";
import { buildDocs } from "./pipeline/docs.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export const DEFAULT_DOCS_OPTIONS = {
  specPath: join(ROOT, "generated/openapi.yaml"),
  outputPath: join(ROOT, "docs/api/index.html"),
  configPath: join(ROOT, "redocly.yaml"),
  title: "Recurring Payments API reference",
};

async function main(): Promise<void> {
  const values = parseCommandLine(
    { spec: { type: "string" }, output: { type: "string" } },
    "npm run docs [-- --spec FILE] [--output FILE]",
  );
  const options = {
    ...DEFAULT_DOCS_OPTIONS,
    specPath:
      values.spec === undefined ? DEFAULT_DOCS_OPTIONS.specPath : resolveArgumentPath(values.spec),
    outputPath:
      values.output === undefined
        ? DEFAULT_DOCS_OPTIONS.outputPath
        : resolveArgumentPath(values.output),
  };
  await buildDocs(options);
  console.log(`docs: wrote ${relative(process.cwd(), options.outputPath)}`);
}

runAsScript(import.meta.url, "docs", main);
