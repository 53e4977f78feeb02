// Runs one TypeScript script of this repository with plain Node:
//
//   node scripts/run.mjs scripts/generate.ts [arguments of the script]
//
// esbuild bundles the script, the project files it imports and the packages they import into one
// ES module under `node_modules/.cache/recurring-payments-client/`. A later run reuses that
// module while the SHA-256 of every input file is unchanged, so an edit to any of them, or a
// package that `npm ci` replaced, triggers a new compile. The environment variable
// SCRIPT_CACHE_DIR sets another directory. Stack traces point into the compiled module; run with
// NODE_OPTIONS=--enable-source-maps to map them back to the sources.
//
// Note: this replaced `node --import tsx`, and took the median of `npm run generate` on Node 20
// from about 1.4 s to under 0.8 s. tsx's loader hooks run on a separate thread on Node 20 and
// every import waited on them, and Node resolved and compiled each of the hundreds of modules of
// @redocly/openapi-core and Ajv separately. One bundled module loads in about half the time.
// Plain JavaScript, so that no TypeScript loader is needed to start it.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_CACHE_DIR = join(ROOT, "node_modules/.cache/recurring-payments-client");

/**
 * Packages left out of the bundle and loaded from `node_modules` at run time. esbuild runs a
 * native binary. openapi-typescript loads in the types worker together with TypeScript's 9 MB
 * CommonJS build, which the main thread never needs.
 */
const EXTERNAL_PACKAGES = ["esbuild", "openapi-typescript"];

/** Files of the project root whose settings esbuild applies when it compiles. */
const CONFIG_FILES = ["tsconfig.json", "package.json"];

/** Age after which the module of an earlier compile is removed from the cache. */
const STALE_MODULE_AGE_MS = 60 * 60 * 1000;

const REQUIRE_BANNER =
  'import { createRequire as __createRequire } from "node:module";\n' +
  "const require = __createRequire(import.meta.url);";

/**
 * Compiles `entry` into `cacheDir` unless the compiled module of an earlier run has the same
 * inputs. Returns the path of the compiled module and whether it was reused.
 *
 * Each file keeps its own `import.meta.url`, so paths computed from it still point into the
 * source tree and `node_modules` after bundling.
 */
