/** An injected `fetch` for unit tests: records each request and responds from a function. */

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
