import { copyFile, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { PipelineError } from "./errors.js";

/** One file that {@link replaceFiles} writes or deletes. */
export type FileChange =
  | {
      path: string;
      contents: string | Uint8Array;
      /** Fail instead of replacing a file that already exists. */
      exclusive?: boolean;
    }
  | { path: string; delete: true };

/**
 * Applies a set of file changes as one unit, as far as a file system allows. Every new file is
 * written next to its target first, and every existing target is copied aside. Then each new
 * file is renamed over its target, so a reader never sees a half-written file. When a step
 * fails, every target is put back as it was, the temporary files are removed, and the error
 * names the file.
 *
 * NOTE: a process killed between two renames leaves the targets partly replaced, and the
 * temporary files (`.new-PID` and `.old-PID`) beside them.
 *
 * @throws PipelineError naming the file and the reason when a change fails.
 */
export async function replaceFiles(changes: readonly FileChange[]): Promise<void> {
  const suffix = `${process.pid}-${Date.now()}`;
  const staged = new Map<string, string>();
  const backups = new Map<string, string>();
  const applied: string[] = [];

  try {
    for (const change of changes) {
      await stageChange(change, `${change.path}.new-${suffix}`, staged);
      if (await isFile(change.path)) {
        const backup = `${change.path}.old-${suffix}`;
        await copyFile(change.path, backup);
        backups.set(change.path, backup);
      }
    }
    for (const change of changes) {
      const temporary = staged.get(change.path);
      await failOn(change.path, () =>
        temporary === undefined ? rm(change.path, { force: true }) : rename(temporary, change.path),
      );
      staged.delete(change.path);
      applied.push(change.path);
    }
  } catch (error) {
    const unrestored = await restore(applied, backups);
    await removeAll([...staged.values()]);
    await removeAll([...backups.values()]);
    if (unrestored.length === 0) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineError(
      `${reason}\nThese files could not be put back and may hold the new version: ` +
        `${unrestored.join(", ")}. Restore them from version control.`,
      { cause: error },
    );
  }
  await removeAll([...backups.values()]);
}

async function stageChange(
  change: FileChange,
  temporary: string,
  staged: Map<string, string>,
): Promise<void> {
  if ("delete" in change) return;
  if (change.exclusive === true && (await exists(change.path))) {
    throw new PipelineError(`${change.path} already exists; move it away and run again.`);
  }
  await failOn(change.path, async () => {
    await mkdir(dirname(change.path), { recursive: true });
    await writeFile(temporary, change.contents, { flag: "wx" });
  });
  staged.set(change.path, temporary);
}

/** Puts back every applied change, newest first, and returns the paths it could not restore. */
async function restore(applied: string[], backups: Map<string, string>): Promise<string[]> {
  const unrestored: string[] = [];
  for (const path of [...applied].reverse()) {
    const backup = backups.get(path);
    try {
      if (backup === undefined) {
        await rm(path, { force: true });
      } else {
        await rename(backup, path);
        backups.delete(path);
      }
    } catch {
      unrestored.push(path);
    }
  }
  return unrestored;
}

/** Runs `step`, and rethrows a file system error as a PipelineError that names `path`. */
async function failOn(path: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineError(`Updating ${path} failed, so no file was changed: ${reason}`, {
      cause: error,
    });
  }
}

/** Checks whether `path` is a regular file, following symbolic links. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function removeAll(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true }).catch(() => undefined)));
}