export async function compileScript(entry, { cacheDir = DEFAULT_CACHE_DIR, root = ROOT } = {}) {
  const entryPath = resolve(entry);
  const name = `${basename(entryPath).replace(/\.[cm]?ts$/, "")}-${sha256(entryPath).slice(0, 12)}`;
  // The manifest names the compiled module and lists the SHA-256 of each input.
  const manifestPath = join(cacheDir, `${name}.json`);

  const manifest = await readManifest(manifestPath);
  if (manifest !== undefined && isReusable(manifest, cacheDir, root)) {
    return { outPath: join(cacheDir, manifest.output), reused: true };
  }

  const { build, version } = await import("esbuild");
  // SHA-256 of each input as esbuild read it, so an edit made during the compile is not missed.
  const inputs = {};
  const result = await build({
    entryPoints: [entryPath],
    bundle: true,
    external: EXTERNAL_PACKAGES,
    format: "esm",
    platform: "node",
    target: "node20.19",
    write: false,
    outfile: join(cacheDir, `${name}.mjs`),
    sourcemap: "linked",
    // Bundled CommonJS packages call `require` for Node's built-in modules.
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    logLevel: "silent",
    plugins: [
      keepImportMetaUrl((path, contents) => (inputs[relative(root, path)] = sha256(contents))),
    ],
    absWorkingDir: root,
  });

  // Besides the files esbuild read: this launcher, for its build options, esbuild's package.json,
  // for its version, and the configuration files whose settings esbuild applies.
  // NOTE: a new file that would change how an import resolves, such as a `.js` file beside a
  // `.ts` file of the same name, is not an input, so it takes effect only after another change.
  const paths = [
    fileURLToPath(import.meta.url),
    createRequire(import.meta.url).resolve("esbuild/package.json"),
    ...CONFIG_FILES.map((file) => join(root, file)).filter((path) => existsSync(path)),
    ...Object.keys(result.metafile.inputs),
  ];
  for (const path of paths.map((input) => resolve(root, input))) {
    inputs[relative(root, path)] ??= sha256(await readFile(path));
  }

  // Each set of inputs compiles to a module of its own name, and the manifest then points at
  // it, so a run that read the previous manifest still imports the module that matches it. The
  // keys are sorted because esbuild reads the inputs in no fixed order.
  const sortedInputs = Object.fromEntries(
    Object.entries(inputs).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const output = `${name}-${sha256(JSON.stringify(sortedInputs)).slice(0, 12)}`;
  await mkdir(cacheDir, { recursive: true });
  let outputHash;
  for (const file of result.outputFiles) {
    const isMap = file.path.endsWith(".map");
    const text = file.text.replace(`${name}.mjs.map`, `${output}.mjs.map`);
    if (!isMap) outputHash = sha256(text);
    await writeAtomically(join(cacheDir, output + (isMap ? ".mjs.map" : ".mjs")), text);
  }
  const newManifest = {
    output: `${output}.mjs`,
    outputHash,
    esbuild: version,
    inputs: sortedInputs,
  };
  await writeAtomically(manifestPath, JSON.stringify(newManifest, null, 2));
  if (manifest?.output !== undefined && manifest.output !== newManifest.output) {
    await markReplaced(join(cacheDir, manifest.output));
  }
  await removeStaleModules(cacheDir, name, newManifest.output);
  return { outPath: join(cacheDir, newManifest.output), reused: false };
}

/**
 * Sets the modification time of a module that the manifest no longer names to now, so that
 * `removeStaleModules` counts its hour from the moment it stopped being current.
 */
async function markReplaced(path) {
  const now = new Date();
  await utimes(path, now, now).catch(() => undefined);
}

/**
 * Removes the modules of earlier compiles of the script `name` an hour after they were replaced.
 * A run that read an earlier manifest imports its module within milliseconds, so removing it at
 * once could fail such a run, and waiting an hour cannot.
 */
async function removeStaleModules(cacheDir, name, current) {
  const cutoffMs = Date.now() - STALE_MODULE_AGE_MS;
  for (const file of await readdir(cacheDir)) {
    const isModule = file.startsWith(`${name}-`) && /\.mjs(\.map)?$/.test(file);
    if (!isModule || file.startsWith(current)) continue;
    const path = join(cacheDir, file);
    try {
      if (statSync(path).mtimeMs < cutoffMs) await rm(path, { force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

/**
 * Creates an esbuild plugin that replaces `import.meta.url` in each project file with that file's URL and
 * passes each file it reads to `onRead`.
 *
 * Note: the replacement is textual, so it also applies inside comments and string literals.
 */
function keepImportMetaUrl(onRead) {
  return {
    name: "keep-import-meta-url",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        const contents = await readFile(args.path);
        onRead(args.path, contents);
        const url = JSON.stringify(pathToFileURL(args.path).href);
        return {
          contents: contents.toString("utf8").replaceAll("import.meta.url", url),
          loader: args.path.endsWith("js") ? "js" : "ts",
        };
      });
    },
  };
}

async function readManifest(path) {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Checks that the manifest's module is intact and that no input changed since it was compiled.
 * A module that was cut short or emptied would otherwise fail on every run, or run nothing.
 */
function isReusable(manifest, cacheDir, root) {
  if (typeof manifest.output !== "string" || typeof manifest.outputHash !== "string") {
    return false;
  }
  let module;
  try {
    module = readFileSync(join(cacheDir, manifest.output));
  } catch {
    return false;
  }
  return sha256(module) === manifest.outputHash && inputsUnchanged(manifest, root);
}

/**
 * Compares the SHA-256 of every input with the manifest.
 *
 * Note: reads synchronously, because about 700 files are checked per run and the awaits of
 * `fs/promises` made this check take about 0.2 s instead of a few milliseconds.
 */
function inputsUnchanged(manifest, root) {
  if (typeof manifest.inputs !== "object" || manifest.inputs === null) return false;
  for (const [path, expected] of Object.entries(manifest.inputs)) {
    let contents;
    try {
      contents = readFileSync(resolve(root, path));
    } catch {
      return false;
    }
    if (sha256(contents) !== expected) return false;
  }
  return true;
}

function sha256(contents) {
  return createHash("sha256").update(contents).digest("hex");
}

/** Writes through a temporary file, so a concurrent run never imports half a module. */
async function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, contents);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

async function main() {
  const entry = process.argv[2];
  if (entry === undefined) {
    console.error("usage: node scripts/run.mjs SCRIPT.ts [arguments of the script]");
    process.exitCode = 2;
    return;
  }
  const cacheDir = process.env.SCRIPT_CACHE_DIR || DEFAULT_CACHE_DIR;
  let compiled;
  try {
    compiled = await compileScript(entry, { cacheDir });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const unwritable = ["EACCES", "EPERM", "EROFS", "ENOTDIR", "EEXIST"].includes(error?.code);
    const hint = unwritable
      ? ` The cache directory ${cacheDir} is not writable; set SCRIPT_CACHE_DIR to one that is.`
      : "";
    console.error(`run: compiling ${entry} failed: ${reason}${hint}`);
    process.exitCode = 1;
    return;
  }
  // The script gets the argv of `node SCRIPT.ts ARGS`, and compares argv[1] with its own
  // import.meta.url to know that it is the main module.
  process.argv.splice(1, 2, resolve(entry));
  await import(pathToFileURL(compiled.outPath).href);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
