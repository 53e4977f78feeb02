import { PipelineError } from "./errors.js";
import { compareCodeUnits, type Fragment, isPlainObject } from "./extract.js";

type JsonObject = Record<string, unknown>;

/** Top-level fields of an OpenAPI 3 document in the order the specification lists them. */
const TOP_LEVEL_ORDER = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "security",
  "tags",
  "externalDocs",
  "paths",
  "webhooks",
  "components",
];

const METHOD_ORDER = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const COMPONENT_ORDER = [
  "schemas",
  "responses",
  "parameters",
  "examples",
  "requestBodies",
  "headers",
  "securitySchemes",
  "links",
  "callbacks",
  "pathItems",
];

/** A merged value with the fragment that first defined it, for error messages. */
interface Entry {
  value: unknown;
  origin: string;
}

/**
 * Merges the fragments into one OpenAPI document: operations by path and method, components
 * by section and name, tags by name. Identical definitions merge whatever their key order.
 * Paths, components and tags come out sorted by name, so the output does not depend on which
 * page defines what first.
 *
 * @throws PipelineError naming both pages when the same path and method, component, tag or
 *   top-level field is defined differently, or when the OpenAPI versions differ.
 */
export function mergeFragments(fragments: readonly Fragment[]): JsonObject {
  if (fragments.length === 0) {
    throw new PipelineError("No fragment to merge.");
  }

  const topLevel = new Map<string, Entry>();
  const paths = new Map<string, Map<string, Entry>>();
  const components = new Map<string, Map<string, Entry>>();
  const tags = new Map<string, Entry>();
  let openapi: Entry | undefined;

  for (const fragment of fragments) {
    const origin = `${fragment.page}:${fragment.line}`;
    for (const [key, value] of Object.entries(fragment.document)) {
      if (key === "openapi") {
        openapi = mergeVersion(openapi, { value, origin });
      } else if (key === "paths") {
        mergePaths(paths, value, origin);
      } else if (key === "components") {
        mergeComponents(components, value, origin);
      } else if (key === "tags") {
        mergeTags(tags, value, origin);
      } else {
        // Note: `info`, `servers`, `security` and extensions must be identical on every page
        // that has them, because the pages describe one API. A different `info` means pages
        // of different API releases were mixed. Local changes to `info` go in the overlay.
        mergeIdentical(topLevel, key, { value, origin }, `top-level field "${key}"`);
      }
    }
  }

  if (openapi !== undefined) topLevel.set("openapi", openapi);
  if (paths.size > 0) topLevel.set("paths", { value: buildPaths(paths), origin: "" });
  if (components.size > 0) {
    topLevel.set("components", { value: buildComponents(components), origin: "" });
  }
  if (tags.size > 0) {
    const sorted = [...tags.keys()].sort(compareCodeUnits).map((name) => tags.get(name)?.value);
    topLevel.set("tags", { value: sorted, origin: "" });
  }
  return orderedObject(topLevel, TOP_LEVEL_ORDER);
}

/** Returns a copy of `document` with its top-level fields in the order the specification lists. */
export function orderTopLevel(document: JsonObject): JsonObject {
  const entries = new Map<string, Entry>();
  for (const [key, value] of Object.entries(document)) entries.set(key, { value, origin: "" });
  return orderedObject(entries, TOP_LEVEL_ORDER);
}

/**
 * Keeps the highest patch release of one major.minor OpenAPI version.
 *
 * Note: patch releases of OpenAPI 3.x only clarify the text, so 3.0.1 and 3.0.3 fragments
 * merge as 3.0.3. A different minor version changes the schema dialect and stops the run.
 */
function mergeVersion(current: Entry | undefined, next: Entry): Entry {
  const version = parseVersion(next);
  if (current === undefined) return next;
  const known = parseVersion(current);
  if (known.major !== version.major || known.minor !== version.minor) {
    throw new PipelineError(
      `OpenAPI versions differ: ${String(current.value)} in ${current.origin} and ` +
        `${String(next.value)} in ${next.origin}; fragments of one document need the same ` +
        "major.minor version.",
    );
  }
  return version.patch > known.patch ? next : current;
}

