/**
 * The `api-key` header, added to requests for the configured origin only. `redaction.ts` keeps
 * the key out of everything the client reports.
 */
import { RequestValidationError } from "./errors.js";

const API_KEY_HEADER = "api-key";

/** Visible ASCII with inner spaces: what a header value may contain without being changed. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** True when `apiKey` can be sent as a header value unchanged. */
export function isValidHeaderValue(apiKey: string): boolean {
  return HEADER_VALUE.test(apiKey);
}

/** Adds the key to requests for one origin. */
export interface Authenticator {
  /**
   * Sets the `api-key` header on `request`. Throws `RequestValidationError` before anything is
   * sent when the request's URL is not on the configured origin, so a per-call `baseUrl` or an
   * absolute URL cannot carry the key elsewhere. Returns the request's URL.
   */
  authenticate(request: Request, method: string): string;
}

/** Creates the authenticator for `origin`, e.g. `https://gateway-sb.clearent.net`. */
export function createAuthenticator(apiKey: string, origin: string): Authenticator {
  // A serialised URL ends its authority at the first "/" after "//", so this prefix matches
  // exactly the URLs whose origin is `origin`, including ports and userinfo tricks.
  const originPrefix = `${origin}/`;
  return {
    authenticate(request, method) {
      const url = request.url;
      if (!url.startsWith(originPrefix)) {
        throw new RequestValidationError(
          `${method} request to ${describeOrigin(url)} rejected: the client sends its ` +
            `API key only to ${origin}; create a separate client for another origin`,
        );
      }
      request.headers.set(API_KEY_HEADER, apiKey);
      return url;
    },
  };
}

function describeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an invalid URL";
  }
}
