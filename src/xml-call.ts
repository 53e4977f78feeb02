/**
 * The setup of a call from a client with `format: "xml"`. The XML code itself is in
 * `xml-format.ts`, which this module loads on the first XML call.
 */
import type { CallOverrides } from "./api.js";
import { ConfigurationError, RequestValidationError, truncateText } from "./errors.js";
import { customSerializer, keepSerializedBody, XML_MEDIA_TYPE } from "./serialization.js";
import type { Call } from "./transport.js";

/** The XML code, from `xml-format.ts`. */
export type XmlFormatModule = typeof import("./xml-format.js");

let xmlFormatModule: Promise<XmlFormatModule> | undefined;

/**
 * Loads the XML code for a call; the first XML call of the process imports it. Note: a dynamic
 * `import()` keeps fast-xml-parser out of the main chunk of a bundled app that never uses
 * `format: "xml"`.
 *
 * @throws RequestValidationError for an operation that the spec does not declare, because no
 *   XML mapping exists for it.
 * @throws ConfigurationError when the XML code cannot be loaded.
 */
export async function loadXmlFormat(
  call: Call,
  operation: string | undefined,
): Promise<XmlFormatModule> {
  if (operation === undefined) {
    throw new RequestValidationError(
      `${call.method} ${call.pathTemplate} cannot be sent as XML because the spec does not ` +
        'declare it, so no XML mapping exists; send it from a client with format "json"',
    );
  }
  xmlFormatModule ??= importXmlFormat();
  return xmlFormatModule;
}

async function importXmlFormat(): Promise<XmlFormatModule> {
  try {
    return await import("./xml-format.js");
  } catch (error) {
    // A failed load is not cached, so the next call tries again.
    xmlFormatModule = undefined;
    const reason = error instanceof Error ? truncateText(error.message, 200) : String(error);
    throw new ConfigurationError(
      `format "xml" could not load its XML code: ${reason}; ` +
        "check that the fast-xml-parser package is installed",
      { cause: error },
    );
  }
}

/**
 * Sets up an XML call: serializes the body as XML now, so that a value XML cannot carry rejects
 * before anything is sent, and parses responses by the operation's schemas.
 *
 * @throws RequestValidationError for a body value that XML cannot carry.
 */
export function prepareXmlCall(
  xml: XmlFormatModule,
  call: Call,
  operation: string,
  init: Record<string, unknown>,
  overrides: CallOverrides | undefined,
): void {
  call.parseBody = xml.createXmlResponseParser(operation);
  if (init.body === undefined) {
    return;
  }

  const serializer = customSerializer(overrides);
  if (serializer !== undefined) {
    init.bodySerializer = keepSerializedBody(call, serializer);
    return;
  }
  const label = `${call.method} ${call.pathTemplate}`;
  const text = xml.serializeXmlRequest(operation, init.body, label);
  init.headers = withDefaultContentType(init.headers, XML_MEDIA_TYPE);
  init.bodySerializer = keepSerializedBody(call, () => text);
}

/**
 * Adds a `Content-Type` to the headers of a call unless they set one. Note: openapi-fetch sends
 * `application/json` for any body whose headers set no type.
 */
function withDefaultContentType(headers: unknown, contentType: string): unknown {
  if (headers instanceof Headers) {
    const copy = new Headers(headers);
    if (!copy.has("content-type")) {
      copy.set("content-type", contentType);
    }
    return copy;
  }
  // The caller's keys come later, so any spelling of their Content-Type, or null, wins.
  return { "content-type": contentType, ...(headers as Record<string, unknown> | undefined) };
}
