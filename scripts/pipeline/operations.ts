import { PipelineError } from "./errors.js";
import { type Fragment, isPlainObject } from "./extract.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * Checks that every operation of the bundled document has a unique operationId.
 *
 * Note: the vendor pages number their operationIds per page (`get`, `get_1`, `post`, ...), so
 * two pages can each be valid and still collide. The check runs after the overlay, which renames
 * such operations, and names the pages that define both operations.
 *
 * @throws PipelineError naming both operations and their pages for each operationId used twice.
 */
export function checkOperationIds(
  document: Record<string, unknown>,
  fragments: readonly Fragment[],
): void {
  const owners = new Map<string, string>();
  const conflicts: string[] = [];
  const paths = isPlainObject(document.paths) ? document.paths : {};

  for (const [path, item] of Object.entries(paths)) {
    if (!isPlainObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isPlainObject(operation) || typeof operation.operationId !== "string") continue;
      const label = `${method.toUpperCase()} ${path} (${originOf(fragments, path, method)})`;
      const known = owners.get(operation.operationId);
      if (known === undefined) {
        owners.set(operation.operationId, label);
      } else {
        conflicts.push(`  "${operation.operationId}": ${known} and ${label}`);
      }
    }
  }

  if (conflicts.length > 0) {
    throw new PipelineError(
      "Operations share an operationId, which the generated types and the client need unique; " +
        `rename one of each pair in the overlay:\n${conflicts.join("\n")}`,
    );
  }
}

/** Returns `page:line` of the fence that defines the operation, or "overlay" when none does. */
function originOf(fragments: readonly Fragment[], path: string, method: string): string {
  const fragment = fragments.find((candidate) => {
    const paths = candidate.document.paths;
    return isPlainObject(paths) && isPlainObject(paths[path]) && method in paths[path];
  });
  return fragment === undefined ? "overlay" : `${fragment.page}:${fragment.line}`;
}
