/**
 * Structured events for the caller's logger. Events carry the path template, never the API key,
 * and token ids only masked to their last four characters.
 */

import type { Redactor } from "./redaction.js";
import type { ValidationProblem } from "./validation.js";

/** Fields shared by the events of an attempt. */
interface EventBase {
  method: string;
  /** The OpenAPI path template, e.g. `/rest/v2/customers/{customerKey}/tokens`. */
  path: string;
  /** The attempt the event belongs to, counting from 1. */
  attempt: number;
  /** Token id of an add or update call, masked by `maskTokenId`. */
  tokenId?: string;
}

/** An attempt ended with a 2xx response whose body was read. */
export interface ResponseEvent extends EventBase {
  type: "response";
  status: number;
  /** Time from the start of the attempt to the end of the body, in milliseconds. */
  durationMs: number;
  exchangeId: string | undefined;
}

/** An attempt failed and the client will try again after `delayMs`. */
export interface RetryEvent extends EventBase {
  type: "retry";
  /** Class name of the attempt's error, e.g. `InternalServerError` or `TimeoutError`. */
  error: string;
  status: number | undefined;
  exchangeId: string | undefined;
  durationMs: number;
  /** Wait before the next attempt, in milliseconds. */
  delayMs: number;
}

/** The call failed for good and rejects with the error named here. */
export interface FailureEvent extends EventBase {
  type: "failure";
  error: string;
  status: number | undefined;
  exchangeId: string | undefined;
  resultCode: string | undefined;
  durationMs: number;
}

/**
 * A 2xx response body breaks the spec's schema, sent once per call with
 * `validateResponses: "warn"`; the call still resolves with the data.
 */
export interface ValidationEvent {
  type: "validation";
  method: string;
  /** The OpenAPI path template, e.g. `/rest/v2/customers/{customerKey}/tokens`. */
  path: string;
  /** Token id of an add or update call, masked by `maskTokenId`. */
  tokenId?: string;
  status: number;
  exchangeId: string | undefined;
  /** Each rule the body breaks, with the JSON pointer of the value; values are masked. */
  problems: ValidationProblem[];
}

export type ClientEvent = ResponseEvent | RetryEvent | FailureEvent | ValidationEvent;

/** Receives the client's events; an exception it throws is ignored so it cannot fail a call. */
export type ClientEventListener = (event: ClientEvent) => void;

/** Masks a token id to its last four characters, e.g. `****************1111`. */
export function maskTokenId(tokenId: string): string {
  const visible = tokenId.length > 4 ? tokenId.slice(-4) : "";
  return `${"*".repeat(Math.max(tokenId.length - visible.length, 4))}${visible}`;
}

/**
 * Masks every run of 9 or more digits in `text` as `maskTokenId` masks a token id, e.g.
 * `token 11000383833939381111` becomes `token ****************1111`. Token ids and card numbers
 * are such runs. The client masks the strings of its errors with it, except `exchangeId`.
 */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d{9,}/g, maskTokenId);
}

/**
 * Calls the listener with `event`, its strings redacted, ignoring what the listener throws: a
 * broken logger must not fail a payment call. Every event the client sends passes through here.
 */
export function emitEvent(
  listener: ClientEventListener,
  event: ClientEvent,
  redactor: Redactor,
): void {
  const redacted = redactor.redactFields(event);
  try {
    listener(redacted);
  } catch {
    // Ignored on purpose, see above.
  }
}
