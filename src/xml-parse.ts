import { XMLParser, XMLValidator } from "fast-xml-parser";
import { XmlError } from "./xml-error.js";
import {
  findBodyMapping,
  resolveValueMapping,
  type XmlPropertyMapping,
  type XmlTarget,
  type XmlValueMapping,
} from "./xml-mapping.js";

/** The gateway's `<response>` envelope around a payload. Any field can be missing. */
export interface XmlEnvelope {
  /** HTTP status as text, such as `"200"`. */
  code?: string;
  /** `success`, `SUCCESS` or `fail`; compare it without regard to case. */
  status?: string;
  /** Request id to log, and to quote in support cases with the vendor. */
  exchangeId?: string;
  links: { rel?: string; href?: string }[];
}

/** A parsed XML body. */
export interface XmlParseResult {
  /** The body as the JSON form of its schema, or undefined for an envelope without payload. */
  value: unknown;
  /** Root element found: the schema's own element, the gateway's envelope, or Prism's wrapper. */
  root: "body" | "response" | "xml";
  /** Envelope fields, when the root was `<response>`. */
  envelope?: XmlEnvelope;
}

/** A parsed element: its text, attributes prefixed with `@_`, and child lists by name. */
type ElementNode = Record<string, unknown>;

const ATTRIBUTE_PREFIX = "@_";
const TEXT = "#text";
const ENVELOPE_ROOT = "response";
const PRISM_ROOT = "xml";
const GATEWAY_PAYLOAD = "payload";

// Note: every element parses as a list, so that a list with one item stays a list, and no text
// parses as a number, so that "0932" keeps its leading zero. The schema decides both later.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  alwaysCreateTextNode: true,
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Decodes numeric character references such as `&#13;` (and HTML's named ones).
  htmlEntities: true,
});

const DOCTYPE = /<!DOCTYPE/i;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses an XML body in the form that the spec's `xml` annotations declare for `target`.
 * Accepts three roots: the schema's element (`<payload type="...">`), the gateway's
 * `<response>` envelope with the payload inside, and Prism's `<xml>` wrapper, whose children
 * are the payload's properties. Numbers and booleans are converted only where the schema types
 * them so; text that does not convert stays a string, for response validation to report.
 * Elements that the schema lacks are kept: text as strings, repeated elements as lists.
 * A status that the operation does not declare parses the same way, with the payload's `type`
 * attribute read as `payloadType`.
 *
 * @throws XmlError with reason `malformed` for text that is not well-formed XML or that
 *   declares a DOCTYPE, `unexpected-root` for any other root, and `unknown-target` for a
 *   schema or operation that is not in the spec. It never throws another error.
 */
export function parseXml(target: XmlTarget, text: string): XmlParseResult {
  const body = findBodyMapping(target);
  const [rootName, rootNode] = parseRoot(text);
  const element = body?.element ?? GATEWAY_PAYLOAD;

  if (rootName === element) {
    return { value: convertBody(body?.value, rootNode), root: "body" };
  }
  if (rootName === ENVELOPE_ROOT) {
    const payload = firstChild(rootNode, [element, GATEWAY_PAYLOAD]);
    return {
      value: payload === undefined ? undefined : convertBody(body?.value, payload),
      root: "response",
      envelope: readEnvelope(rootNode),
    };
  }
  if (rootName === PRISM_ROOT) {
    return { value: convertBody(body?.value, rootNode), root: "xml" };
  }
  throw new XmlError(
    "unexpected-root",
    `XML root element <${rootName}> is none of <${element}>, <${ENVELOPE_ROOT}> or <${PRISM_ROOT}>.`,
  );
}

