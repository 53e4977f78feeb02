// Failures of `generate` that come from its surroundings rather than from the pages: missing or
// misplaced directories, an output file that cannot be replaced, a base spec that is not one.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, generate, PipelineError } from "../../scripts/generate.js";

const TIMEOUT_MS = 60_000;

let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), "generate-errors-"));
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe("generate", () => {
  it("names a missing pages directory", async () => {
    const pagesDir = join(workDir, "no-such-dir");
    const result = generate({ ...DEFAULT_OPTIONS, pagesDir, outDir: join(workDir, "out") });

    await expect(result).rejects.toBeInstanceOf(PipelineError);
    await expect(result).rejects.toThrow(`Cannot read the pages directory ${pagesDir}`);
    await expect(result).rejects.toThrow(/with --pages-dir/);
  });

  it("names a pages path that is a file", async () => {
    const pagesDir = join(workDir, "page.md");
    await writeFile(pagesDir, "# not a directory\n");
    const result = generate({ ...DEFAULT_OPTIONS, pagesDir, outDir: join(workDir, "out") });

    await expect(result).rejects.toThrow(`Cannot read the pages directory ${pagesDir}`);
  });

  it(
    "keeps every output when one cannot be replaced",
    async () => {
      const outDir = join(workDir, "out");
      await mkdir(join(outDir, "schema.ts"), { recursive: true });
      const earlier = `${await readFile(join(DEFAULT_OPTIONS.outDir, "openapi.yaml"), "utf8")}# x\n`;
      await writeFile(join(outDir, "openapi.yaml"), earlier);

      const result = generate({ ...DEFAULT_OPTIONS, outDir });

      await expect(result).rejects.toBeInstanceOf(PipelineError);
      await expect(result).rejects.toThrow(/Updating .*schema\.ts failed, so no file was changed/);
      expect(await readFile(join(outDir, "openapi.yaml"), "utf8")).toBe(earlier);
      expect((await readdir(outDir)).sort()).toEqual(["openapi.yaml", "schema.ts"]);
    },
    TIMEOUT_MS,
  );

  it(
    "rejects a base spec that is not OpenAPI",
    async () => {
      const basePath = join(workDir, "base.yaml");
      await writeFile(basePath, "just: some yaml\n");
      const outDir = join(workDir, "out");

      const result = generate({ ...DEFAULT_OPTIONS, outDir, basePath });

      await expect(result).rejects.toBeInstanceOf(PipelineError);
      await expect(result).rejects.toThrow(
        `The base spec ${basePath} is not an OpenAPI 3 document`,
      );
      await expect(readdir(outDir)).rejects.toMatchObject({ code: "ENOENT" });
    },
    TIMEOUT_MS,
  );
});
