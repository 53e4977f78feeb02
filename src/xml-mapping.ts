import { xmlMapping } from "../generated/xml-mapping.js";
import { XmlError } from "./xml-error.js";

/** XML form of one value: a scalar, a list, an inline object or a reference to a schema. */
export type XmlValueMapping =
  | { kind: "string" | "number" | "integer" | "boolean" | "any" }
  | { kind: "ref"; schema: string }
  | { kind: "object"; properties: XmlPropertyMapping[] }
  | {
      kind: "array";
      items: XmlValueMapping;
      /** Element that each item repeats under. */
      itemElement: string;
      /** Other item element names that the parser accepts. */
      itemAliases: string[];
      /** Element around the items, for a list declared `xml.wrapped`. */
      wrapper?: string;
    };

/** XML form of one object property. */
export interface XmlPropertyMapping {
  /** Property name in JSON. */
  name: string;
  /** Element or attribute name that the serializer writes. */
  element: string;
  /** Other names that the parser accepts for the same property. */
  aliases: string[];
  attribute: boolean;
  value: XmlValueMapping;
}

/** XML form of a document: its root element and its content. */
export interface XmlBodyMapping {
  element: string;
  value: XmlValueMapping;
}

/** The generated table: every component schema, and the bodies of every operation. */
export interface XmlMappingTable {
  schemas: Record<string, XmlBodyMapping>;
  operations: Record<
    string,
    { request?: XmlBodyMapping; responses: Record<string, XmlBodyMapping | undefined> }
  >;
}

/**
 * The body to map: a component schema by name, an operation's request body, or an operation's
 * response body for a status.
 */
export type XmlTarget =
  | { schema: string }
  | { operation: string; body: "request" }
  | { operation: string; status: number | string };

/**
 * Looks up the mapping of a target. A response status that the operation does not declare
 * falls back to its `4XX`-style range, then to `default`; without either it returns undefined.
 *
 * @throws XmlError when the schema or operation is not in the spec, or the operation has no
 *   request body.
 */
export function findBodyMapping(target: XmlTarget): XmlBodyMapping | undefined {
  if ("schema" in target) {
    const body = xmlMapping.schemas[target.schema];
    if (!body) throw new XmlError("unknown-target", `Schema ${target.schema} is not in the spec.`);
    return body;
  }

  const operation = xmlMapping.operations[target.operation];
  if (!operation) {
    throw new XmlError("unknown-target", `Operation ${target.operation} is not in the spec.`);
  }
  if ("body" in target) {
    if (!operation.request) {
      throw new XmlError(
        "unknown-target",
        `Operation ${target.operation} declares no request body.`,
      );
    }
    return operation.request;
  }

  const status = String(target.status);
  return (
    operation.responses[status] ??
    operation.responses[`${status.charAt(0)}XX`] ??
    operation.responses.default
  );
}

/** Returns the mapping behind a `ref`, or the value itself for any other kind. */
export function resolveValueMapping(
  value: XmlValueMapping,
): Exclude<XmlValueMapping, { kind: "ref" }> {
  let current = value;
  // A chain of refs is finite because the generator emits a ref only to a component schema.
  while (current.kind === "ref") {
    const body = xmlMapping.schemas[current.schema];
    if (!body) throw new XmlError("unknown-target", `Schema ${current.schema} is not in the spec.`);
    current = body.value;
  }
  return current;
}
