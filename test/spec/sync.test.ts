import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, generate, PipelineError } from "../../scripts/generate.js";
import { type SyncOptions, syncSpec } from "../../scripts/sync.js";
import { loopbackFetch, type PageServer, startPageServer } from "./page-server.js";

const TIMEOUT_MS = 60_000;
const PAGE_PATH = "/api/recurring-payments-service/customer-token";
const PAGE = await readFile("openapi/pages/customer-token.md", "utf8");

let server: PageServer;
let baseline: string;
let project: string;

beforeAll(async () => {
  server = await startPageServer();
  baseline = await mkdtemp(join(tmpdir(), "spec-sync-baseline-"));
  await writeFile(join(baseline, "customer-token.md"), PAGE);
  await generate({ ...DEFAULT_OPTIONS, pagesDir: baseline, outDir: join(baseline, "generated") });
}, TIMEOUT_MS);

afterAll(async () => {
  await server.close();
  await rm(baseline, { recursive: true, force: true });
});

beforeEach(async () => {
  server.routes.clear();
  server.requests.length = 0;
  project = await mkdtemp(join(tmpdir(), "spec-sync-project-"));
  await mkdir(join(project, "pages"));
  await mkdir(join(project, ".changeset"));
  await writeFile(join(project, "pages/customer-token.md"), PAGE);
  await cp(join(baseline, "generated"), join(project, "generated"), { recursive: true });
  await writeFile(join(project, "package.json"), '{"name": "fixture-client", "version": "1.0.0"}');
  await writeSources([`${server.origin}${PAGE_PATH}`]);
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

function writeSources(pages: string[]): Promise<void> {
  return writeFile(join(project, "sources.json"), JSON.stringify({ pages }));
}

function options(overrides: Partial<SyncOptions> = {}): SyncOptions {
  return {
    ...DEFAULT_OPTIONS,
    pagesDir: join(project, "pages"),
    outDir: join(project, "generated"),
    sourcesPath: join(project, "sources.json"),
    changesetDir: join(project, ".changeset"),
    packageJsonPath: join(project, "package.json"),
    download: { timeoutMs: 5_000, maxBytes: 1_000_000, fetch: loopbackFetch },
    ...overrides,
  };
}

/** Reads every file under `dir` into a map from relative path to contents. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, "utf8"));
  }
  return files;
}

/** Runs a sync that must fail, and checks that it changed no file of the project. */
async function expectFailedSync(sync: SyncOptions, message: RegExp): Promise<void> {
  const before = await snapshot(project);
  const result = syncSpec(sync);
  await expect(result).rejects.toBeInstanceOf(PipelineError);
  await expect(result).rejects.toThrow(message);
  expect(await snapshot(project)).toEqual(before);
}

describe("syncSpec", () => {
  it(
    "stores the page verbatim and regenerates",
    async () => {
      // Trailing spaces and CRLF must survive the download unchanged.
      const page = PAGE.replace("# Customer Token\n", "# Customer Token  \r\n");
      server.routes.set(`${PAGE_PATH}.md`, { body: page });

      const result = await syncSpec(options());

      expect(await readFile(join(project, "pages/customer-token.md"), "utf8")).toBe(page);
      expect(result.pages).toEqual(["customer-token.md"]);
      expect(result.diff?.bump).toBe("none");
      expect(result.changesetPath).toBeUndefined();
      expect(await readdir(join(project, ".changeset"))).toEqual([]);
      expect(server.requests).toEqual([`${PAGE_PATH}.md`]);
    },
    TIMEOUT_MS,
  );

  it(
    "records a changed spec in a changeset",
    async () => {
      const page = PAGE.replaceAll(
        '"avs-zip":{"type":"string",',
        '"nickname":{"type":"string"},"avs-zip":{"type":"string",',
      );
      expect(page).not.toBe(PAGE);
      server.routes.set(`${PAGE_PATH}.md`, { body: page });

      const result = await syncSpec(options());

      expect(result.diff?.bump).toBe("minor");
      const spec = await readFile(join(project, "generated/openapi.yaml"), "utf8");
      expect(spec).toContain("nickname:");
      const changeset = await readFile(result.changesetPath ?? "", "utf8");
      expect(changeset).toMatch(/^---\n"fixture-client": minor\n---\n/);
      expect(changeset).toContain("- added field `customer-token.nickname` (minor)");
    },
    TIMEOUT_MS,
  );

  it("maps the listed urls onto a base url", async () => {
    await writeSources([
      "https://docs.example.invalid/api/recurring-payments-service/customer-token",
    ]);
    server.routes.set(`${PAGE_PATH}.md`, { status: 500 });

    await expectFailedSync(
      options({ baseUrl: server.origin }),
      /customer-token\.md: http:\/\/127\.0\.0\.1:\d+\/api\/.*customer-token\.md: HTTP 500/,
    );
    expect(server.requests).toEqual([`${PAGE_PATH}.md`]);
  });

  it(
    "names the mirror url of a failing page",
    async () => {
      await writeSources([
        "https://docs.example.invalid/api/recurring-payments-service/customer-token",
      ]);
      server.routes.set(`${PAGE_PATH}.md`, { body: PAGE.replace('"paths"', '"paths" oops') });

      await expectFailedSync(
        options({ baseUrl: server.origin }),
        /Page customer-token\.md was downloaded from http:\/\/127\.0\.0\.1:\d+\/api\//,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "puts every file back when a write fails",
    async () => {
      const page = PAGE.replaceAll(
        '"avs-zip":{"type":"string",',
        '"nickname":{"type":"string"},"avs-zip":{"type":"string",',
      );
      server.routes.set(`${PAGE_PATH}.md`, { body: page });
      // A directory where schema.ts should be makes its rename fail after the pages and
      // openapi.yaml were already renamed.
      const schemaPath = join(project, "generated/schema.ts");
      const schema = await readFile(schemaPath, "utf8");
      await rm(schemaPath);
      await mkdir(schemaPath);

      await expectFailedSync(options(), /Updating .*schema\.ts failed, so no file was changed/);

      // Once the directory is gone, the same sync still records the change.
      await rm(schemaPath, { recursive: true });
      await writeFile(schemaPath, schema);
      const result = await syncSpec(options());
      expect(result.diff?.bump).toBe("minor");
      expect(result.changesetPath).toBeDefined();
    },
    TIMEOUT_MS,
  );

  const downloadFailures: {
    name: string;
    route: Parameters<PageServer["routes"]["set"]>[1];
    message: RegExp;
  }[] = [
    { name: "missing page", route: { status: 404 }, message: /HTTP 404; expected 200/ },
    {
      name: "redirect",
      route: { status: 302, headers: { location: "http://127.0.0.1:9/elsewhere.md" } },
      message: /HTTP 302 \(redirect to http:\/\/127\.0\.0\.1:9\/elsewhere\.md not followed\)/,
    },
    {
      name: "html page",
      route: { headers: { "content-type": "text/html" }, body: "<html></html>" },
      message: /content type "text\/html" is not Markdown or plain text/,
    },
    {
      name: "oversized page",
      route: { body: "x".repeat(2_000) },
      message: /body is larger than 1000 bytes/,
    },
    {
      name: "invalid utf-8",
      route: { body: new Uint8Array([0x23, 0x20, 0xff, 0xfe]) },
      message: /body is not valid UTF-8 text/,
    },
    { name: "unanswered request", route: "hang", message: /request timed out after 300 ms/ },
  ];

  it.each(downloadFailures)("rejects a $name and changes nothing", async ({ route, message }) => {
    server.routes.set(`${PAGE_PATH}.md`, route);

    await expectFailedSync(
      options({ download: { timeoutMs: 300, maxBytes: 1_000, fetch: loopbackFetch } }),
      message,
    );
  });

  it("rejects a page without a declared length over the cap", async () => {
    // Chunked transfer has no content-length, so the cap applies while reading.
    server.routes.set(`${PAGE_PATH}.md`, {
      headers: { "transfer-encoding": "chunked" },
      body: "y".repeat(5_000),
    });

    await expectFailedSync(
      options({ download: { timeoutMs: 5_000, maxBytes: 1_000, fetch: loopbackFetch } }),
      /body is larger than 1000 bytes/,
    );
  });

  it(
    "names the page that fails extraction",
    async () => {
      server.routes.set(`${PAGE_PATH}.md`, { body: "# Page\n```json\n{oops\n```\n" });

      await expectFailedSync(
        options(),
        /unchanged\.\ncustomer-token\.md:3: invalid JSON in fence.*\nPage customer-token\.md was downloaded from http:\/\/127\.0\.0\.1:\d+\/api\//s,
      );
    },
    TIMEOUT_MS,
  );

  it("rejects an unlisted page", async () => {
    await writeFile(join(project, "pages/customers.md"), "# Customers\n");
    server.routes.set(`${PAGE_PATH}.md`, { body: PAGE });

    await expectFailedSync(options(), /customers\.md in .* not listed in .*--prune/);
    expect(server.requests).toEqual([]);
  });

  it(
    "deletes an unlisted page with prune",
    async () => {
      await writeFile(join(project, "pages/customers.md"), "# Customers\n");
      server.routes.set(`${PAGE_PATH}.md`, { body: PAGE });

      const result = await syncSpec(options({ prune: true }));

      expect(result.removed).toEqual(["customers.md"]);
      expect(await readdir(join(project, "pages"))).toEqual(["customer-token.md"]);
    },
    TIMEOUT_MS,
  );
});
