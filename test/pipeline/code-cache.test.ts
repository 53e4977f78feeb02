// Tests of the V8 code cache that the types worker uses for TypeScript on Node 20, on a fixture
// package in a temporary directory. Each load runs in a new Node process, because V8 reuses
// code compiled earlier in the same process and would not read the cache at all.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const CODE_CACHE_MODULE = fileURLToPath(
  new URL("../../scripts/pipeline/code-cache.mjs", import.meta.url),
);

let workDir: string;
let cacheDir: string;

interface LoadResult {
  cacheHit: boolean;
  value: string;
  sum: number;
  /** Whether a plain `require` afterwards returned the loaded exports. */
  cached: boolean;
}

/** Writes `node_modules/fixture-package` with a main file that exports `value`. */
async function writePackage(value: string): Promise<void> {
  const packageDir = join(workDir, "node_modules", "fixture-package");
  await mkdir(packageDir, { recursive: true });
  await writeFile(
    join(packageDir, "package.json"),
    JSON.stringify({ name: "fixture-package", version: "1.0.0", main: "index.js" }),
  );
  await writeFile(
    join(packageDir, "index.js"),
    `exports.value = ${JSON.stringify(value)};\nexports.add = (a, b) => a + b;\n`,
  );
}

/** Loads the fixture package through the code cache in a new Node process, then saves it. */
async function loadInNewProcess(cache = cacheDir): Promise<LoadResult> {
  const script = `
    import { createRequire } from "node:module";
    import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(CODE_CACHE_MODULE).href)};
    const baseUrl = ${JSON.stringify(pathToFileURL(join(workDir, "entry.js")).href)};
    const loaded = requireWithCodeCache(baseUrl, "fixture-package", ${JSON.stringify(cache)});
    const exports = createRequire(baseUrl)("fixture-package");
    const again = createRequire(baseUrl)("fixture-package");
    loaded.saveCache();
    console.log(JSON.stringify({
      cacheHit: loaded.cacheHit, value: exports.value, sum: exports.add(2, 3),
      cached: exports === again,
    }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, [
    "--input-type=module",
    "--eval",
    script,
  ]);
  return JSON.parse(stdout);
}

async function cacheFiles(): Promise<string[]> {
  return (await readdir(cacheDir)).filter((name) => name.endsWith(".v8-cache"));
}

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), "code-cache-"));
  cacheDir = join(workDir, "cache");
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe("requireWithCodeCache", () => {
  it("loads the package into the require cache", async () => {
    await writePackage("first");
    const result = await loadInNewProcess();
    expect(result.value).toBe("first");
    expect(result.sum).toBe(5);
    expect(result.cached).toBe(true);
  });

  it("writes a cache that the next process uses", async () => {
    await writePackage("first");
    expect((await loadInNewProcess()).cacheHit).toBe(false);
    expect(await cacheFiles()).toHaveLength(1);

    const second = await loadInNewProcess();
    expect(second.cacheHit).toBe(true);
    expect(second.value).toBe("first");
  });

  it("misses the cache after the file changed", async () => {
    await writePackage("first");
    await loadInNewProcess();
    await writePackage("second, longer");

    const changed = await loadInNewProcess();
    expect(changed.cacheHit).toBe(false);
    expect(changed.value).toBe("second, longer");
  });

  it("loads past a corrupt cache and rewrites it", async () => {
    await writePackage("first");
    await loadInNewProcess();
    const [name] = await cacheFiles();
    await writeFile(join(cacheDir, name as string), "not a V8 code cache");

    const corrupt = await loadInNewProcess();
    expect(corrupt.cacheHit).toBe(false);
    expect(corrupt.value).toBe("first");
    expect((await loadInNewProcess()).cacheHit).toBe(true);
  });

  it("loads past a cache with a flipped byte", async () => {
    await writePackage("first");
    await loadInNewProcess();
    const path = join(cacheDir, (await cacheFiles())[0] as string);
    const file = await readFile(path);
    const middle = Math.floor(file.length / 2);
    file[middle] = (file[middle] as number) ^ 0xff;
    await writeFile(path, file);

    const flipped = await loadInNewProcess();
    expect(flipped.cacheHit).toBe(false);
    expect(flipped.value).toBe("first");
    expect((await loadInNewProcess()).cacheHit).toBe(true);
  });

  it("loads when the cache directory is not writable", async () => {
    await writePackage("first");
    // A regular file where the cache directory should be makes the write fail.
    await writeFile(cacheDir, "not a directory");
    const result = await loadInNewProcess(join(cacheDir, "inner"));
    expect(result.cacheHit).toBe(false);
    expect(result.value).toBe("first");
  });
});
