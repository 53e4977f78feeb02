import type { DiffChange, SpecDiff } from "./diff.js";

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** A change described for people: what kind of thing changed and its name. */
export interface DescribedChange {
  kind: string;
  /** `operation`, `field`, or the OpenAPI node type in lower case. */
  subject: string;
  /**
   * `PUT /rest/v2/...` for an operation, `schema.property` for a field (with the changed keyword
   * in brackets, if any), else the JSON pointer.
   */
  name: string;
  impact: string;
}

/** Describes one change of `redocly diff` by its kind, subject and name. */
export function describeChange(change: DiffChange): DescribedChange {
  // The pointer of the side that contains the node: additions exist only in the revision.
  const pointer = change.revision?.pointer ?? change.base?.pointer ?? change.path;
  const segments = decodePointer(pointer);
  const base = { kind: change.kind, impact: change.impact };

  const method = segments[2];
  if (change.typeName === "Operation" && segments[0] === "paths" && method !== undefined) {
    return { ...base, subject: "operation", name: `${method.toUpperCase()} ${segments[1]}` };
  }

  // A property, or a keyword of a property such as its `pattern`: the last `properties` segment
  // names the field.
  const index = segments.lastIndexOf("properties");
  const property = segments[index + 1];
  if (index > 0 && property !== undefined) {
    const field = `${ownerOf(segments.slice(0, index))}.${property}`;
    const keyword = segments.slice(index + 2).join("/");
    return { ...base, subject: "field", name: keyword === "" ? field : `${field} (${keyword})` };
  }
  return { ...base, subject: lowerFirst(change.typeName), name: pointer };
}

/**
 * Summarises a diff in a few lines: the verdict, counts of operations and fields added,
 * removed or changed, then one line a change.
 */
export function summarizeDiff(diff: SpecDiff, baseLabel: string): string[] {
  if (diff.changes.length === 0) {
    return [`Spec unchanged against ${baseLabel}: no version bump required.`];
  }
  const described = diff.changes.map(describeChange);
  const lines = [
    `Spec changed against ${baseLabel}: ${diff.bump} version bump required ` +
      `(${described.length} change(s)).`,
  ];
  for (const subject of ["operation", "field"]) {
    const counts = countByKind(described.filter((change) => change.subject === subject));
    if (counts !== "") lines.push(`  ${subject}s: ${counts}`);
  }
  const others = countByKind(
    described.filter((change) => change.subject !== "operation" && change.subject !== "field"),
  );
  if (others !== "") lines.push(`  other: ${others}`);
  for (const change of described) {
    lines.push(`  - ${change.kind} ${change.subject} ${change.name} (${change.impact})`);
  }
  return lines;
}

function countByKind(changes: readonly DescribedChange[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${count} ${kind}`).join(", ");
}

/** Names the schema at `segments`: the component name, else the operation, else the pointer. */
function ownerOf(segments: readonly string[]): string {
  if (segments[0] === "components" && segments[1] === "schemas" && segments[2] !== undefined) {
    return segments[2];
  }
  const method = segments[2];
  if (segments[0] === "paths" && method !== undefined && METHODS.has(method)) {
    return `${method.toUpperCase()} ${segments[1]}`;
  }
  return segments.join("/");
}

/** Splits a JSON pointer such as `#/paths/~1a~1b/get` into its unescaped segments. */
function decodePointer(pointer: string): string[] {
  return pointer
    .replace(/^#?\//, "")
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
