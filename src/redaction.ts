/**
 * Keeps the API key and whole token ids out of everything the client reports. Response text can
 * carry the key raw or escaped (`\u0073` in JSON, `&#115;` in XML, `%73` in a URL), and a
 * decoded value carries it raw, so `redactText` matches every one of these spellings. It then
 * masks every run of 9 or more digits, such as a token id or a card number that the gateway
 * echoes, to its last four digits. Error details, error causes and events each pass through a
 * `Redactor` where they are built, before any value is cut for a message, because a cut key or
 * digit run would no longer match.
 */
import * as errorReports from "./error-reports.js";
import { truncateText } from "./errors.js";
import { maskDigitRuns } from "./events.js";

/** Placeholder that replaces the API key wherever response text echoes it. */
export const REDACTED = "[REDACTED]";

/** The module that builds error details and contains the redaction rules. */
type ErrorReports = typeof errorReports;

/** Removes the API key and masks digit runs in text, error details, error causes and events. */
export class Redactor {
  readonly #apiKey: string;
  readonly #spellings: RegExp;

  constructor(apiKey: string) {
    this.#apiKey = apiKey;
    this.#spellings = errorReports.createSpellingPattern(apiKey);
  }

  /** The error-building code, which applies this redactor to every detail it reports. */
  get errorReports(): ErrorReports {
    return errorReports;
  }

  /**
   * Number of characters to read past a cut so that a key that starts before the cut, in its
   * longest escaped spelling, is whole when it is redacted.
   */
  get cutMargin(): number {
    return this.#apiKey.length * errorReports.MAX_ESCAPED_CHARACTER_LENGTH;
  }

  /**
   * Replaces every spelling of the key in `text` with `[REDACTED]`, then masks every run of 9 or
   * more digits with `maskDigitRuns`.
   */
  redactText(text: string): string {
    return maskDigitRuns(this.#redactKey(text));
  }

  /**
   * Redacts `text`, then cuts it to `maxLength` characters. Redaction comes first, because a cut
   * through the key or a digit run would leave part of it unmatched.
   */
  redactAndCut(text: string, maxLength: number): string {
    return truncateText(this.redactText(text), maxLength);
  }

  #redactKey(text: string): string {
    let redacted = text.includes(this.#apiKey) ? text.split(this.#apiKey).join(REDACTED) : text;
    if (/[\\&%]/.test(redacted)) {
      redacted = redacted.replace(this.#spellings, REDACTED);
    }
    return redacted;
  }

  /**
   * Returns a copy of `details` whose string fields, and the messages and pointers of its
   * validation problems, are redacted. Note: digit runs in `exchangeId` are kept, because the
   * vendor's support needs the whole id to find the request. Only the key is redacted there.
   */
  redactFields<T extends object>(details: T): T {
    return errorReports.redactFields(details, (value, field) =>
      field === "exchangeId" ? this.#redactKey(value) : this.redactText(value),
    );
  }

  /**
   * Returns `cause`, or a copy without the key and with digit runs masked when it could reveal
   * either; see the rules module.
   */
  redactCause(cause: unknown): unknown {
    return errorReports.redactCause(cause, (value: string) => this.redactText(value));
  }
}
