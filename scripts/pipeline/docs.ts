import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { PipelineError } from "./errors.js";
import { runRedoclyCli } from "./redocly-cli.js";

export interface BuildDocsOptions {
  /** Bundled OpenAPI file, normally `generated/openapi.yaml`. */
  specPath: string;
  /** HTML file to write; its directory is created when missing. */
  outputPath: string;
  configPath: string;
  /** Page title. */
  title: string;
}

/**
 * Content Security Policy of the page: scripts, styles, fonts and images come from the page
 * itself only, so the browser makes no request to another host.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
].join("; ");

// A tag or CSS rule that makes the browser fetch a remote resource when the page opens. Links in
// the text of the inlined scripts (documentation URLs inside the code) do not match.
const REMOTE_RESOURCE =
  /<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\/|@import\s+(?:url\()?["']?(?:https?:)?\/\/|url\(\s*["']?(?:https?:)?\/\//i;

/**
 * Builds a single-file HTML API reference with `redocly build-docs`.
 *
 * Note: `--inlineBundle` embeds the Redoc scripts in the page, because the default loads them
 * from Redocly's CDN. The scripts still show a Redocly logo from that CDN (Redocly CLI 2.77),
 * so the page also gets a Content Security Policy that blocks every other origin. The logo then
 * stays hidden. The "try it" panel cannot call the gateway from this page for the same reason.
 *
 * @throws PipelineError when the CLI fails or the page would load a remote script, style or font.
 */
export async function buildDocs(options: BuildDocsOptions): Promise<void> {
  await mkdir(dirname(options.outputPath), { recursive: true });
  await runRedoclyCli([
    "build-docs",
    options.specPath,
    "--output",
    options.outputPath,
    "--title",
    options.title,
    "--inlineBundle",
    "--config",
    options.configPath,
    "--lint-config",
    "error",
  ]);

  const built = await readFile(options.outputPath, "utf8");
  if (!/<head>/i.test(built)) {
    throw new PipelineError(`${options.outputPath} has no <head> to hold the security policy.`);
  }
  const policy = `<meta http-equiv="Content-Security-Policy" content="${DOCS_CSP}">`;
  const html = built.replace(/<head>/i, (head) => `${head}\n    ${policy}`);
  await writeFile(options.outputPath, html);

  const remote = REMOTE_RESOURCE.exec(html);
  if (remote !== null) {
    throw new PipelineError(
      `${options.outputPath} loads a remote resource (${remote[0]}...). The reference must ` +
        "render without network access.",
    );
  }
}
