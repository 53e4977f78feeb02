import { PipelineError } from "./errors.js";

export interface DownloadOptions {
  /** Time allowed for the whole request, body included, in milliseconds. */
  timeoutMs: number;
  /** Largest accepted body, in bytes. */
  maxBytes: number;
  /** Fetch implementation, injected by tests. Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export const DEFAULT_DOWNLOAD_OPTIONS: DownloadOptions = {
  timeoutMs: 30_000,
  // The Customer Token page is 14 KB; a page a hundred times larger is not a docs page.
  maxBytes: 2 * 1024 * 1024,
};

// Markdown is served as text/markdown by most sites, and as text/plain or text/x-markdown by
// some. Anything else, such as an HTML error page or a login form, is not the page.
const PAGE_CONTENT_TYPES = new Set(["text/markdown", "text/x-markdown", "text/plain"]);

/**
 * Downloads one page and returns its bytes unchanged.
 *
 * Note: redirects are not followed, so a moved page fails here instead of fetching from a host
 * that the sources file does not name.
 *
 * @throws PipelineError when the request fails or times out, the status is not 200, the content
 *   type is not Markdown or plain text, the body is larger than `maxBytes`, or it is not UTF-8.
 */
export async function downloadPage(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const fetchPage = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetchPage(url, {
      redirect: "manual",
      signal,
      headers: { accept: "text/markdown, text/plain;q=0.9" },
    });
  } catch (error) {
    throw requestError(url, error, options.timeoutMs);
  }

  if (response.status !== 200) {
    await response.body?.cancel();
    const location = response.headers.get("location");
    const redirect = location === null ? "" : ` (redirect to ${location} not followed)`;
    throw new PipelineError(
      `${url}: HTTP ${response.status}${redirect}; expected 200. Check the URL in the sources file.`,
    );
  }

  const contentType = response.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!PAGE_CONTENT_TYPES.has(mediaType)) {
    await response.body?.cancel();
    throw new PipelineError(
      `${url}: content type ${JSON.stringify(contentType)} is not Markdown or plain text.`,
    );
  }

  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(url, options.maxBytes);
  }

  const body = await readLimited(response, url, options);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new PipelineError(`${url}: body is not valid UTF-8 text.`);
  }
  return body;
}

/** Reads the body, stopping as soon as it passes `maxBytes`. */
async function readLimited(
  response: Response,
  url: string,
  options: DownloadOptions,
): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel();
        throw tooLarge(url, options.maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    throw requestError(url, error, options.timeoutMs);
  }

  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(url: string, maxBytes: number): PipelineError {
  return new PipelineError(`${url}: body is larger than ${maxBytes} bytes.`);
}

function requestError(url: string, error: unknown, timeoutMs: number): PipelineError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new PipelineError(`${url}: request timed out after ${timeoutMs} ms.`, { cause: error });
  }
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  const reason = error instanceof Error ? error.message : String(error);
  return new PipelineError(`${url}: request failed: ${reason}${cause}`, { cause: error });
}
