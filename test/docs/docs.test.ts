import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildDocs } from "../../scripts/pipeline/docs.js";
import {
  findChromium,
  type RecordingServer,
  runChromium,
  startFileServer,
  startRecordingProxy,
} from "./chromium.js";

const TIMEOUT_MS = 120_000;
const ROOT = resolve(import.meta.dirname, "../..");
const SPEC_PATH = join(ROOT, "generated/openapi.yaml");
/** Build artifact for people to look at; `.artifacts/` is not committed. */
const SCREENSHOT_PATH = join(ROOT, ".artifacts/docs/api-reference.png");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const chromium = findChromium();
// CI installs Chromium (.ci/run), so a missing browser fails there instead of skipping.
const skip = chromium === undefined && process.env.CI === undefined;

interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
}

let dir: string;
let html: string;
let operations: Operation[];
let site: RecordingServer;
let proxy: RecordingServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "docs-test-"));
  const outputPath = join(dir, "index.html");
  await buildDocs({
    specPath: SPEC_PATH,
    outputPath,
    configPath: join(ROOT, "redocly.yaml"),
    title: "Recurring Payments API reference",
  });
  html = await readFile(outputPath, "utf8");
  operations = listOperations(parse(await readFile(SPEC_PATH, "utf8")));
  site = await startFileServer(new Map([["/", html]]));
  proxy = await startRecordingProxy();
}, TIMEOUT_MS);

afterAll(async () => {
  await site?.close();
  await proxy?.close();
  await rm(dir, { recursive: true, force: true });
});

function listOperations(spec: { paths: Record<string, Record<string, Operation>> }): Operation[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => {
      const operation = item[method] as Operation;
      return { method, path, operationId: operation.operationId, summary: operation.summary };
    }),
  );
}

/** Drops scripts, styles and tags, so only the rendered text remains. */
function renderedText(dom: string): string {
  return dom
    .replace(/<script\b[\s\S]*?<\/script>/g, "")
    .replace(/<style\b[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

async function render(page: string, extra: string[] = []): Promise<string> {
  const userDataDir = await mkdtemp(join(dir, "profile-"));
  return runChromium({
    chromium: chromium ?? "chromium",
    userDataDir,
    proxyOrigin: proxy.origin,
    args: [...extra, `${site.origin}/${page}`],
  });
}

describe("api reference", () => {
  it("embeds no remote script, style or font", () => {
    expect(html).toContain(
      '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'',
    );
    expect(html).not.toMatch(/<script\b[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b[^>]*\bhref=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/fonts\.googleapis|fonts\.gstatic/i);
  });

  it.skipIf(skip)(
    "lists every operation",
    async () => {
      const dom = await render("", ["--dump-dom"]);

      for (const operation of operations) {
        const link = new RegExp(`href="#/[^"/]+/${operation.operationId.toLowerCase()}"`);
        expect(dom, operation.operationId).toMatch(link);
      }
      expect(proxy.requests, "requests to other hosts").toEqual([]);
    },
    TIMEOUT_MS,
  );

  it.skipIf(skip)(
    "renders each operation page",
    async () => {
      const overview = await render("", ["--dump-dom"]);

      for (const operation of operations) {
        const id = operation.operationId.toLowerCase();
        const anchor = new RegExp(`href="(#/[^"/]+/${id})"`).exec(overview)?.[1];
        expect(anchor, operation.operationId).toBeDefined();
        const page = renderedText(await render(anchor ?? "", ["--dump-dom"]));

        expect(page, operation.operationId).toContain(operation.summary);
        expect(page, operation.operationId).toContain(
          `${operation.method.toUpperCase()} ${operation.path}`,
        );
      }
      expect(proxy.requests, "requests to other hosts").toEqual([]);
      expect(site.requests.every((path) => path === "/" || path === "/favicon.ico")).toBe(true);
    },
    TIMEOUT_MS,
  );

  it.skipIf(skip)(
    "saves a screenshot artifact",
    async () => {
      await mkdir(join(ROOT, ".artifacts/docs"), { recursive: true });
      const first = operations[0]?.operationId.toLowerCase() ?? "";
      await render(`#/customer-token/${first}`, [
        `--screenshot=${SCREENSHOT_PATH}`,
        "--window-size=1280,2400",
        "--hide-scrollbars",
      ]);

      const png = await readFile(SCREENSHOT_PATH);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect((await stat(SCREENSHOT_PATH)).size).toBeGreaterThan(10_000);
      expect(proxy.requests, "requests to other hosts").toEqual([]);
    },
    TIMEOUT_MS,
  );
});
