import { readFile } from "node:fs/promises";
import { PipelineError } from "./errors.js";
import { isPlainObject } from "./extract.js";

/** A vendor page to download, and the file it is stored in. */
export interface Source {
  /** Page URL as listed in the sources file, without `.md`. */
  url: string;
  /** URL that is downloaded: `url` with `.md` appended, after any base URL override. */
  downloadUrl: string;
  /** File name in the pages directory: the last path segment of `url` plus `.md`. */
  file: string;
}

/**
 * Reads a sources file (`{"pages": ["https://..."]}`) and returns one source a page.
 * `baseUrl`, when given, replaces the scheme, host and port of every URL, so tests can point
 * the download at a loopback server.
 *
 * @throws PipelineError when the file is not valid JSON, a URL is invalid or not http(s), or
 *   two URLs map to the same file name.
 */
export async function readSources(path: string, baseUrl?: string): Promise<Source[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineError(`Cannot read sources file ${path}: ${reason}`, { cause: error });
  }
  if (!isPlainObject(parsed) || !Array.isArray(parsed.pages) || parsed.pages.length === 0) {
    throw new PipelineError(`${path}: expected {"pages": [URL, ...]} with at least one URL.`);
  }

  if (baseUrl !== undefined) checkBaseUrl(baseUrl);
  const byFile = new Map<string, string>();
  const sources: Source[] = [];
  for (const entry of parsed.pages) {
    const source = toSource(entry, path, baseUrl);
    const known = byFile.get(source.file);
    if (known !== undefined) {
      throw new PipelineError(
        `${path}: ${known} and ${source.url} would both be stored as ${source.file}; ` +
          "list each page once.",
      );
    }
    byFile.set(source.file, source.url);
    sources.push(source);
  }
  return sources;
}

/** Rejects a base URL that is more than an http(s) origin, because only the origin is replaced. */
function checkBaseUrl(baseUrl: string): void {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  const isOrigin =
    url !== undefined &&
    (url.protocol === "http:" || url.protocol === "https:") &&
    url.pathname === "/" &&
    url.search === "" &&
    url.hash === "" &&
    url.username === "" &&
    url.password === "";
  if (!isOrigin) {
    throw new PipelineError(
      `Base URL ${JSON.stringify(baseUrl)} is invalid; pass an http(s) origin such as ` +
        "http://127.0.0.1:8080, with no path, because each page keeps the path from the sources file.",
    );
  }
}

function toSource(entry: unknown, path: string, baseUrl: string | undefined): Source {
  let url: URL;
  try {
    url = new URL(String(entry));
  } catch {
    throw new PipelineError(`${path}: invalid page URL ${JSON.stringify(entry)}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new PipelineError(`${path}: page URL ${url.href} must use http or https.`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new PipelineError(`${path}: page URL ${url.href} must have no query or fragment.`);
  }
  const pathname = url.pathname.replace(/\/+$/, "").replace(/\.md$/, "");
  const name = decodeURIComponent(pathname.split("/").at(-1) ?? "");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new PipelineError(
      `${path}: page URL ${url.href} must end in a path segment of letters, digits, ".", "_" ` +
        'or "-", which names the stored page.',
    );
  }

  const download = new URL(`${pathname}.md`, baseUrl ?? url.origin);
  return { url: `${url.origin}${pathname}`, downloadUrl: download.href, file: `${name}.md` };
}
