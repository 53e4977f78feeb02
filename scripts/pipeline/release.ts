import { readFile } from "node:fs/promises";
import { readPendingBump } from "./changeset.js";
import {
  type BumpLevel,
  compareSpecFiles,
  coversBump,
  type SpecDiff,
  versionBump,
} from "./diff.js";
import { PipelineError } from "./errors.js";
import { isPlainObject } from "./extract.js";

export interface BumpCheckOptions {
  /** Spec that the last release was built from (`openapi/released.yaml`). */
  releasedSpecPath: string;
  /** Package version of the last release (from `openapi/released.json`). */
  releasedVersion: string;
  /** Spec of the working tree (`generated/openapi.yaml`). */
  currentSpecPath: string;
  /** Package version of the working tree (from `package.json`). */
  currentVersion: string;
  /** `.changeset` directory with the changesets not yet released. */
  changesetDir: string;
  packageName: string;
}

export interface BumpCheck {
  /** Bump that `redocly diff` requires between the released and the current spec. */
  required: BumpLevel;
  /** Highest of the version change since the release and the pending changesets. */
  carried: BumpLevel;
  ok: boolean;
  diff: SpecDiff;
}

/**
 * Checks that the package carries the bump that the spec changes since the last release ask
 * for.
 *
 * Note: the bump is carried either by the package version (the first of major, minor and patch
 * that differs from the released version) or by a pending changeset, which `changeset version`
 * turns into that version bump at release. So `spec:sync` passes by writing a changeset, and a
 * breaking spec change fails the check until a major changeset or a major version exists.
 * The rule is plain semver also below 1.0.0: a breaking change there requires 1.0.0.
 */
export async function checkReleaseBump(options: BumpCheckOptions): Promise<BumpCheck> {
  const diff = await compareSpecFiles(options.releasedSpecPath, options.currentSpecPath);
  if (diff === undefined) {
    throw new PipelineError(`Released spec ${options.releasedSpecPath} not found.`);
  }
  const versionLevel = versionBump(options.releasedVersion, options.currentVersion);
  const pending = await readPendingBump(options.changesetDir, options.packageName);
  const carried = coversBump(versionLevel, pending) ? versionLevel : pending;
  return { required: diff.bump, carried, ok: coversBump(carried, diff.bump), diff };
}

/** Reads the `version` field of a JSON file such as package.json or openapi/released.json. */
export async function readVersion(path: string): Promise<string> {
  const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
  if (!isPlainObject(parsed) || typeof parsed.version !== "string") {
    throw new PipelineError(`${path}: no "version" string.`);
  }
  return parsed.version;
}