function parseVersion(entry: Entry): { major: number; minor: number; patch: number } {
  const match = typeof entry.value === "string" ? /^(\d+)\.(\d+)\.(\d+)$/.exec(entry.value) : null;
  if (match === null) {
    throw new PipelineError(
      `${entry.origin}: invalid "openapi" version ${JSON.stringify(entry.value)}; ` +
        "expected MAJOR.MINOR.PATCH such as 3.0.1.",
    );
  }
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

function mergePaths(paths: Map<string, Map<string, Entry>>, value: unknown, origin: string): void {
  for (const [path, item] of Object.entries(expectObject(value, "paths", origin))) {
    const fields = paths.get(path) ?? new Map<string, Entry>();
    paths.set(path, fields);
    for (const [key, field] of Object.entries(expectObject(item, `path ${path}`, origin))) {
      if (METHOD_ORDER.includes(key)) {
        const known = fields.get(key);
        if (known !== undefined) {
          throw new PipelineError(
            `Operation ${key.toUpperCase()} ${path} is defined twice: in ${known.origin} and ` +
              `in ${origin}; keep one of the two fences.`,
          );
        }
        fields.set(key, { value: field, origin });
      } else {
        mergeIdentical(fields, key, { value: field, origin }, `field "${key}" of path ${path}`);
      }
    }
  }
}

function mergeComponents(
  components: Map<string, Map<string, Entry>>,
  value: unknown,
  origin: string,
): void {
  for (const [section, named] of Object.entries(expectObject(value, "components", origin))) {
    const entries = components.get(section) ?? new Map<string, Entry>();
    components.set(section, entries);
    for (const [name, definition] of Object.entries(
      expectObject(named, `components.${section}`, origin),
    )) {
      const label = `component ${section}/${name}`;
      mergeIdentical(entries, name, { value: definition, origin }, label);
    }
  }
}

function mergeTags(tags: Map<string, Entry>, value: unknown, origin: string): void {
  if (!Array.isArray(value)) {
    throw new PipelineError(`${origin}: "tags" must be an array.`);
  }
  for (const tag of value) {
    if (!isPlainObject(tag) || typeof tag.name !== "string") {
      throw new PipelineError(`${origin}: every tag needs a "name" string.`);
    }
    mergeIdentical(tags, tag.name, { value: tag, origin }, `tag "${tag.name}"`);
  }
}

/** Stores `next` under `key`, or checks that it equals the stored value. */
function mergeIdentical(
  entries: Map<string, Entry>,
  key: string,
  next: Entry,
  label: string,
): void {
  const known = entries.get(key);
  if (known === undefined) {
    entries.set(key, next);
    return;
  }
  if (!deepEqual(known.value, next.value)) {
    throw new PipelineError(
      `The ${label} is defined differently in ${known.origin} and in ${next.origin}; ` +
        "the merged document can hold only one definition, so make them identical.",
    );
  }
}

function buildPaths(paths: Map<string, Map<string, Entry>>): JsonObject {
  const result: JsonObject = {};
  for (const path of [...paths.keys()].sort(compareCodeUnits)) {
    const fields = paths.get(path) ?? new Map<string, Entry>();
    const nonMethods = [...fields.keys()].filter((key) => !METHOD_ORDER.includes(key)).sort();
    result[path] = orderedObject(fields, [...nonMethods, ...METHOD_ORDER]);
  }
  return result;
}

function buildComponents(components: Map<string, Map<string, Entry>>): JsonObject {
  const sections = new Map<string, Entry>();
  for (const [section, entries] of components) {
    const names = [...entries.keys()].sort(compareCodeUnits);
    sections.set(section, { value: orderedObject(entries, names), origin: "" });
  }
  return orderedObject(sections, COMPONENT_ORDER);
}

/** Builds an object with the keys of `order` first, then the remaining keys sorted. */
function orderedObject(entries: Map<string, Entry>, order: readonly string[]): JsonObject {
  const rest = [...entries.keys()].filter((key) => !order.includes(key)).sort(compareCodeUnits);
  const result: JsonObject = {};
  for (const key of [...order, ...rest]) {
    const entry = entries.get(key);
    if (entry !== undefined) result[key] = entry.value;
  }
  return result;
}

function expectObject(value: unknown, label: string, origin: string): JsonObject {
  if (!isPlainObject(value)) {
    throw new PipelineError(`${origin}: ${label} must be a JSON object.`);
  }
  return value;
}

/**
 * Compares two JSON values structurally. Object key order does not matter, but array order
 * does, so `required: [a, b]` and `required: [b, a]` count as different.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}
