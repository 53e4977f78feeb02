import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Creates a temporary directory holding `pages` (file name to Markdown text). */
export async function writePages(pages: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pipeline-test-"));
  for (const [name, text] of Object.entries(pages)) {
    await writeFile(join(dir, name), text);
  }
  return dir;
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Wraps `body` in a ```json fence. */
export function jsonFence(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return `\`\`\`json\n${text}\n\`\`\`\n`;
}

/** Builds a minimal OpenAPI fragment with one operation and the given schemas. */
export function fragment(options: {
  path?: string;
  method?: string;
  schemas?: Record<string, unknown>;
  info?: Record<string, unknown>;
  openapi?: string;
}): Record<string, unknown> {
  const path = options.path ?? "/rest/v2/things";
  const method = options.method ?? "get";
  return {
    openapi: options.openapi ?? "3.0.1",
    info: options.info ?? { title: "Recurring Payments API", version: "2.0" },
    paths: {
      [path]: {
        [method]: { operationId: `${method}Things`, responses: { "200": { description: "ok" } } },
      },
    },
    components: { schemas: options.schemas ?? {} },
  };
}
