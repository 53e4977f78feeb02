/**
 * Fault injection: a loopback server plays each fault, and every client method it applies to
 * is called against it. Each case checks the outcome, the requests the server received, and
 * that the API key appears in no error or event. The figures are printed after the run.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  type ClientEvent,
  ConnectionError,
  createRecurringPaymentsClient,
  ERROR_BODY_LIMIT_BYTES,
  InternalServerError,
  RateLimitError,
  type RecurringPaymentsClient,
  ResponseParseError,
  TimeoutError,
} from "../../src/index.js";
import {
  findClosedPort,
  type LoopbackServer,
  sendJson,
  startLoopbackServer,
} from "../helpers/loopback-server.js";
import { countLeaks } from "../helpers/secrets.js";
import { API_KEY, TOKEN, tokensPayload } from "../helpers/tokens.js";

type MethodName = "list" | "add" | "update" | "api GET";
const METHODS: MethodName[] = ["list", "add", "update", "api GET"];
const HTTP_METHOD: Record<MethodName, string> = {
  list: "GET",
  add: "POST",
  update: "PUT",
  "api GET": "GET",
};
const TOKENS_PATH = "/rest/v2/customers/{customerKey}/tokens";

const TIMEOUT_MS = 150;
const MAX_RETRIES = 2;
const FIFTY_MEGABYTES = 50 * 1024 * 1024;

/** What a call must end with: tokens, or an error of the class. */
type Outcome = { tokens: true } | { error: abstract new (...args: never[]) => Error };

interface Expectation {
  outcome: Outcome;
  /** Requests the server must receive for one call. */
  requests: number;
}

interface Fault {
  name: string;
  /** How the server responds to request `index` (counted from 0). */
  handle: (request: IncomingMessage, response: ServerResponse, index: number) => void;
  /** Expectation for GET and PUT, and for POST, which differs when a retry could duplicate. */
  idempotent: Expectation;
  post: Expectation;
  /** Sends to a port with no listener instead of the server. */
  refused?: boolean;
}

const answerTokens = (_request: IncomingMessage, response: ServerResponse) =>
  sendJson(response, 200, tokensPayload([TOKEN]));
const tokens = { tokens: true } as const;
const all = (expectation: Expectation) => ({ idempotent: expectation, post: expectation });

