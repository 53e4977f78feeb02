/** The parts of redaction that match escaped spellings of the key and copy error causes. */
import type { ValidationProblem } from "./validation.js";

/**
 * Characters allowed per key character when reading past a cut: 6 for `\u0073`, with room for
 * a few leading zeros in `&#x0073;`. NOTE: a reference padded with more zeros than that can
 * leave the tail of a key that starts just before the cut unredacted.
 */
export const MAX_ESCAPED_CHARACTER_LENGTH = 12;

/** Deepest `cause` chain that `redactCause` checks or copies; deeper causes are dropped. */
const MAX_CAUSE_DEPTH = 5;

const BUILT_IN_ERRORS = [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];

const XML_ENTITIES: Record<string, string> = {
  "&": "amp",
  "<": "lt",
  ">": "gt",
  '"': "quot",
  "'": "apos",
};

/**
 * Creates a global regular expression that matches `apiKey` with each character in any
 * spelling that response text can use: raw, a JSON `\u` escape, a JSON backslash escape, an
 * XML character or entity reference, and URL percent-encoding. Hexadecimal digits match in
 * either case.
 */
export function createSpellingPattern(apiKey: string): RegExp {
  return new RegExp([...apiKey].map(characterPattern).join(""), "g");
}

function characterPattern(character: string): string {
  const code = character.charCodeAt(0);
  const hex = code.toString(16).padStart(2, "0");
  const spellings = [
    escapeForRegExp(character),
    `\\\\u00${anyCaseHex(hex)}`,
    `&#0*${code};`,
    `&#[xX]0*${anyCaseHex(hex.replace(/^0/, ""))};`,
    `%${anyCaseHex(hex)}`,
  ];
  if (character === '"' || character === "\\" || character === "/") {
    spellings.push(`\\\\${escapeForRegExp(character)}`);
  }
  const entity = XML_ENTITIES[character];
  if (entity !== undefined) {
    spellings.push(`&${entity};`);
  }
  return `(?:${spellings.join("|")})`;
}

function anyCaseHex(hex: string): string {
  return [...hex]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join("");
}

function escapeForRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/**
 * Returns a copy of `details` whose string fields, and the messages and pointers of its
 * validation problems, are redacted by `redactText`, which also receives the field's name.
 * Other fields are copied unchanged.
 */
export function redactFields<T extends object>(
  details: T,
  redactText: (text: string, field: string) => string,
): T {
  const copy: Record<string, unknown> = { ...(details as Record<string, unknown>) };
  for (const [name, value] of Object.entries(copy)) {
    if (typeof value === "string") {
      copy[name] = redactText(value, name);
    } else if (name === "problems" && Array.isArray(value)) {
      copy[name] = value.map((problem: ValidationProblem) => redactFields(problem, redactText));
    }
  }
  return copy as T;
}

/**
 * Returns `cause` itself when nothing in it can reveal what `redactText` removes (the key, or a
 * whole digit run), or else a copy that can't. Note: an injected `fetch` may reject with an
 * error that contains the `Request`, whose headers contain the key, and `util.inspect` prints it
 * through `cause`. The check walks the `cause` chain and `AggregateError.errors`. A chain that
 * contains an object other than an error, or a string that `redactText` changes, is replaced by
 * copies. Each copy keeps the error's class (built-in classes only), name, message, stack and
 * primitive properties such as `code`, strings redacted, and drops the rest. A chain of plain
 * errors without such strings, as Node's `fetch` rejects with, is returned unchanged.
 */
export function redactCause(cause: unknown, redactText: (text: string) => string): unknown {
  return isClean(cause, redactText, 0) ? cause : copyCause(cause, redactText, 0);
}

function isClean(value: unknown, redactText: (text: string) => string, depth: number): boolean {
  if (typeof value === "string") {
    return redactText(value) === value;
  }
  if (typeof value !== "object" || value === null) {
    return typeof value !== "function";
  }
  if (!(value instanceof Error) || depth > MAX_CAUSE_DEPTH) {
    return false;
  }
  for (const name of Reflect.ownKeys(value)) {
    const property = (value as unknown as Record<PropertyKey, unknown>)[name];
    const children = name === "errors" && Array.isArray(property) ? property : [property];
    if (!children.every((child) => isClean(child, redactText, depth + 1))) {
      return false;
    }
  }
  return true;
}

function copyCause(value: unknown, redactText: (text: string) => string, depth: number): unknown {
  if (typeof value === "string") {
    return redactText(value);
  }
  if (typeof value === "function") {
    return "a function";
  }
  if (typeof value !== "object" || value === null) {
    return value;
  }
  if (!(value instanceof Error)) {
    const type = Array.isArray(value) ? "an array" : "an object";
    return `a rejection with ${type} that the client does not keep`;
  }

  const message = redactText(value.message);
  let copy: Error;
  if (value instanceof AggregateError) {
    const errors: unknown[] = depth < MAX_CAUSE_DEPTH ? value.errors : [];
    copy = new AggregateError(
      errors.map((error) => copyCause(error, redactText, depth + 1)),
      message,
    );
  } else {
    const ErrorClass = BUILT_IN_ERRORS.find((builtIn) => value instanceof builtIn) ?? Error;
    copy = new ErrorClass(message);
  }
  if (copy.name !== value.name) {
    Object.defineProperty(copy, "name", { value: redactText(value.name), writable: true });
  }
  copy.stack = redactText(value.stack ?? "");

  const target = copy as unknown as Record<string, unknown>;
  for (const [name, property] of Object.entries(value)) {
    if (typeof property === "string") {
      target[name] = redactText(property);
    } else if (typeof property === "number" || typeof property === "boolean") {
      target[name] = property;
    }
  }
  if (value.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    Object.defineProperty(copy, "cause", {
      value: copyCause(value.cause, redactText, depth + 1),
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
