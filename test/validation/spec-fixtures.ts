import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { writeValidators } from "../../scripts/validators.js";
import type { CompiledValidator } from "../../src/validation.js";

type JsonObject = Record<string, unknown>;

export const SPEC_PATH = new URL("../../generated/openapi.yaml", import.meta.url);

/** Reads the bundled spec as the pipeline wrote it. */
export async function readSpec(): Promise<JsonObject> {
  return parse(await readFile(SPEC_PATH, "utf8")) as JsonObject;
}

export interface GeneratedValidators {
  requestValidators: Record<string, CompiledValidator>;
  responseValidators: Record<string, Record<string, CompiledValidator>>;
  operationKeysByRoute: Record<string, string>;
}

/**
 * Generates validators from `spec` into a temporary directory and imports them. The directory
 * is removed once the module is loaded.
 */
export async function loadValidators(spec: JsonObject): Promise<GeneratedValidators> {
  const dir = await mkdtemp(join(tmpdir(), "validators-"));
  try {
    await writeValidators(spec, dir);
    return (await import(join(dir, "validators.ts"))) as GeneratedValidators;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
