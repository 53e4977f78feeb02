/** Typed client for the Xplor Pay (formerly Clearent) Recurring Payments API. */
export type { components, paths } from "../generated/schema.js";
export type { CallOptions } from "./api.js";
export type { ResponseValidationMode } from "./call-validation.js";
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
  type ResponseValidationDetails,
  ResponseValidationError,
  TimeoutError,
} from "./errors.js";
export {
  type ClientEvent,
  type ClientEventListener,
  type FailureEvent,
  maskTokenId,
  type ResponseEvent,
  type RetryEvent,
  type ValidationEvent,
} from "./events.js";
export { type BodyFormat, ERROR_BODY_LIMIT_BYTES } from "./serialization.js";
export type { FetchFunction, SleepFunction } from "./transport.js";
export type { ValidationProblem } from "./validation.js";
