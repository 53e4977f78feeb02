/** Reason an XML conversion failed. */
export type XmlErrorReason =
  /** The text is not well-formed XML, or it declares a DOCTYPE. */
  | "malformed"
  /** The root element is not one of those accepted for the body. */
  | "unexpected-root"
  /** A value contains a character that XML 1.0 cannot carry. */
  | "invalid-character"
  /** A value cannot be written as XML, such as an object where the schema has a string. */
  | "invalid-value"
  /** The schema or operation is not in the spec. */
  | "unknown-target";

/**
 * Error thrown by `serializeXml` and `parseXml`. The client maps it to its own error classes:
 * on a request it means nothing was sent, on a response the body was not usable XML.
 */
export class XmlError extends Error {
  override name = "XmlError";
  readonly reason: XmlErrorReason;
  /** JSON pointer of the value at fault, when one value is at fault. */
  readonly pointer: string | undefined;

  constructor(
    reason: XmlErrorReason,
    message: string,
    options?: { pointer?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.pointer = options?.pointer;
  }
}