function parseRoot(text: string): [string, ElementNode] {
  if (DOCTYPE.test(text)) {
    throw new XmlError("malformed", "XML with a DOCTYPE declaration is not accepted.");
  }
  let document: Record<string, unknown>;
  try {
    const check = XMLValidator.validate(text);
    if (check !== true) {
      const { msg, line, col } = check.err;
      const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
      throw new XmlError("malformed", `XML is not well-formed at ${where}: ${msg}`);
    }
    document = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof XmlError) throw error;
    // fast-xml-parser 5 throws plain Errors, for example on elements named `__proto__` or
    // `constructor`.
    const reason = error instanceof Error ? error.message : String(error);
    throw new XmlError("malformed", `XML could not be parsed: ${reason}`, { cause: error });
  }

  const roots = Object.entries(document).filter(([name]) => name !== TEXT);
  const [first] = roots;
  const nodes = first?.[1];
  if (roots.length !== 1 || !first || !Array.isArray(nodes) || nodes.length !== 1) {
    throw new XmlError("malformed", "XML must have exactly one root element.");
  }
  return [first[0], nodes[0] as ElementNode];
}

function convertBody(mapping: XmlValueMapping | undefined, node: ElementNode): unknown {
  if (mapping === undefined) return convertUndeclaredPayload(node);
  const resolved = resolveValueMapping(mapping);
  if (resolved.kind === "array") {
    return [resolved.itemElement, ...resolved.itemAliases].flatMap((name) =>
      children(node, name).map((item) => convertValue(resolved.items, item)),
    );
  }
  return convertValue(resolved, node);
}

function convertValue(mapping: XmlValueMapping, node: ElementNode): unknown {
  const resolved = resolveValueMapping(mapping);
  switch (resolved.kind) {
    case "object":
      return convertObject(resolved.properties, node);
    case "array":
      return convertBody(resolved, node);
    case "any":
      return convertUntyped(node);
    default:
      // Child elements where the schema has a scalar are kept, so that validation reports them.
      if (hasChildElements(node)) return convertUntyped(node);
      return convertScalar(resolved.kind, textOf(node));
  }
}

function hasChildElements(node: ElementNode): boolean {
  return Object.keys(node).some((key) => key !== TEXT && !key.startsWith(ATTRIBUTE_PREFIX));
}

function convertObject(properties: readonly XmlPropertyMapping[], node: ElementNode): unknown {
  const result: Record<string, unknown> = {};
  const consumed = new Set<string>([TEXT]);

  for (const property of properties) {
    const names = [property.element, ...property.aliases];
    if (property.attribute) {
      const attribute = names.map((name) => ATTRIBUTE_PREFIX + name).find((key) => key in node);
      if (attribute !== undefined) {
        consumed.add(attribute);
        setProperty(
          result,
          property.name,
          convertScalarOf(property.value, String(node[attribute])),
        );
        continue;
      }
      // Prism writes attributes as child elements named after the property, so read those too.
    }

    const mapping = resolveValueMapping(property.value);
    if (mapping.kind === "array" && !property.attribute) {
      const items = readList(mapping, node, consumed);
      if (items !== undefined) setProperty(result, property.name, items);
      continue;
    }

    const name = names.find((candidate) => children(node, candidate).length > 0);
    if (name === undefined) continue;
    consumed.add(name);
    const [child] = children(node, name);
    if (child) setProperty(result, property.name, convertValue(mapping, child));
  }

  // Elements and attributes that the schema lacks are kept under their own names.
  for (const [key, value] of Object.entries(node)) {
    if (consumed.has(key)) continue;
    if (key.startsWith(ATTRIBUTE_PREFIX)) {
      setProperty(result, key.slice(ATTRIBUTE_PREFIX.length), String(value));
    } else {
      const items = (value as ElementNode[]).map(convertUntyped);
      setProperty(result, key, items.length === 1 ? items[0] : items);
    }
  }
  return result;
}

/** Reads a list property, or returns undefined when none of its elements is present. */
function readList(
  mapping: Extract<XmlValueMapping, { kind: "array" }>,
  node: ElementNode,
  consumed: Set<string>,
): unknown[] | undefined {
  if (mapping.wrapper !== undefined) {
    const [wrapper] = children(node, mapping.wrapper);
    if (!wrapper) return undefined;
    consumed.add(mapping.wrapper);
    return convertBody(mapping, wrapper) as unknown[];
  }

  const names = [mapping.itemElement, ...mapping.itemAliases];
  if (names.every((name) => children(node, name).length === 0)) return undefined;
  for (const name of names) consumed.add(name);
  return convertBody(mapping, node) as unknown[];
}