const FAULTS: Fault[] = [
  {
    name: "reset connection",
    handle: (request) => request.socket.resetAndDestroy(),
    idempotent: { outcome: { error: ConnectionError }, requests: MAX_RETRIES + 1 },
    post: { outcome: { error: ConnectionError }, requests: 1 },
  },
  {
    name: "refused connection",
    handle: answerTokens,
    refused: true,
    ...all({ outcome: { error: ConnectionError }, requests: 0 }),
  },
  {
    name: "headers that never come",
    handle: () => undefined,
    idempotent: { outcome: { error: TimeoutError }, requests: MAX_RETRIES + 1 },
    post: { outcome: { error: TimeoutError }, requests: 1 },
  },
  {
    name: "body that stops halfway",
    handle: (request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": 4000 });
      response.write(JSON.stringify(tokensPayload([TOKEN])).slice(0, 100));
      setTimeout(() => request.socket.destroy(), 10);
    },
    idempotent: { outcome: { error: ConnectionError }, requests: MAX_RETRIES + 1 },
    post: { outcome: { error: ConnectionError }, requests: 1 },
  },
  {
    name: "503 then 200",
    handle: (request, response, index) =>
      index === 0 ? sendJson(response, 503, {}) : answerTokens(request, response),
    idempotent: { outcome: tokens, requests: 2 },
    post: { outcome: { error: InternalServerError }, requests: 1 },
  },
  {
    name: "429 with Retry-After 1 then 200",
    handle: (request, response, index) => {
      if (index > 0) return answerTokens(request, response);
      response.writeHead(429, { "retry-after": "1", "content-length": 0 });
      response.end();
    },
    idempotent: { outcome: tokens, requests: 2 },
    post: { outcome: { error: RateLimitError }, requests: 1 },
  },
  {
    name: "502 with an HTML body",
    handle: (_request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end("<html><body>Bad Gateway</body></html>");
    },
    idempotent: { outcome: { error: InternalServerError }, requests: MAX_RETRIES + 1 },
    post: { outcome: { error: InternalServerError }, requests: 1 },
  },
  {
    name: "cut-off JSON",
    handle: (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"customer-tokens":{"token":[{"token-id":"110003838');
    },
    ...all({ outcome: { error: ResponseParseError }, requests: 1 }),
  },
  {
    name: "401 with an empty body",
    handle: (_request, response) => {
      response.writeHead(401, { "content-length": 0 });
      response.end();
    },
    ...all({ outcome: { error: AuthenticationError }, requests: 1 }),
  },
  {
    name: "50 MB error body",
    handle: (_request, response) => {
      response.writeHead(500, { "content-type": "text/plain", "content-length": FIFTY_MEGABYTES });
      streamLargeBody(response);
    },
    idempotent: { outcome: { error: InternalServerError }, requests: MAX_RETRIES + 1 },
    post: { outcome: { error: InternalServerError }, requests: 1 },
  },
];

/** Bytes the large-body handler produced per response, to show the client stopped reading. */
const largeBodyBytes: number[] = [];

function streamLargeBody(response: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, "x");
  let produced = 0;
  const index = largeBodyBytes.push(0) - 1;
  const source = new Readable({
    read() {
      if (produced >= FIFTY_MEGABYTES) {
        this.push(null);
        return;
      }
      produced += chunk.length;
      largeBodyBytes[index] = produced;
      this.push(chunk);
    },
  });
  source.pipe(response);
  response.on("close", () => source.destroy());
}

const figures = { cases: 0, duplicatePosts: 0, keysLeaked: 0 };

interface CallRecord {
  result: unknown;
  error: unknown;
  events: ClientEvent[];
  delays: number[];
}

function createClient(baseUrl: string, events: ClientEvent[], delays: number[]) {
  return createRecurringPaymentsClient({
    apiKey: API_KEY,
    baseUrl,
    timeoutMs: TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
    onEvent: (event) => events.push(event),
    // Records the delay the client asked for, and waits briefly instead.
    sleep: (delayMs) => {
      delays.push(delayMs);
      return new Promise((resolve) => setTimeout(resolve, 1));
    },
  });
}

function callMethod(client: RecurringPaymentsClient, method: MethodName): Promise<unknown> {
  if (method === "list") return client.customerTokens.list("cust-0001");
  if (method === "add") return client.customerTokens.add("cust-0001", TOKEN);
  if (method === "update") return client.customerTokens.update("cust-0001", TOKEN);
  return client.api.GET(TOKENS_PATH, { params: { path: { customerKey: "cust-0001" } } });
}

async function runCall(baseUrl: string, method: MethodName): Promise<CallRecord> {
  const record: CallRecord = { result: undefined, error: undefined, events: [], delays: [] };
  const client = createClient(baseUrl, record.events, record.delays);
  try {
    record.result = await callMethod(client, method);
  } catch (error) {
    record.error = error;
  }
  return record;
}

/**
 * Counts the figures of one case, made of `records.length` calls of `method`, and checks that
 * the key leaked nowhere and reached the server on every request.
 */
function checkCase(records: CallRecord[], server: LoopbackServer, method: MethodName) {
  figures.cases += 1;
  const posts = server.requests.filter((request) => request.method === "POST").length;
  const duplicates = method === "add" ? Math.max(0, posts - records.length) : 0;
  figures.duplicatePosts += duplicates;
  expect(duplicates).toBe(0);

  for (const record of records) {
    const logLines = record.events.map((event) => JSON.stringify(event));
    const leaks = countLeaks([record.error, ...record.events, ...logLines], API_KEY);
    figures.keysLeaked += leaks;
    expect(leaks).toBe(0);
  }
  for (const request of server.requests) {
    expect(request.headers["api-key"]).toBe(API_KEY);
  }
}

function expectOutcome(record: CallRecord, outcome: Outcome): void {
  if ("tokens" in outcome) {
    expect(record.error).toBeUndefined();
    const data = record.result as { data?: unknown } | unknown[];
    const list = Array.isArray(data) ? data : (data as { data?: unknown }).data;
    expect(list).toEqual(Array.isArray(data) ? [TOKEN] : tokensPayload([TOKEN]));
    return;
  }
  expect(record.error).toBeInstanceOf(outcome.error);
}

describe.each(FAULTS)("fault: $name", (fault) => {
  it.each(METHODS)("%s", async (method) => {
    const server = await startLoopbackServer((request, response, { index }) =>
      fault.handle(request, response, index),
    );
    try {
      const baseUrl = fault.refused ? `http://127.0.0.1:${await findClosedPort()}` : server.url;
      const record = await runCall(baseUrl, method);
      const expected = HTTP_METHOD[method] === "POST" ? fault.post : fault.idempotent;

      expectOutcome(record, expected.outcome);
      expect(server.requests).toHaveLength(expected.requests);
      expect(server.requests.every((request) => request.method === HTTP_METHOD[method])).toBe(true);
      checkCase([record], server, method);

      if (record.error instanceof ApiError || record.error instanceof ConnectionError) {
        const attempts = fault.refused ? MAX_RETRIES + 1 : expected.requests;
        expect(record.error.attempts).toBe(attempts);
      }
      if (fault.name.startsWith("429") && "tokens" in expected.outcome) {
        expect(record.delays).toEqual([1000]);
      }
      if (fault.name === "50 MB error body") {
        expect((record.error as ApiError).bodyTruncated).toBe(true);
        expect((record.error as ApiError).body).toHaveLength(ERROR_BODY_LIMIT_BYTES);
      }
      if (fault.refused) {
        expect((record.error as ConnectionError).requestMayHaveBeenSent).toBe(false);
      }
    } finally {
      await server.close();
    }
  });
});

describe("large error body", () => {
  it("stops the server well before 50 MB", () => {
    expect(largeBodyBytes.length).toBeGreaterThan(0);
    for (const bytes of largeBodyBytes) {
      expect(bytes).toBeLessThan(FIFTY_MEGABYTES / 5);
    }
  });
});

describe("fault: stale keep-alive socket", () => {
  it.each(METHODS)("%s", async (method) => {
    const server = await startLoopbackServer((request, response) => {
      answerTokens(request, response);
      // Closes the connection once idle, while the client still keeps it for reuse.
      response.on("finish", () => setImmediate(() => request.socket.end()));
    });
    try {
      const first = await runCall(server.url, method);
      await waitForClosedSockets(server);
      const second = await runCall(server.url, method);
      expectOutcome(first, tokens);
      expectOutcome(second, tokens);
      checkCase([first, second], server, method);
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});

describe("fault: keep-alive socket closed during a POST", () => {
  it("rejects the add once and says it may have been applied", async () => {
    const server = await startLoopbackServer((request, response, { index }) => {
      // The server closes the POST's connection without responding, as a server does when its
      // keep-alive timeout ends while the client sends on the idle connection.
      if (index === 0) answerTokens(request, response);
      else request.socket.destroy();
    });
    try {
      const events: ClientEvent[] = [];
      const client = createClient(server.url, events, []);
      await client.customerTokens.list("cust-0001");
      // Lets the client return the socket to its pool, so that the POST usually reuses it. The
      // server closes the POST's socket either way, so the outcome does not depend on reuse.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const error = await client.customerTokens.add("cust-0001", TOKEN).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConnectionError);
      const connectionError = error as ConnectionError;
      expect(connectionError.requestMayHaveBeenSent).toBe(true);
      expect(connectionError.attempts).toBe(1);
      expect(connectionError.message).toMatch(
        /^POST \/rest\/v2\/customers\/cust-0001\/tokens failed/,
      );
      expect(connectionError.message).toContain(
        "the gateway may have received and applied the request, so list the customer's " +
          "tokens and add the token again only if it is missing",
      );
      expect(server.requests.map((request) => request.method)).toEqual(["GET", "POST"]);
      expect(countLeaks([error, ...events], API_KEY)).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("fault: port that fetch rejects", () => {
  // undici's fetch rejects these ports of the Fetch standard's bad-port list before it opens a
  // connection, so no server is needed and nothing is sent.
  it.each([9, 6000].flatMap((port) => METHODS.map((method) => [port, method] as const)))(
    "port %i, %s",
    async (port, method) => {
      const record = await runCall(`http://127.0.0.1:${port}`, method);
      expect(record.error).toBeInstanceOf(ConnectionError);
      const error = record.error as ConnectionError;
      expect(error.requestMayHaveBeenSent).toBe(false);
      expect(error.attempts).toBe(1);
      expect(record.delays).toEqual([]);
      expect(error.message).toBe(
        `${HTTP_METHOD[method]} /rest/v2/customers/cust-0001/tokens was not sent because fetch ` +
          "rejected the URL's port, which the Fetch standard blocks as a bad port; use another " +
          "port in baseUrl",
      );
      expect((error.cause as Error).cause).toEqual(new Error("bad port"));
      expect(countLeaks([error, ...record.events], API_KEY)).toBe(0);
    },
  );
});

describe("fault: redirect to another origin", () => {
  it.each(METHODS)("%s", async (method) => {
    const other = await startLoopbackServer(answerTokens);
    // The key in the query stands for a server that echoes the request's key into Location.
    const target = `${other.url}/rest/v2/customers/cust-0001/tokens?api-key=`;
    const server = await startLoopbackServer((_request, response) => {
      response.writeHead(302, { location: `${target}${API_KEY}` });
      response.end();
    });
    try {
      const record = await runCall(server.url, method);
      expect(record.error).toBeInstanceOf(ApiError);
      expect((record.error as ApiError).status).toBe(302);
      expect((record.error as ApiError).message).toContain(
        `because HTTP 302 Found is a redirect to "${target}[REDACTED]", which the client does ` +
          "not follow so that the API key never reaches another origin",
      );
      expect(server.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
      checkCase([record], server, method);
    } finally {
      await server.close();
      await other.close();
    }
  });
});

/** Waits until every socket the server accepted is closed, and the client has seen the FIN. */
async function waitForClosedSockets(server: LoopbackServer): Promise<void> {
  await Promise.all(
    server.sockets
      .filter((socket) => !socket.closed)
      .map((socket) => new Promise((resolve) => socket.once("close", resolve))),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
}

afterAll(() => {
  console.log(
    `fault figures: ${figures.cases} fault x method cases, ` +
      `${figures.duplicatePosts} duplicate POSTs, ${figures.keysLeaked} keys leaked`,
  );
});
