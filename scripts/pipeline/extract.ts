import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { PipelineError } from "./errors.js";

/** One OpenAPI fragment read from a ```json fence of a vendor page. */
export interface Fragment {
  /** File name of the page inside the pages directory. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  document: Record<string, unknown>;
}

/** A fence in another language, left out of the merge on purpose. */
export interface SkippedFence {
  page: string;
  line: number;
  /** First word of the info string, or "" for a fence without one. */
  language: string;
}

export interface Extraction {
  pages: string[];
  fragments: Fragment[];
  skippedFences: SkippedFence[];
}

interface OpenFence {
  marker: string;
  language: string;
  line: number;
  body: string[];
}

// CommonMark fence: up to 3 spaces of indentation, then 3 or more backticks or tildes.
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
// A fence marker after deeper indentation or after block quote or list markers.
const NESTED_FENCE = /^(?:\s|>|[-*+]\s|\d+[.)]\s)+(`{3,}|~{3,})/;

/**
 * Reads every `*.md` page of `pagesDir`, in code-unit order of the file names, and returns the
 * fragments of its ```json fences in page order.
 *
 * Note: fences in other languages (the vendor's example requests, shell snippets, fences
 * without a language) are skipped but returned in `skippedFences`, so the caller can report
 * them. Every fence must still be closed, because an unclosed fence hides the rest of the page.
 *
 * @throws PipelineError when the directory has no page, a page has no JSON fence, a fence is
 *   unclosed, empty, not valid JSON, not an OpenAPI object, or nested in a list or block quote.
 */
export async function extractFragments(pagesDir: string): Promise<Extraction> {
  let entries: Dirent[];
  try {
    entries = await readdir(pagesDir, { withFileTypes: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineError(
      `Cannot read the pages directory ${pagesDir}: ${reason}. ` +
        "Pass a directory of vendor pages (*.md) with --pages-dir.",
      { cause: error },
    );
  }
  const pages = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => entry.name)
    .sort(compareCodeUnits);
  if (pages.length === 0) {
    throw new PipelineError(`No *.md page found in ${pagesDir}.`);
  }

  const extraction: Extraction = { pages, fragments: [], skippedFences: [] };
  for (const page of pages) {
    const text = await readFile(join(pagesDir, page), "utf8");
    const before = extraction.fragments.length;
    extractPage(page, text, extraction);
    if (extraction.fragments.length === before) {
      throw new PipelineError(`${page}: no \`\`\`json fence found; remove the page or add one.`);
    }
  }
  return extraction;
}

/** Appends the fragments and skipped fences of one page to `extraction`. */
export function extractPage(page: string, text: string, extraction: Extraction): void {
  const lines = text.split(/\r?\n/);
  let fence: OpenFence | undefined;

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const lineNumber = index + 1;

    if (fence !== undefined) {
      if (closesFence(line, fence.marker)) {
        collectFence(page, fence, extraction);
        fence = undefined;
      } else {
        fence.body.push(line);
      }
      continue;
    }

    const open = FENCE_OPEN.exec(line);
    if (open !== null) {
      const marker = open[1] ?? "";
      const info = (open[2] ?? "").trim();
      // A backtick fence whose info string contains a backtick is inline code, not a fence.
      if (marker.startsWith("`") && info.includes("`")) {
        continue;
      }
      const language = (info.split(/\s+/)[0] ?? "").toLowerCase();
      fence = { marker, language, line: lineNumber, body: [] };
      continue;
    }

    if (NESTED_FENCE.test(line)) {
      throw new PipelineError(
        `${page}:${lineNumber}: fence inside a list item or block quote, or indented by 4 or ` +
          "more spaces; move it to the top level so the extractor reads it.",
      );
    }
  }

  if (fence !== undefined) {
    throw new PipelineError(
      `${page}:${fence.line}: fence opened with ${fence.marker} is never closed.`,
    );
  }
}

function closesFence(line: string, marker: string): boolean {
  const trimmed = line.replace(/^ {0,3}/, "").trimEnd();
  const char = marker[0] ?? "`";
  return trimmed.length >= marker.length && [...trimmed].every((c) => c === char);
}

function collectFence(page: string, fence: OpenFence, extraction: Extraction): void {
  if (fence.language !== "json") {
    extraction.skippedFences.push({ page, line: fence.line, language: fence.language });
    return;
  }

  const body = fence.body.join("\n");
  if (body.trim() === "") {
    throw new PipelineError(`${page}:${fence.line}: \`\`\`json fence is empty.`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const line = fence.line + 1 + lineOfPosition(body, error);
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineError(`${page}:${line}: invalid JSON in fence: ${reason}`, { cause: error });
  }

  if (!isPlainObject(parsed) || typeof parsed.openapi !== "string") {
    throw new PipelineError(
      `${page}:${fence.line}: \`\`\`json fence is not an OpenAPI document ` +
        '(expected an object with an "openapi" string field).',
    );
  }
  extraction.fragments.push({ page, line: fence.line, document: parsed });
}

/** 0-based line inside `body` of the position that a JSON.parse error names, else the last. */
function lineOfPosition(body: string, error: unknown): number {
  const message = error instanceof Error ? error.message : "";
  const match = /at position (\d+)/.exec(message);
  const position = match === null ? body.length : Number(match[1]);
  return body.slice(0, position).split("\n").length - 1;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sort comparator by UTF-16 code units, independent of the locale. */
export function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
