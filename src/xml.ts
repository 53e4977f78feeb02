/**
 * XML bodies mapped by the spec's `xml` annotations, from a table that `scripts/validators.ts`
 * generates, so the spec is not parsed at run time.
 */

export { XML_MEDIA_TYPE } from "./serialization.js";
export { XmlError, type XmlErrorReason } from "./xml-error.js";
export type { XmlTarget } from "./xml-mapping.js";
export { parseXml, type XmlEnvelope, type XmlParseResult } from "./xml-parse.js";
export { serializeXml } from "./xml-serialize.js";
