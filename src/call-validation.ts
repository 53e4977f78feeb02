/** The client's `validateRequests` and `validateResponses` options, applied to one call. */
import { pathOf, RequestValidationError, ResponseValidationError } from "./errors.js";
import { emitEvent } from "./events.js";
import type { Call, TransportSettings } from "./transport.js";
import { formatProblems, validateRequestBody, validateResponseBody } from "./validation.js";

/** Handling of a 2xx response body that breaks the spec's schema. */
export type ResponseValidationMode = "off" | "warn" | "error";

/**
 * Validates the request body of `operation` against the spec's schema.
 *
 * @throws RequestValidationError listing every problem, with its JSON pointer and rule.
 */
export function rejectInvalidRequestBody(call: Call, operation: string, body: unknown): void {
  const problems = validateRequestBody(operation, body);
  if (problems.length === 0) {
    return;
  }
  throw new RequestValidationError(
    `${call.method} ${call.pathTemplate} was not sent because its body does not match the ` +
      `spec: ${formatProblems(problems)}`,
    { problems },
  );
}

/** A 2xx response to check, and what to do when it breaks the schema. */
export interface ResponseCheck {
  mode: Exclude<ResponseValidationMode, "off">;
  settings: Pick<TransportSettings, "onEvent" | "redactor">;
  call: Call;
  operation: string;
  response: Response;
  /** The parsed payload, without the gateway's envelope. */
  data: unknown;
}

/**
 * Validates a 2xx payload against the schema of its operation and status. With mode `"warn"`
 * it sends a `validation` event and returns. Fields that the schema lacks are not problems.
 *
 * @throws ResponseValidationError with mode `"error"` when the payload breaks the schema.
 */
export function checkResponseBody(check: ResponseCheck): void {
  const { call, response } = check;
  const { onEvent, redactor } = check.settings;
  const problems = validateResponseBody(check.operation, response.status, check.data);
  if (problems.length === 0) {
    return;
  }

  const exchangeId = call.exchangeId ?? response.headers.get("exchange-id") ?? undefined;
  if (check.mode === "error") {
    const details = {
      status: response.status,
      method: call.method,
      path: pathOf(call.url) || call.pathTemplate,
      exchangeId,
      problems,
    };
    throw new ResponseValidationError(redactor.redactFields(details));
  }
  if (onEvent !== undefined) {
    const event = {
      type: "validation" as const,
      method: call.method,
      path: call.pathTemplate,
      tokenId: call.tokenId,
      status: response.status,
      exchangeId,
      problems,
    };
    emitEvent(onEvent, event, redactor);
  }
}