function convertScalarOf(mapping: XmlValueMapping, text: string): unknown {
  const resolved = resolveValueMapping(mapping);
  if (resolved.kind === "number" || resolved.kind === "integer" || resolved.kind === "boolean") {
    return convertScalar(resolved.kind, text);
  }
  return text;
}

function convertScalar(kind: string, text: string): unknown {
  if (kind === "boolean") {
    const trimmed = text.trim();
    // XML Schema's boolean lexical forms.
    if (trimmed === "true" || trimmed === "1") return true;
    if (trimmed === "false" || trimmed === "0") return false;
    return text;
  }
  if (kind === "number" || kind === "integer") {
    const trimmed = text.trim();
    if (!NUMBER_TEXT.test(trimmed)) return text;
    const number = Number(trimmed);
    // An integer beyond 2^53 would lose digits as a number, so it stays text.
    if (kind === "integer" && !Number.isSafeInteger(number)) return text;
    return number;
  }
  return text;
}

/** Converts an element that no schema describes: text as a string, children as properties. */
function convertUntyped(node: ElementNode): unknown {
  const keys = Object.keys(node).filter((key) => key !== TEXT);
  if (keys.length === 0) return textOf(node);
  return convertObject([], node);
}

function convertUndeclaredPayload(node: ElementNode): unknown {
  const value = convertUntyped(node);
  if (typeof value !== "object" || value === null || !("type" in value)) return value;
  // The gateway puts what JSON calls `payloadType` in the payload's `type` attribute.
  const { type, ...rest } = value as Record<string, unknown>;
  return { ...rest, payloadType: type };
}

function readEnvelope(node: ElementNode): XmlEnvelope {
  const envelope: XmlEnvelope = { links: [] };
  const code = childText(node, "code");
  const status = childText(node, "status");
  const exchangeId = childText(node, "exchange-id");
  if (code !== undefined) envelope.code = code;
  if (status !== undefined) envelope.status = status;
  if (exchangeId !== undefined) envelope.exchangeId = exchangeId;

  // NOTE: no XML sample of `<links>` is published. This reads each child of `<links>` as one
  // link, with `rel` and `href` as attributes or as child elements.
  for (const links of children(node, "links")) {
    for (const [key, items] of Object.entries(links)) {
      if (key === TEXT || key.startsWith(ATTRIBUTE_PREFIX) || !Array.isArray(items)) continue;
      for (const link of items as ElementNode[]) {
        const rel = attributeOrChild(link, "rel");
        const href = attributeOrChild(link, "href");
        envelope.links.push({
          ...(rel === undefined ? {} : { rel }),
          ...(href === undefined ? {} : { href }),
        });
      }
    }
  }
  return envelope;
}

function attributeOrChild(node: ElementNode, name: string): string | undefined {
  const attribute = node[ATTRIBUTE_PREFIX + name];
  return typeof attribute === "string" ? attribute : childText(node, name);
}

function childText(node: ElementNode, name: string): string | undefined {
  const [child] = children(node, name);
  return child === undefined ? undefined : textOf(child);
}

function firstChild(node: ElementNode, names: readonly string[]): ElementNode | undefined {
  for (const name of names) {
    const [child] = children(node, name);
    if (child) return child;
  }
  return undefined;
}

function children(node: ElementNode, name: string): ElementNode[] {
  if (name.startsWith(ATTRIBUTE_PREFIX) || name === TEXT || !Object.hasOwn(node, name)) return [];
  const value = node[name];
  return Array.isArray(value) ? (value as ElementNode[]) : [];
}

function textOf(node: ElementNode): string {
  const text = node[TEXT];
  return typeof text === "string" ? text : "";
}

/** Sets an own property even for names such as `constructor`, without touching prototypes. */
function setProperty(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
