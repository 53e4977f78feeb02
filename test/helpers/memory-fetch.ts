/** An injected `fetch` for unit tests: records each request and responds from a function. */
import {
  type ClientEvent,
  createRecurringPaymentsClient,
  type RecurringPaymentsClientOptions,
} from "../../src/index.js";
import { API_KEY } from "./tokens.js";

export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  redirect: RequestRedirect;
}

export interface MemoryFetch {
  fetch: (input: Request, init?: RequestInit) => Promise<Response>;
  requests: SentRequest[];
}

/** Creates a `fetch` that records requests and returns what `respond` returns or throws. */
export function createMemoryFetch(
  respond: (request: SentRequest, index: number) => Response | Promise<Response>,
): MemoryFetch {
  const requests: SentRequest[] = [];
  const fetch = async (input: Request) => {
    const sent: SentRequest = {
      method: input.method,
      url: input.url,
      headers: new Headers(input.headers),
      body: input.body === null ? "" : await input.text(),
      redirect: input.redirect,
    };
    requests.push(sent);
    return respond(sent, requests.length - 1);
  };
  return { fetch, requests };
}

/** A JSON response with the given status. */
export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...Object.fromEntries(new Headers(headers)) },
  });
}

/** The gateway's envelope around a payload. */
export function envelope(payload: unknown, code = "200", status = "success"): unknown {
  return {
    code,
    status,
    "exchange-id": "ID-clearent-rps-1-test",
    links: [{ rel: "self", href: "https://gateway-sb.clearent.net/rest/v2/customers" }],
    payload,
  };
}

/** An error payload as the spec describes it. */
export function errorPayload(message: string, resultCode = "042"): unknown {
  return {
    error: {
      "error-message": message,
      "result-code": resultCode,
      "time-stamp": "2024-05-01T12:00:00Z",
    },
    payloadType: "error",
  };
}

/**
 * Creates a client that sends through `createMemoryFetch(respond)`, with no retries unless
 * `options` sets them, and records the client's events.
 */
export function createMemoryClient(
  respond: (request: SentRequest, index: number) => Response | Promise<Response>,
  options: Partial<RecurringPaymentsClientOptions> = {},
) {
  const memory = createMemoryFetch(respond);
  const events: ClientEvent[] = [];
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch: memory.fetch,
    maxRetries: 0,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { client, requests: memory.requests, events };
}
