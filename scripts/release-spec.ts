/**
 * Records the spec of a release: copies `generated/openapi.yaml` to `openapi/released.yaml` and
 * the package version to `openapi/released.json`. `npm run release:version` runs it after
 * `changeset version` has bumped the version.
 */
import { copyFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readVersion } from "./pipeline/release.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const version = await readVersion(join(ROOT, "package.json"));
await copyFile(join(ROOT, "generated/openapi.yaml"), join(ROOT, "openapi/released.yaml"));
const record = {
  $comment:
    "Package version released with openapi/released.yaml; written by `npm run release:version`.",
  version,
};
await writeFile(join(ROOT, "openapi/released.json"), `${JSON.stringify(record, null, 2)}\n`);
console.log(`release-spec: recorded the spec of version ${version} in openapi/released.yaml.`);
