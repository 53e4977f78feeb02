/** Finds where a secret shows up in an error or an event, for leak assertions. */
import { inspect } from "node:util";

/**
 * Returns the places where `secret` occurs in `value`: its message, stack, own properties,
 * `cause` chain, `JSON.stringify` and `util.inspect` output. Empty when nothing leaks.
 */
export function findSecret(value: unknown, secret: string): string[] {
  const places: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = value;
  for (let depth = 0; current !== undefined && current !== null && !seen.has(current); depth += 1) {
    seen.add(current);
    const label = depth === 0 ? "value" : `cause ${depth}`;
    if (current instanceof Error) {
      if (current.message.includes(secret)) places.push(`${label} message`);
      if (current.stack?.includes(secret)) places.push(`${label} stack`);
    }
    if (typeof current === "object") {
      for (const name of Reflect.ownKeys(current)) {
        const property = (current as Record<string | symbol, unknown>)[name];
        if (typeof property === "string" && property.includes(secret)) {
          places.push(`${label} property ${String(name)}`);
        }
      }
    } else if (String(current).includes(secret)) {
      places.push(label);
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  if ((JSON.stringify(value) ?? "").includes(secret)) places.push("JSON.stringify");
  if (inspect(value, { depth: null, showHidden: true }).includes(secret))
    places.push("util.inspect");
  return places;
}

/** Loose leak check for a whole log: every serialised entry must lack the secret. */
export function countLeaks(values: readonly unknown[], secret: string): number {
  return values.filter((value) => findSecret(value, secret).length > 0).length;
}
