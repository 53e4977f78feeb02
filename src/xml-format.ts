/**
 * XML bodies of a client created with `format: "xml"`. `api.ts` loads this module with a
 * dynamic `import()` on the first XML call, so an app that only uses JSON does not bundle
 * fast-xml-parser.
 */
import { RequestValidationError } from "./errors.js";
import { JSON_MEDIA_TYPE, parseJsonBody, type ResponseBodyParser } from "./serialization.js";
import { parseXml, serializeXml, XmlError } from "./xml.js";

/**
 * Serializes the request body of `operation` as XML. `label` names the call in the message,
 * such as `POST /rest/v2/customers/{customerKey}/tokens`.
 *
 * @throws RequestValidationError naming the value's JSON pointer when XML cannot carry it, for
 *   example a string with a control character.
 */
export function serializeXmlRequest(operation: string, body: unknown, label: string): string {
  try {
    return serializeXml({ operation, body: "request" }, body);
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    const problem = { pointer: error.pointer ?? "", rule: error.reason, message: error.message };
    throw new RequestValidationError(
      `${label} was not sent because its body cannot be written as XML: ${error.message}`,
      { cause: error, problems: [problem] },
    );
  }
}

/**
 * Creates the response parser of an XML call to `operation`. It maps the body by the schema
 * that the operation declares for the response's status, and returns the gateway's
 * `<response>` envelope in its JSON form (`code`, `status`, `exchange-id`, `links`, `payload`),
 * so that `unwrapEnvelope` reads both formats alike. A response whose `Content-Type` is JSON,
 * such as an error from a proxy, is parsed as JSON. Throws `XmlError` for a body that is not
 * well-formed XML or has another root element.
 */
export function createXmlResponseParser(operation: string): ResponseBodyParser {
  return (text, response) => {
    if (JSON_MEDIA_TYPE.test(response.headers.get("content-type") ?? "")) {
      return parseJsonBody(text);
    }
    if (text.trim() === "") {
      return undefined;
    }

    const parsed = parseXml({ operation, status: response.status }, text);
    if (parsed.root !== "response") {
      return parsed.value;
    }
    const envelope = parsed.envelope;
    return {
      code: envelope?.code,
      status: envelope?.status,
      "exchange-id": envelope?.exchangeId,
      links: envelope?.links ?? [],
      payload: parsed.value,
    };
  };
}
