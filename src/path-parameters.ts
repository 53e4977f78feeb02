/**
 * Checks of path parameters, shared by the facade and `client.api`, so that no value can move a
 * request to another route while it carries the API key.
 */
import { describeValue, RequestValidationError } from "./errors.js";

/** A lone UTF-16 surrogate, which `encodeURIComponent` cannot encode. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A `{name}` placeholder of an OpenAPI path template. */
const PATH_PLACEHOLDER = /\{([^{}]+)\}/g;

/** A `.` or `..` path segment, with any dot written as `%2e` or `%2E` too. */
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;

/** A percent-encoded `/` or `\`, in either case. */
const ENCODED_SEPARATOR = /%(2f|5c)/i;

/** The fix that the message of a rejected path template suggests. */
const PATH_TEMPLATE_FIX = "pass a path template of the spec and the values in params.path";

/**
 * Checks whether URL parsing would remove a segment of `path` or step up from it. The parser
 * reads `%2e` as a dot and treats `\` like `/`, so `/a/.%2E\b` counts too. Note: a segment that
 * joins a placeholder and dots, such as `{a}.`, is not checked here, because it can only become
 * `.` or `..` with a value that is empty or `.`, and `validatePathParameter` rejects both.
 */
function hasDotSegment(path: string): boolean {
  return path.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment));
}

/**
 * Throws `RequestValidationError` unless `value` stays one path segment once encoded: it must
 * be a non-empty string of well-formed Unicode, and not `.` or `..`, which URL resolution would
 * remove or turn into a step up. Every other character is percent-encoded. Note: numbers are
 * rejected too, because every path parameter of the spec is a string.
 */
export function validatePathParameter(name: string, value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw new RequestValidationError(`${name} must be a string, received ${describeValue(value)}`);
  }
  if (value === "") {
    throw new RequestValidationError(`${name} must not be empty; pass the ${name} of the request`);
  }
  if (value === "." || value === "..") {
    throw new RequestValidationError(
      `${name} ${describeValue(value)} is invalid because it would change the request path; ` +
        `pass the ${name} of the request`,
    );
  }
  if (LONE_SURROGATE.test(value)) {
    throw new RequestValidationError(
      `${name} ${describeValue(value)} contains an unpaired UTF-16 surrogate and ` +
        "cannot be encoded in a URL; pass well-formed Unicode",
    );
  }
}

/**
 * Checks the path and path parameters of a `client.api` call before anything is sent. The path
 * template must not contain a `.` or `..` segment, or a `%2F` or `%5C`. Every placeholder of
 * `schemaPath` needs a value in `params.path`, and each value in `params.path` must pass
 * `validatePathParameter`. openapi-fetch would otherwise leave an empty segment, resolve `..`,
 * or join an array with commas.
 */
export function validatePathParameters(schemaPath: unknown, params: unknown): void {
  if (typeof schemaPath !== "string") {
    throw new RequestValidationError(
      `path must be a string, received ${describeValue(schemaPath)}`,
    );
  }
  // The path as the WHATWG URL parser of http(s) URLs reads it: the parser drops tabs and
  // newlines, so `/a/.\t.` becomes `/a/..`, and the path ends at `?` or `#`.
  const templatePath = schemaPath.replace(/[\t\n\r]/g, "").split(/[?#]/)[0] as string;
  if (hasDotSegment(templatePath)) {
    throw new RequestValidationError(
      `path ${describeValue(schemaPath)} is invalid because its "." or ".." segment would ` +
        `change the route; ${PATH_TEMPLATE_FIX}`,
    );
  }
  // URL parsing keeps `%2F` and `%5C`, but a server or proxy that decodes them before it
  // resolves dot segments would read `..%2F` as `../`. A value's `/` is encoded by
  // openapi-fetch and stays inside its segment, so only the template is checked.
  if (ENCODED_SEPARATOR.test(templatePath)) {
    throw new RequestValidationError(
      `path ${describeValue(schemaPath)} is invalid because a server may decode its %2F or ` +
        `%5C into a "/" or "\\" separator; ${PATH_TEMPLATE_FIX}`,
    );
  }
  const path = (params as { path?: unknown } | null | undefined)?.path;
  if (path !== undefined && (typeof path !== "object" || path === null || Array.isArray(path))) {
    throw new RequestValidationError(
      `params.path must be an object of path parameters, received ${describeValue(path)}`,
    );
  }

  const values = (path ?? {}) as Record<string, unknown>;
  for (const match of schemaPath.matchAll(PATH_PLACEHOLDER)) {
    // openapi-fetch reads `{.name}`, `{;name}` and `{name*}` as label, matrix and explode styles.
    const name = (match[1] as string).replace(/^[.;]|\*$/g, "");
    validatePathParameter(name, values[name]);
  }
  for (const [name, value] of Object.entries(values)) {
    validatePathParameter(name, value);
  }
}
