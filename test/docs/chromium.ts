import { execFile, execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// Port 9 (discard) on loopback: a request sent there fails at once on a machine without that
// service, and the proxy still records any request that ignores the flag.
const UNUSED_ADDRESS = "http://127.0.0.1:9";

/** Chromium to run: `$CHROMIUM_PATH`, else `chromium` on the PATH, else undefined. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH !== undefined) return process.env.CHROMIUM_PATH;
  try {
    return (
      execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export interface ChromiumRun {
  chromium: string;
  /** Fresh profile directory for this run. */
  userDataDir: string;
  /** Proxy that receives every request to a host other than 127.0.0.1. */
  proxyOrigin: string;
  /** Extra flags, such as `--dump-dom` or `--screenshot=FILE`, followed by the URL. */
  args: string[];
}

/**
 * Runs headless Chromium once and returns its standard output.
 *
 * Note: every host other than 127.0.0.1 fails to resolve, and requests to such hosts go to the
 * recording proxy, so the test records them and nothing leaves the machine. The flags also turn off
 * Chromium's own background traffic: Chromium 150 of Debian still asked for the network time,
 * component updates and the Google account service with only `--disable-background-networking`,
 * so those three services get an unused loopback address.
 */
export function runChromium(run: ChromiumRun): Promise<string> {
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-features=NetworkTimeServiceQuerying",
    `--component-updater=url-source=${UNUSED_ADDRESS}`,
    `--gaia-url=${UNUSED_ADDRESS}`,
    `--user-data-dir=${run.userDataDir}`,
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    `--proxy-server=${run.proxyOrigin}`,
    // Lets the page's scripts run to completion before the DOM is dumped or captured.
    "--virtual-time-budget=10000",
    ...run.args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      run.chromium,
      flags,
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`chromium failed: ${error.message}\n${stderr.slice(-2_000)}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** A loopback server: serves `files` by path, or records proxy requests and refuses them. */
export interface RecordingServer {
  origin: string;
  /** Request targets received: paths, absolute URLs, or `host:port` of CONNECT requests. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 that serves `files` (path to HTML text) and 404 otherwise. */
export function startFileServer(files: Map<string, string>): Promise<RecordingServer> {
  return listen(
    createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
      const body = files.get(path);
      response.writeHead(body === undefined ? 404 : 200, { "content-type": "text/html" });
      response.end(body ?? "not found");
    }),
  );
}

/** Starts a proxy on 127.0.0.1 that records and refuses every request, HTTPS ones included. */
export async function startRecordingProxy(): Promise<RecordingServer> {
  const server = createServer((_request, response) => {
    response.writeHead(403).end();
  });
  server.on("connect", (request, socket) => {
    socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    void request;
  });
  return listen(server);
}

async function listen(server: Server): Promise<RecordingServer> {
  const requests: string[] = [];
  server.prependListener("request", (request) => requests.push(request.url ?? ""));
  server.prependListener("connect", (request) => requests.push(request.url ?? ""));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
