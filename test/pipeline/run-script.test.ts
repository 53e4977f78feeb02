// Tests of `scripts/run.mjs`, the launcher of the npm scripts, through its command line: each
// test runs it in a child process on fixture scripts or on the real pipeline.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, OUTPUT_FILES } from "../../scripts/generate.js";
import { jsonFence, writePages } from "./fixtures.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LAUNCHER = join(ROOT, "scripts/run.mjs");
const PRELOAD = join(ROOT, "scripts/pipeline/preload.mjs");
const TIMEOUT_MS = 60_000;

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node [nodeArgs] scripts/run.mjs args` and resolves with its exit code and output. */
function runLauncher(
  args: string[],
  options: { cacheDir: string; nodeArgs?: string[]; env?: Record<string, string> },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), LAUNCHER, ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SCRIPT_CACHE_DIR: options.cacheDir,
          REDOCLY_TELEMETRY: "off",
          ...options.env,
        },
        timeout: TIMEOUT_MS,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error !== null) code = typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Lists the compiled modules in the cache, sorted. */
async function listModules(): Promise<string[]> {
  return (await readdir(cacheDir)).filter((name) => name.endsWith(".mjs")).sort();
}

/** Reads the manifest that the launcher wrote for the only script compiled into `cacheDir`. */
async function readManifest(cacheDir: string): Promise<{ output: string; inputs: object }> {
  const names = (await readdir(cacheDir)).filter((name) => name.endsWith(".json"));
  expect(names).toHaveLength(1);
  return JSON.parse(await readFile(join(cacheDir, names[0] as string), "utf8"));
}

let workDir: string;
let cacheDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), "run-script-"));
  cacheDir = join(workDir, "cache");
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe("scripts/run.mjs on fixture scripts", () => {
  async function writeHelper(greeting: string): Promise<void> {
    await writeFile(
      join(workDir, "helper.ts"),
      `export const greeting: string = "${greeting}";\nexport const helperUrl = import.meta.url;\n`,
    );
  }

  async function writeFixture(): Promise<string> {
    await writeHelper("first");
    const entry = join(workDir, "main.ts");
    await writeFile(
      entry,
      [
        'import { greeting, helperUrl } from "./helper.js";',
        "const report = { greeting, helperUrl, entryUrl: import.meta.url, argv: process.argv };",
        "console.log(JSON.stringify(report));",
        "",
      ].join("\n"),
    );
    return entry;
  }

  it("runs a script with its arguments", async () => {
    const entry = await writeFixture();
    const result = await runLauncher([entry, "--flag", "value"], { cacheDir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.greeting).toBe("first");
    expect(report.argv.slice(1)).toEqual([entry, "--flag", "value"]);
  });

  it("keeps each file's import.meta.url", async () => {
    const entry = await writeFixture();
    const report = JSON.parse((await runLauncher([entry], { cacheDir })).stdout);
    expect(report.entryUrl).toBe(pathToFileURL(entry).href);
    expect(report.helperUrl).toBe(pathToFileURL(join(workDir, "helper.ts")).href);
  });

  it("reuses the compiled module while no input changed", async () => {
    const entry = await writeFixture();
    await runLauncher([entry], { cacheDir });
    const first = await readManifest(cacheDir);
    const firstModule = await stat(join(cacheDir, first.output));

    const again = await runLauncher([entry], { cacheDir });
    expect(again.code).toBe(0);
    const second = await readManifest(cacheDir);
    expect(second.output).toBe(first.output);
    expect((await stat(join(cacheDir, second.output))).mtimeMs).toBe(firstModule.mtimeMs);
  });

  it("recompiles after an imported file changed", async () => {
    const entry = await writeFixture();
    await runLauncher([entry], { cacheDir });
    const before = await readManifest(cacheDir);

    await writeHelper("second");
    const result = await runLauncher([entry], { cacheDir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).greeting).toBe("second");

    const after = await readManifest(cacheDir);
    expect(after.output).not.toBe(before.output);
  });

  it("removes earlier modules once an hour old", async () => {
    const entry = await writeFixture();
    await runLauncher([entry], { cacheDir });
    const first = (await readManifest(cacheDir)).output;
    await writeHelper("second");
    await runLauncher([entry], { cacheDir });
    const second = (await readManifest(cacheDir)).output;
    // A run that read the earlier manifest may still import its module, so it stays for now.
    expect(await listModules()).toEqual([first, second].sort());

    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(cacheDir, first), twoHoursAgo, twoHoursAgo);
    await writeHelper("third");
    await runLauncher([entry], { cacheDir });
    const third = (await readManifest(cacheDir)).output;
    expect(await listModules()).toEqual([second, third].sort());
  });

  it("keeps a replaced module an hour after its replacement", async () => {
    const entry = await writeFixture();
    await runLauncher([entry], { cacheDir });
    const first = (await readManifest(cacheDir)).output;
    // Written long ago, but current until the next compile replaces it.
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(cacheDir, first), twoHoursAgo, twoHoursAgo);

    await writeHelper("second");
    await runLauncher([entry], { cacheDir });
    expect(await listModules()).toContain(first);
  });

  it("names the module of the same inputs the same", async () => {
    const entry = await writeFixture();
    const otherCacheDir = join(workDir, "other-cache");
    await runLauncher([entry], { cacheDir });
    await runLauncher([entry], { cacheDir: otherCacheDir });
    expect((await readManifest(otherCacheDir)).output).toBe((await readManifest(cacheDir)).output);
  });

  it.each([
    ["emptied", () => ""],
    ["cut short", (text: string) => text.slice(0, text.length / 2)],
  ])("recompiles a module that was %s", async (_case, damage) => {
    const entry = await writeFixture();
    await runLauncher([entry], { cacheDir });
    const modulePath = join(cacheDir, (await readManifest(cacheDir)).output);
    await writeFile(modulePath, damage(await readFile(modulePath, "utf8")));

    const result = await runLauncher([entry], { cacheDir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).greeting).toBe("first");
  });

  it("recompiles when the compiled module is missing", async () => {
    const entry = await writeFixture();
    await runLauncher([entry], { cacheDir });
    await rm(join(cacheDir, (await readManifest(cacheDir)).output));

    const result = await runLauncher([entry], { cacheDir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).greeting).toBe("first");
    expect(await listModules()).toHaveLength(1);
  });

  it("recompiles after an input was deleted and restored", async () => {
    const entry = await writeFixture();
    await runLauncher([entry], { cacheDir });
    await rm(join(workDir, "helper.ts"));

    const missing = await runLauncher([entry], { cacheDir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`run: compiling ${entry} failed`);
    expect(missing.stderr).toContain("helper.js");

    await writeHelper("first");
    const restored = await runLauncher([entry], { cacheDir });
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout).greeting).toBe("first");
  });

  it("lets two runs compile at once", async () => {
    const entry = await writeFixture();
    const results = await Promise.all([
      runLauncher([entry, "a"], { cacheDir }),
      runLauncher([entry, "b"], { cacheDir }),
    ]);
    for (const [index, result] of results.entries()) {
      expect(result.stderr, `run ${index}`).toBe("");
      expect(result.code, `run ${index}`).toBe(0);
    }
    expect(JSON.parse(results[0]?.stdout ?? "").argv.at(-1)).toBe("a");
    expect(JSON.parse(results[1]?.stdout ?? "").argv.at(-1)).toBe("b");
    const leftovers = (await readdir(cacheDir)).filter((name) => name.endsWith(".tmp"));
    expect(leftovers).toEqual([]);
  });

  it("reports a syntax error with its file", async () => {
    const entry = join(workDir, "broken.ts");
    await writeFile(entry, "const = 1;\n");
    const result = await runLauncher([entry], { cacheDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`run: compiling ${entry} failed`);
    expect(result.stderr).toContain("broken.ts:1");
  });

  it("names the cache directory when it is not writable", async () => {
    const entry = await writeFixture();
    // A regular file where the cache directory should be makes every write into it fail.
    await writeFile(cacheDir, "not a directory");
    const innerDir = join(cacheDir, "inner");
    const result = await runLauncher([entry], { cacheDir: innerDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`run: compiling ${entry} failed`);
    expect(result.stderr).toContain("ENOTDIR");
    expect(result.stderr).toContain(`The cache directory ${innerDir} is not writable`);
    expect(result.stderr).toContain("set SCRIPT_CACHE_DIR");
  });

  it("prints its usage without a script", async () => {
    const result = await runLauncher([], { cacheDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: node scripts\/run\.mjs SCRIPT\.ts/);
  });
});

describe("compileScript with a project root of its own", () => {
  /** Compiles and runs `entry` with `workDir` as the project root, in a new Node process. */
  async function compileAndRun(entry: string): Promise<string> {
    const script = [
      `import { compileScript } from ${JSON.stringify(pathToFileURL(LAUNCHER).href)};`,
      'import { pathToFileURL } from "node:url";',
      `const options = ${JSON.stringify({ cacheDir, root: workDir })};`,
      `const { outPath } = await compileScript(${JSON.stringify(entry)}, options);`,
      "await import(pathToFileURL(outPath).href);",
    ].join("\n");
    const { stdout } = await promisify(execFile)(process.execPath, [
      "--input-type=module",
      "--eval",
      script,
    ]);
    return stdout.trim();
  }

  async function writeTsconfig(target: string): Promise<void> {
    const compilerOptions = { baseUrl: ".", paths: { "#greeting": [target] } };
    await writeFile(join(workDir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
  }

  it("recompiles after tsconfig.json changed", async () => {
    await writeFile(join(workDir, "a.ts"), 'export const greeting = "from a";\n');
    await writeFile(join(workDir, "b.ts"), 'export const greeting = "from b";\n');
    const entry = join(workDir, "main.ts");
    await writeFile(entry, 'import { greeting } from "#greeting";\nconsole.log(greeting);\n');

    await writeTsconfig("./a.ts");
    expect(await compileAndRun(entry)).toBe("from a");
    await writeTsconfig("./b.ts");
    expect(await compileAndRun(entry)).toBe("from b");
  });
});

describe("npm run generate through scripts/run.mjs", () => {
  const generateArgs = (extra: string[]) => ["scripts/generate.ts", ...extra];

  it(
    "writes the committed generated files",
    async () => {
      const outDir = join(workDir, "out");
      const result = await runLauncher(generateArgs(["--out-dir", outDir]), {
        cacheDir,
        nodeArgs: ["--import", PRELOAD],
      });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^total +\d+ ms {2}since process start$/m);

      for (const name of OUTPUT_FILES) {
        const committed = await readFile(join(DEFAULT_OPTIONS.outDir, name), "utf8");
        const written = await readFile(join(outDir, name), "utf8");
        // On failure, the bundled pipeline disagrees with the sources run by vitest.
        expect(written, name).toBe(committed);
      }
    },
    TIMEOUT_MS,
  );

  it(
    "fails on a broken page and writes nothing",
    async () => {
      const pagesDir = await writePages({ "broken.md": jsonFence("{ not json") });
      const outDir = join(workDir, "out");
      try {
        const result = await runLauncher(
          generateArgs(["--pages-dir", pagesDir, "--out-dir", outDir]),
          { cacheDir, nodeArgs: ["--import", PRELOAD] },
        );
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^generate: .*broken\.md/);
        await expect(stat(outDir)).rejects.toMatchObject({ code: "ENOENT" });
      } finally {
        await rm(pagesDir, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );

  it(
    "rejects a --base that is not a file",
    async () => {
      const basePath = join(workDir, "no-such-base.yaml");
      const result = await runLauncher(generateArgs(["--base", basePath]), { cacheDir });
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd()).toBe(
        `generate: --base ${basePath} is not a file; pass the openapi.yaml of an earlier run, ` +
          "or leave --base out to compare with the openapi.yaml in the output directory.",
      );
    },
    TIMEOUT_MS,
  );

  it(
    "resolves paths from the directory npm was run in",
    async () => {
      const name = `run-script-out-${process.pid}`;
      try {
        // npm run starts the script in the package root and keeps the caller's directory here.
        const result = await runLauncher(generateArgs(["--out-dir", name]), {
          cacheDir,
          env: { INIT_CWD: workDir },
        });
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect((await readdir(join(workDir, name))).sort()).toEqual([...OUTPUT_FILES].sort());
      } finally {
        // Without INIT_CWD the output would land in the package root.
        await rm(join(ROOT, name), { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );

  it("rejects an unknown option with the usage line", async () => {
    const result = await runLauncher(generateArgs(["--out", "x"]), { cacheDir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("generate: Unknown option '--out'");
    expect(lines[1]).toBe(
      "usage: npm run generate [-- --pages-dir DIR] [--out-dir DIR] [--base FILE]",
    );
    expect(lines).toHaveLength(2);
  });
});
