/** Typed client for the Xplor Pay (formerly Clearent) Recurring Payments API. */
export type { components, paths } from "../generated/schema.js";
export type { CallOptions } from "./api.js";
export {
  createRecurringPaymentsClient,
  ENVIRONMENT_BASE_URLS,
  type Environment,
  type RecurringPaymentsClient,
  type RecurringPaymentsClientOptions,
} from "./client.js";
export type { CustomerToken, CustomerTokens } from "./customer-tokens.js";
export {
  ApiError,
  type ApiErrorDetails,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  ConnectionError,
  formatHttpErrorMessage,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RecurringPaymentsError,
  RequestValidationError,
  ResponseParseError,
  TimeoutError,
} from "./errors.js";
export {
  type ClientEvent,
  type ClientEventListener,
  type FailureEvent,
  maskTokenId,
  type ResponseEvent,
  type RetryEvent,
} from "./events.js";
export { ERROR_BODY_LIMIT_BYTES } from "./serialization.js";
export type { FetchFunction, SleepFunction } from "./transport.js";
