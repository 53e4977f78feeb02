/** A node:http server on 127.0.0.1 that records every request, for fault and property tests. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request as the server received it. `body` is complete only once the handler has run. */
export interface RecordedRequest {
  method: string;
  /** The raw request target, e.g. `/rest/v2/customers/a%2Fb/tokens`. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** Responds to one request. `index` counts requests from 0 across the server's life. */
export type LoopbackHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  context: { index: number; recorded: RecordedRequest; body: string },
) => void | Promise<void>;

export interface LoopbackServer {
  /** Origin of the server, e.g. `http://127.0.0.1:40123`. */
  url: string;
  requests: RecordedRequest[];
  /** Sockets the server accepted, open or closed. */
  sockets: Socket[];
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a server on a free port of 127.0.0.1. The request is recorded when its headers arrive,
 * so a request whose body never completes still counts; the handler runs after the body.
 */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets: Socket[] = [];
  const server = createServer((request, response) => {
    const recorded: RecordedRequest = {
      method: request.method ?? "",
      url: request.url ?? "",
      headers: request.headers,
      body: "",
    };
    const index = requests.length;
    requests.push(recorded);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      recorded.body = Buffer.concat(chunks).toString("utf8");
      Promise.resolve(handler(request, response, { index, recorded, body: recorded.body })).catch(
        () => response.destroy(),
      );
    });
  });
  server.on("connection", (socket: Socket) => sockets.push(socket));

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON body with a `Content-Length`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** Returns a port of 127.0.0.1 that was free a moment ago and has no listener now. */
export async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
