import {
  operationKeysByRoute,
  requestValidators,
  responseValidators,
} from "../generated/validators.js";
import { maskDigitRuns } from "./events.js";

/** One rule that a value breaks. */
export interface ValidationProblem {
  /**
   * JSON pointer (RFC 6901) of the value at fault inside the body, such as `/exp-date`. Errors
   * and events mask runs of 9 or more digits in property names, so such a pointer does not
   * resolve in the body.
   */
  pointer: string;
  /** The JSON Schema keyword broken: `required`, `type`, `enum`, `pattern`, ... */
  rule: string;
  /** Readable sentence that names the value, with secrets masked. */
  message: string;
}

/** One error of an Ajv validator, with the fields read here. */
export interface ValidatorError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A validator compiled from the spec by `scripts/validators.ts` (Ajv standalone code). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ValidatorError[] | null;
}

/** Properties whose values never appear whole in a message. */
const MASKED_PROPERTIES: Record<string, (value: string) => string> = {
  // A token id can charge the card it represents, so only its last four characters are shown.
  "token-id": maskToLastFour,
  // Address verification data is personal data.
  "avs-address": () => "(hidden)",
  "avs-zip": () => "(hidden)",
};

const MAX_SHOWN_LENGTH = 40;

function maskToLastFour(value: string): string {
  return value.length > 4 ? `…${value.slice(-4)}` : "…";
}

/**
 * A run of digits as long as a card number or a token id (12 to 20 digits in this API). A value
 * containing one is masked wherever it appears, such as a card number in `last-four-digits`.
 */
const LONG_DIGIT_RUN = /\d{9,}/;

/**
 * Returns the operation key of a route, such as `addCustomerToken` for
 * `POST /rest/v2/customers/{customerKey}/tokens`, or undefined when the spec lacks the route.
 * `schemaPath` is the path template as the spec writes it.
 */
export function findOperationKey(method: string, schemaPath: string): string | undefined {
  const route = `${method} ${schemaPath}`;
  return Object.hasOwn(operationKeysByRoute, route) ? operationKeysByRoute[route] : undefined;
}

/** Runs `validator` on `value` and returns every problem found, or an empty list. */
export function validateValue(validator: CompiledValidator, value: unknown): ValidationProblem[] {
  if (validator(value)) return [];
  return (validator.errors ?? []).map((error) => toProblem(error, value));
}

/**
 * Validates a request body against the schema of operation `operation` (the operationId, or
 * `METHOD /path` for an operation without one). Returns an empty list for an operation without a
 * request body.
 */
export function validateRequestBody(operation: string, body: unknown): ValidationProblem[] {
  const validator = requestValidators[operation];
  return validator ? validateValue(validator, body) : [];
}

/**
 * Validates a response body (the payload, without the gateway's envelope) against the schema
 * declared for `status`, or for its `4XX`-style range, or for `default`. Returns an empty list
 * when the operation declares none of them. Properties that the schema lacks are accepted.
 */
export function validateResponseBody(
  operation: string,
  status: number | string,
  body: unknown,
): ValidationProblem[] {
  const validators = responseValidators[operation];
  if (!validators) return [];
  const key = String(status);
  const validator = validators[key] ?? validators[`${key.charAt(0)}XX`] ?? validators.default;
  return validator ? validateValue(validator, body) : [];
}

/**
 * Formats problems as one line for an error message or a log entry, such as
 * `/exp-date (pattern): must match ...; /token-id (required): ...`. Lists at most `maxListed`
 * problems and counts the rest.
 */
export function formatProblems(problems: readonly ValidationProblem[], maxListed = 10): string {
  const listed = problems
    .slice(0, maxListed)
    .map((problem) => `${problem.pointer || "/"} (${problem.rule}): ${problem.message}`);
  const rest = problems.length - listed.length;
  if (rest > 0) listed.push(`and ${rest} more`);
  return listed.join("; ");
}

function toProblem(error: ValidatorError, root: unknown): ValidationProblem {
  const params = error.params;
  if (error.keyword === "required") {
    const property = String(params.missingProperty);
    return {
      pointer: `${error.instancePath}/${escapePointerToken(property)}`,
      rule: "required",
      message: `required property "${property}" is missing`,
    };
  }
  if (error.keyword === "additionalProperties") {
    // A property name can be a token id, so its digit runs are masked before it is cut. Errors
    // and events mask pointers and messages again as a whole.
    const property = maskDigitRuns(String(params.additionalProperty));
    return {
      pointer: `${error.instancePath}/${escapePointerToken(property)}`,
      rule: "additionalProperties",
      message: `property "${truncate(property)}" is not in the schema; check its spelling`,
    };
  }

  const shownValue = describeValue(error.instancePath, valueAt(root, error.instancePath));
  return {
    pointer: error.instancePath,
    rule: error.keyword,
    message: `${ruleSentence(error)}, got ${shownValue}`,
  };
}

function ruleSentence(error: ValidatorError): string {
  const params = error.params;
  switch (error.keyword) {
    case "type":
      return `must be of type ${String(params.type)}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
    case "pattern":
      return `must match the pattern ${String(params.pattern)}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return error.message ?? `breaks the rule ${error.keyword}`;
  }
}

/**
 * Describes a value for a message: strings quoted and cut short, secrets masked. A scalar
 * directly inside a list or at the root has no property name to judge it by, so only its type
 * is shown: a token list that contains bare token ids would otherwise print them.
 */
function describeValue(pointer: string, value: unknown): string {
  const property = unescapePointerToken(pointer.slice(pointer.lastIndexOf("/") + 1));
  const isScalar =
    typeof value === "string" || typeof value === "number" || typeof value === "bigint";
  const mask = findMask(property, isScalar ? String(value) : undefined);
  if (mask) {
    return isScalar ? `${typeof value} ${mask(String(value))}` : typeOf(value);
  }
  if (pointer === "" || /^\d+$/.test(property)) return typeOf(value);
  if (typeof value === "string") return JSON.stringify(truncate(value));
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  return typeOf(value);
}

function findMask(
  property: string,
  text: string | undefined,
): ((value: string) => string) | undefined {
  if (Object.hasOwn(MASKED_PROPERTIES, property)) return MASKED_PROPERTIES[property];
  if (text !== undefined && LONG_DIGIT_RUN.test(text)) return maskToLastFour;
  return undefined;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

function truncate(text: string): string {
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;
}

function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const token of pointer.split("/").slice(1)) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[unescapePointerToken(token)];
  }
  return current;
}

function escapePointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function unescapePointerToken(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}
