import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { writeValidators } from "../../scripts/validators.js";
import type { CompiledValidator } from "../../src/validation.js";

type JsonObject = Record<string, unknown>;

export const SPEC_PATH = new URL("../../generated/openapi.yaml", import.meta.url);

/** Patterns that the overlay adds to the token schema, from the descriptions of its fields. */
export const TOKEN_PATTERNS: Record<string, string> = {
  "exp-date": "^(0[1-9]|1[0-2])[0-9]{2}$",
  "last-four-digits": "^[0-9]{4}$",
};

/** Reads the bundled spec as the pipeline wrote it. */
export async function readSpec(): Promise<JsonObject> {
  return parse(await readFile(SPEC_PATH, "utf8")) as JsonObject;
}

/** Returns the token schema's properties of a parsed spec. */
export function tokenProperties(spec: JsonObject): Record<string, JsonObject> {
  const components = spec.components as JsonObject;
  const schemas = components.schemas as Record<string, JsonObject>;
  return schemas["customer-token"]?.properties as Record<string, JsonObject>;
}

/** Whether the bundled spec already carries every pattern of `TOKEN_PATTERNS`. */
export function hasTokenPatterns(spec: JsonObject): boolean {
  const properties = tokenProperties(spec);
  return Object.entries(TOKEN_PATTERNS).every(
    ([name, pattern]) => properties[name]?.pattern === pattern,
  );
}

/** Returns a copy of the spec with `TOKEN_PATTERNS` applied, as the overlay will apply them. */
export function withTokenPatterns(spec: JsonObject): JsonObject {
  const copy = structuredClone(spec);
  const properties = tokenProperties(copy);
  for (const [name, pattern] of Object.entries(TOKEN_PATTERNS)) {
    properties[name] = { ...properties[name], pattern };
  }
  return copy;
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
