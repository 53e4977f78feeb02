import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { BUMP_LEVELS, type BumpLevel, type DiffChange, type SpecDiff } from "./diff.js";
import { PipelineError } from "./errors.js";
import { isPlainObject } from "./extract.js";
import { describeChange } from "./summary.js";

export interface SpecChangeset {
  /** The `.changeset` directory. */
  changesetDir: string;
  packageName: string;
  /** Spec change; a diff whose bump is `none` writes no file. */
  diff: SpecDiff;
  /** Time that names the file; defaults to now. */
  now?: Date;
}

/**
 * Creates a changeset that requests the bump of the diff and lists its changes, so that
 * `changeset version` copies them into CHANGELOG.md with the next release.
 *
 * @returns the path and text of the new file, or undefined when `bump` is `none`.
 */
export function createSpecChangeset(
  options: SpecChangeset,
): { path: string; text: string } | undefined {
  const { bump, changes } = options.diff;
  if (bump === "none") return undefined;
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, "").slice(0, 15);
  const path = join(options.changesetDir, `spec-sync-${stamp.replace("T", "-")}.md`);
  const text =
    `---\n${JSON.stringify(options.packageName)}: ${bump}\n---\n\n` +
    `Regenerate the client from the vendor's changed API pages (${bump} change of the spec).\n\n` +
    changes.map(formatChange).join("\n") +
    "\n";
  return { path, text };
}

function formatChange(change: DiffChange): string {
  const described = describeChange(change);
  return `- ${described.kind} ${described.subject} \`${described.name}\` (${described.impact})`;
}

/**
 * Returns the highest bump that the pending changesets in `changesetDir` ask for
 * `packageName`, or `none` when there is none.
 *
 * @throws PipelineError on a changeset whose front matter is not valid YAML or names an
 *   unknown bump.
 */
export async function readPendingBump(
  changesetDir: string,
  packageName: string,
): Promise<BumpLevel> {
  let names: string[];
  try {
    names = await readdir(changesetDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "none";
    throw error;
  }

  let highest: BumpLevel = "none";
  for (const name of names.filter((n) => n.endsWith(".md") && n !== "README.md")) {
    const text = await readFile(join(changesetDir, name), "utf8");
    const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (match === null) continue;
    let releases: unknown;
    try {
      releases = parse(match[1] ?? "");
    } catch (error) {
      throw new PipelineError(`${name}: invalid changeset front matter.`, { cause: error });
    }
    if (!isPlainObject(releases)) continue;
    const bump = releases[packageName];
    if (bump === undefined) continue;
    if (bump !== "major" && bump !== "minor" && bump !== "patch") {
      throw new PipelineError(`${name}: unknown bump ${JSON.stringify(bump)} for ${packageName}.`);
    }
    if (BUMP_LEVELS.indexOf(bump) > BUMP_LEVELS.indexOf(highest)) highest = bump;
  }
  return highest;
}
