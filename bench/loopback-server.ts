// Child process for the throughput section: a node:http server on 127.0.0.1 that responds to
// every request with the tokens payload. It runs apart from the benchmark so that server work
// does not share an event loop with the contenders. It sends its port to the parent over IPC
// and exits when the parent disconnects, or after MAX_LIFETIME_MS if the parent never does.
import { createServer } from "node:http";
import { TOKENS_BODY, TOKENS_BODY_BYTES } from "./fixtures.js";

const MAX_LIFETIME_MS = 15 * 60 * 1000;

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": TOKENS_BODY_BYTES,
    });
    response.end(TOKENS_BODY);
  });
});
// Longer than Node's 5 s default so idle keep-alive sockets between rounds are not closed while
// the client is about to reuse them.
server.keepAliveTimeout = 60_000;

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error(`loopback server: expected a TCP address, got ${String(address)}`);
  }
  process.send?.({ port: address.port });
});

function shutDown(): void {
  server.closeAllConnections();
  server.close();
  process.exit(0);
}

process.on("disconnect", shutDown);
setTimeout(shutDown, MAX_LIFETIME_MS).unref();
