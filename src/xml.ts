/**
 * XML bodies mapped by the spec's `xml` annotations, from a table that `scripts/validators.ts`
 * generates, so the spec is not parsed at run time.
 */
export { XmlError, type XmlErrorReason } from "./xml-error.js";
export type { XmlTarget } from "./xml-mapping.js";
export { parseXml, type XmlEnvelope, type XmlParseResult } from "./xml-parse.js";
export { serializeXml } from "./xml-serialize.js";

/** Media type of XML request and response bodies. */
export const XML_MEDIA_TYPE = "application/xml";
