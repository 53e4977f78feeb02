import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Response that the fixture server sends for one path, or `hang` to send none. */
export type Route =
  | { status?: number; headers?: Record<string, string>; body?: string | Uint8Array }
  | "hang";

/** A loopback HTTP server that serves fixture pages, started on a free port. */
export interface PageServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  origin: string;
  routes: Map<string, Route>;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? "/";
    requests.push(path);
    const route = routes.get(path) ?? { status: 404, body: "not found" };
    if (route === "hang") return;
    response.writeHead(route.status ?? 200, {
      "content-type": "text/markdown; charset=utf-8",
      ...route.headers,
    });
    response.end(route.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    routes,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fetches like `fetch`, but rejects every URL outside 127.0.0.1, so no test reaches another host. */
export const loopbackFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "127.0.0.1") {
    return Promise.reject(new Error(`test fetch blocked a request to ${url.host}`));
  }
  return fetch(input, init);
};
