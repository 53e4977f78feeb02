import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type BumpLevel, versionBump } from "../../scripts/pipeline/diff.js";
import { checkReleaseBump, readVersion } from "../../scripts/pipeline/release.js";
import { summarizeDiff } from "../../scripts/pipeline/summary.js";

const TIMEOUT_MS = 60_000;
const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spec-bump-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("released spec", () => {
  it(
    "is covered by the package version and changesets",
    async () => {
      const check = await checkReleaseBump({
        releasedSpecPath: "openapi/released.yaml",
        releasedVersion: await readVersion("openapi/released.json"),
        currentSpecPath: "generated/openapi.yaml",
        currentVersion: await readVersion("package.json"),
        changesetDir: ".changeset",
        packageName: "recurring-payments-client",
      });

      // On failure: run `npx changeset` and choose the bump named here, or bump the version.
      const summary = summarizeDiff(check.diff, "openapi/released.yaml").join("\n");
      expect(check.ok, `${check.carried} does not carry ${check.required}:\n${summary}`).toBe(true);
    },
    TIMEOUT_MS,
  );
});

// biome-ignore lint/suspicious/noExplicitAny: mutations edit an untyped YAML tree
type Mutation = (spec: Record<string, any>) => void;

/** Writes the released spec changed by `mutate` and returns its path. */
async function fixtureSpec(name: string, mutate: Mutation): Promise<string> {
  const spec = parse(await readFile("openapi/released.yaml", "utf8"));
  mutate(spec);
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, stringify(spec));
  return path;
}

const removeOperation: Mutation = (spec) => {
  delete spec.paths[TOKENS_PATH].put;
};
const addOptionalField: Mutation = (spec) => {
  spec.components.schemas["customer-token"].properties.nickname = { type: "string" };
};
const noChange: Mutation = () => {};

describe("checkReleaseBump", () => {
  const cases: {
    name: string;
    mutate: Mutation;
    version: string;
    changeset?: BumpLevel;
    required: BumpLevel;
    ok: boolean;
  }[] = [
    {
      name: "removal without bump",
      mutate: removeOperation,
      version: "1.2.3",
      required: "major",
      ok: false,
    },
    {
      name: "removal with minor bump",
      mutate: removeOperation,
      version: "1.3.0",
      required: "major",
      ok: false,
    },
    {
      name: "removal with major bump",
      mutate: removeOperation,
      version: "2.0.0",
      required: "major",
      ok: true,
    },
    {
      name: "removal with major changeset",
      mutate: removeOperation,
      version: "1.2.3",
      changeset: "major",
      required: "major",
      ok: true,
    },
    {
      name: "removal with minor changeset",
      mutate: removeOperation,
      version: "1.2.3",
      changeset: "minor",
      required: "major",
      ok: false,
    },
    {
      name: "added field with patch bump",
      mutate: addOptionalField,
      version: "1.2.4",
      required: "minor",
      ok: false,
    },
    {
      name: "added field with minor bump",
      mutate: addOptionalField,
      version: "1.3.0",
      required: "minor",
      ok: true,
    },
    {
      name: "no change without bump",
      mutate: noChange,
      version: "1.2.3",
      required: "none",
      ok: true,
    },
  ];

  it.each(cases)(
    "rates $name",
    async ({ name, mutate, version, changeset, required, ok }) => {
      const released = await fixtureSpec("released", noChange);
      const current = await fixtureSpec(name.replaceAll(" ", "-"), mutate);
      const changesetDir = join(dir, `changesets-${name.replaceAll(" ", "-")}`);
      await mkdir(changesetDir, { recursive: true });
      if (changeset !== undefined) {
        await writeFile(join(changesetDir, "a.md"), `---\n"pkg": ${changeset}\n---\n\nText.\n`);
      }

      const check = await checkReleaseBump({
        releasedSpecPath: released,
        releasedVersion: "1.2.3",
        currentSpecPath: current,
        currentVersion: version,
        changesetDir,
        packageName: "pkg",
      });

      expect(check.required).toBe(required);
      expect(check.ok).toBe(ok);
    },
    TIMEOUT_MS,
  );
});

describe("versionBump", () => {
  const cases: [string, string, BumpLevel][] = [
    ["1.2.3", "1.2.3", "none"],
    ["1.2.3", "1.2.4", "patch"],
    ["1.2.3", "1.3.0", "minor"],
    ["1.2.3", "2.0.0", "major"],
    ["0.1.0", "0.2.0", "minor"],
    ["0.1.0", "1.0.0", "major"],
    ["1.2.3", "1.3.0-next.0", "minor"],
  ];

  it.each(cases)("rates %s to %s", (from, to, expected) => {
    expect(versionBump(from, to)).toBe(expected);
  });

  it("rejects a lower version", () => {
    expect(() => versionBump("1.2.3", "1.2.2")).toThrow(/lower than the released version 1\.2\.3/);
  });

  it("rejects an invalid version", () => {
    expect(() => versionBump("1.2", "1.2.3")).toThrow(/Invalid version "1\.2"/);
  });
});
