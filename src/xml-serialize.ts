import { XMLBuilder } from "fast-xml-parser";
import { XmlError } from "./xml-error.js";
import {
  findBodyMapping,
  resolveValueMapping,
  type XmlPropertyMapping,
  type XmlTarget,
  type XmlValueMapping,
} from "./xml-mapping.js";

const ATTRIBUTE_PREFIX = "@_";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Values arrive escaped by `escapeText` and `escapeAttribute`, so the builder must not escape
// them again.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  processEntities: false,
  suppressEmptyNode: false,
  format: false,
});

// Characters outside the XML 1.0 `Char` production: C0 controls other than tab, line feed and
// carriage return, lone surrogates, U+FFFE and U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

// ASCII subset of the XML `Name` production, enough for the JSON keys that become elements.
const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

type BuilderNode = string | { [key: string]: BuilderNode | BuilderNode[] };

/**
 * Serializes `value` as an XML document in the form that the spec's `xml` annotations declare
 * for `target`: element and attribute names, lists as repeated elements, scalars as text.
 * Properties that the schema lacks become elements named after them. `null` and `undefined`
 * properties are left out, because the spec declares no `nullable` property and XML has no
 * plain null.
 *
 * Note: the root is the element that the spec names, so a token is sent as `<customer-token>`.
 * The vendor's XML examples send `<token>`, but no published document states which root the gateway
 * requires, and the spec is what the Prism contract tests check.
 *
 * @throws XmlError with reason `invalid-character` when a string contains a character that XML 1.0
 *   cannot carry, `invalid-value` when a value does not fit its schema type or a key is not an
 *   XML name, and `unknown-target` when the spec has no such body.
 */
export function serializeXml(target: XmlTarget, value: unknown): string {
  const body = findBodyMapping(target);
  if (!body) {
    throw new XmlError("unknown-target", "The spec declares no schema for this response status.");
  }
  const mapping = resolveValueMapping(body.value);
  const content =
    mapping.kind === "array"
      ? { [mapping.itemElement]: buildList(mapping, value, "") }
      : buildValue(mapping, value, "");
  return DECLARATION + builder.build({ [body.element]: content });
}

function buildValue(mapping: XmlValueMapping, value: unknown, pointer: string): BuilderNode {
  const resolved = resolveValueMapping(mapping);
  switch (resolved.kind) {
    case "object":
      return buildObject(resolved.properties, value, pointer);
    case "array":
      // A list inside a list has no element name of its own, so its items nest in one element.
      return { [resolved.itemElement]: buildList(resolved, value, pointer) };
    case "any":
      return buildUntyped(value, pointer);
    default:
      return escapeText(scalarText(value, pointer), pointer);
  }
}

function buildObject(
  properties: readonly XmlPropertyMapping[],
  value: unknown,
  pointer: string,
): BuilderNode {
  if (!isPlainObject(value)) {
    throw invalidValue(pointer, `must be an object, got ${describeType(value)}`);
  }

  const node: Record<string, BuilderNode | BuilderNode[]> = {};
  const known = new Set<string>();
  for (const property of properties) {
    known.add(property.name);
    const child = value[property.name];
    if (child === undefined || child === null) continue;
    const childPointer = `${pointer}/${escapePointerToken(property.name)}`;

    if (property.attribute) {
      node[ATTRIBUTE_PREFIX + property.element] = escapeAttribute(
        scalarText(child, childPointer),
        childPointer,
      );
      continue;
    }

    const mapping = resolveValueMapping(property.value);
    if (mapping.kind === "array") {
      const items = buildList(mapping, child, childPointer);
      if (mapping.wrapper !== undefined) node[mapping.wrapper] = { [mapping.itemElement]: items };
      else node[mapping.itemElement] = items;
    } else {
      node[property.element] = buildValue(mapping, child, childPointer);
    }
  }

  // Properties that the schema lacks keep their JSON names.
  for (const [name, child] of Object.entries(value)) {
    if (known.has(name) || child === undefined || child === null) continue;
    const childPointer = `${pointer}/${escapePointerToken(name)}`;
    node[elementName(name, childPointer)] = Array.isArray(child)
      ? child.map((item, index) => buildUntyped(item, `${childPointer}/${index}`))
      : buildUntyped(child, childPointer);
  }
  return node;
}

function buildList(
  mapping: Extract<XmlValueMapping, { kind: "array" }>,
  value: unknown,
  pointer: string,
): BuilderNode[] {
  if (!Array.isArray(value)) {
    throw invalidValue(pointer, `must be an array, got ${describeType(value)}`);
  }
  return value.map((item, index) => buildValue(mapping.items, item, `${pointer}/${index}`));
}

/** Builds a value that no schema describes: objects as elements, scalars as text. */
function buildUntyped(value: unknown, pointer: string): BuilderNode {
  if (!isPlainObject(value)) return escapeText(scalarText(value, pointer), pointer);

  const node: Record<string, BuilderNode | BuilderNode[]> = {};
  for (const [name, child] of Object.entries(value)) {
    if (child === undefined || child === null) continue;
    const childPointer = `${pointer}/${escapePointerToken(name)}`;
    node[elementName(name, childPointer)] = Array.isArray(child)
      ? child.map((item, index) => buildUntyped(item, `${childPointer}/${index}`))
      : buildUntyped(child, childPointer);
  }
  return node;
}

function scalarText(value: unknown, pointer: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw invalidValue(pointer, `must be a string, number or boolean, got ${describeType(value)}`);
}

function elementName(name: string, pointer: string): string {
  if (!XML_NAME.test(name)) {
    throw invalidValue(pointer, "has a name that is not a valid XML element name");
  }
  return name;
}

function escapeText(text: string, pointer: string): string {
  rejectInvalidCharacters(text, pointer);
  // A literal carriage return would be read back as a line feed, so it travels as a reference.
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("\r", "&#13;");
}

function escapeAttribute(text: string, pointer: string): string {
  rejectInvalidCharacters(text, pointer);
  // Parsers replace literal tabs and line breaks in attribute values with spaces.
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("\t", "&#9;")
    .replaceAll("\n", "&#10;")
    .replaceAll("\r", "&#13;");
}

function rejectInvalidCharacters(text: string, pointer: string): void {
  const match = NOT_XML_CHAR.exec(text);
  if (!match) return;
  const codePoint = match[0].codePointAt(0) ?? 0;
  const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
  throw new XmlError(
    "invalid-character",
    `Value at ${pointer || "/"} contains ${name}, which XML 1.0 cannot carry; ` +
      "remove control characters from the value or send the request as JSON.",
    { pointer },
  );
}

function invalidValue(pointer: string, problem: string): XmlError {
  return new XmlError("invalid-value", `Value at ${pointer || "/"} ${problem}.`, { pointer });
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}
