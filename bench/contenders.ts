import axios from "axios";
import ky from "ky";
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createRecurringPaymentsClient } from "../src/index.js";
import {
  API_KEY,
  CUSTOMER_KEY,
  type CustomerToken,
  TOKEN,
  TOKENS_PATH,
  type TokensPayload,
  tokensPathFor,
} from "./fixtures.js";
import type { Contender } from "./harness.js";

/** The three operations of the tokens path, named after the client's methods. */
export type Operation = "list" | "add" | "update";

export const OPERATIONS: readonly Operation[] = ["list", "add", "update"];

const HTTP_METHODS = { list: "GET", add: "POST", update: "PUT" } as const;

/** Destination of a contender's requests: an injected `fetch` and the base URL to call it with. */
export interface Transport {
  fetch: typeof globalThis.fetch;
  baseUrl: string;
}

function tokensOf(payload: TokensPayload | undefined): CustomerToken[] {
  return payload?.["customer-tokens"]?.token ?? [];
}

/** Creates the limit: one hand-built `Request`, `fetch`, a status check and `response.json()`. */
export function createFetchContender(operation: Operation, transport: Transport): Contender {
  const method = HTTP_METHODS[operation];
  const hasBody = operation !== "list";
  const headers: Record<string, string> = { "api-key": API_KEY, accept: "application/json" };
  if (hasBody) {
    headers["content-type"] = "application/json";
  }

  return {
    name: "fetch",
    call: async () => {
      const request = new Request(`${transport.baseUrl}${tokensPathFor(CUSTOMER_KEY)}`, {
        method,
        headers,
        body: hasBody ? JSON.stringify(TOKEN) : undefined,
      });
      const response = await transport.fetch(request);
      if (!response.ok) {
        throw new Error(`fetch contender: request failed with status ${response.status}`);
      }
      return tokensOf((await response.json()) as TokensPayload);
    },
  };
}

/** Creates the base: openapi-fetch with the generated `paths`, as this client wraps it. */
export function createOpenapiFetchContender(operation: Operation, transport: Transport): Contender {
  const api = createClient<paths>({
    baseUrl: transport.baseUrl,
    fetch: transport.fetch,
    headers: { "api-key": API_KEY },
  });
  const params = { path: { customerKey: CUSTOMER_KEY } };

  const send = {
    list: () => api.GET(TOKENS_PATH, { params }),
    add: () => api.POST(TOKENS_PATH, { params, body: TOKEN }),
    update: () => api.PUT(TOKENS_PATH, { params, body: TOKEN }),
  }[operation];

  return {
    name: "openapi-fetch",
    call: async () => {
      const { data, error, response } = await send();
      if (error !== undefined) {
        throw new Error(`openapi-fetch contender: request failed with status ${response.status}`);
      }
      return tokensOf(data);
    },
  };
}

/** Creates a contender for this client that calls the `customerTokens` method of that name. */
export function createClientContender(operation: Operation, transport: Transport): Contender {
  const client = createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl: transport.baseUrl,
    fetch: transport.fetch,
  });

  const send = {
    list: () => client.customerTokens.list(CUSTOMER_KEY),
    add: () => client.customerTokens.add(CUSTOMER_KEY, TOKEN),
    update: () => client.customerTokens.update(CUSTOMER_KEY, TOKEN),
  }[operation];

  return { name: `client .${operation}`, call: send };
}

/** Creates a ky 1.x contender with ky's defaults, apart from the injected `fetch`. */
export function createKyContender(operation: Operation, transport: Transport): Contender {
  const api = ky.create({
    prefixUrl: transport.baseUrl,
    fetch: transport.fetch,
    headers: { "api-key": API_KEY },
  });
  // ky rejects an input that starts with "/" when `prefixUrl` is set.
  const path = tokensPathFor(CUSTOMER_KEY).slice(1);

  const send = {
    list: () => api.get(path),
    add: () => api.post(path, { json: TOKEN }),
    update: () => api.put(path, { json: TOKEN }),
  }[operation];

  return {
    name: "ky",
    call: async () => tokensOf(await send().json<TokensPayload>()),
  };
}

/** Creates an axios 1.x contender on its fetch adapter, given the injected `fetch` in `env`. */
export function createAxiosContender(operation: Operation, transport: Transport): Contender {
  const api = axios.create({
    baseURL: transport.baseUrl,
    adapter: "fetch",
    env: { fetch: transport.fetch },
    headers: { "api-key": API_KEY },
  });
  const path = tokensPathFor(CUSTOMER_KEY);

  const send = {
    list: () => api.get<TokensPayload>(path),
    add: () => api.post<TokensPayload>(path, TOKEN),
    update: () => api.put<TokensPayload>(path, TOKEN),
  }[operation];

  return {
    name: "axios",
    call: async () => tokensOf((await send()).data),
  };
}
