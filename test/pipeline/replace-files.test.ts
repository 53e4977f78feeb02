import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PipelineError } from "../../scripts/generate.js";
import { replaceFiles } from "../../scripts/pipeline/replace-files.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "replace-files-"));
  await writeFile(join(dir, "a.txt"), "old a");
  await writeFile(join(dir, "b.txt"), "old b");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads every entry of `dir` into a map from name to contents, with directories as "<dir>". */
async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    files[entry.name] = entry.isFile() ? await readFile(join(dir, entry.name), "utf8") : "<dir>";
  }
  return files;
}

describe("replaceFiles", () => {
  it("writes, creates and deletes files", async () => {
    await replaceFiles([
      { path: join(dir, "a.txt"), contents: "new a" },
      { path: join(dir, "sub/c.txt"), contents: new TextEncoder().encode("new c") },
      { path: join(dir, "b.txt"), delete: true },
    ]);

    expect(await snapshot()).toEqual({ "a.txt": "new a", sub: "<dir>" });
    expect(await readFile(join(dir, "sub/c.txt"), "utf8")).toBe("new c");
  });

  it("puts every file back when a rename fails", async () => {
    await mkdir(join(dir, "blocked.txt"));
    const before = await snapshot();

    const result = replaceFiles([
      { path: join(dir, "a.txt"), contents: "new a" },
      { path: join(dir, "new.txt"), contents: "new file" },
      { path: join(dir, "b.txt"), delete: true },
      { path: join(dir, "blocked.txt"), contents: "cannot replace a directory" },
    ]);

    await expect(result).rejects.toBeInstanceOf(PipelineError);
    await expect(result).rejects.toThrow(/Updating .*blocked\.txt failed, so no file was changed/);
    // Also checks that no temporary .new- or .old- file is left.
    expect(await snapshot()).toEqual(before);
  });

  it("changes nothing when a file cannot be staged", async () => {
    await writeFile(join(dir, "not-a-dir"), "a file");
    const before = await snapshot();

    const result = replaceFiles([
      { path: join(dir, "a.txt"), contents: "new a" },
      { path: join(dir, "not-a-dir/c.txt"), contents: "new c" },
    ]);

    await expect(result).rejects.toThrow(/Updating .*not-a-dir\/c\.txt failed/);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects an exclusive file that exists", async () => {
    const before = await snapshot();

    const result = replaceFiles([
      { path: join(dir, "a.txt"), contents: "new a" },
      { path: join(dir, "b.txt"), contents: "new b", exclusive: true },
    ]);

    await expect(result).rejects.toBeInstanceOf(PipelineError);
    await expect(result).rejects.toThrow(/b\.txt already exists; move it away and run again/);
    expect(await snapshot()).toEqual(before);
  });
});
