import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";

/** A running Prism mock server and the way to stop it. */
export interface PrismServer {
  /** Origin the mock listens on, such as `http://127.0.0.1:41234`. */
  url: string;
  /** Stops the server and resolves when its process has exited. */
  close(): Promise<void>;
}

export interface StartPrismOptions {
  /** Path of the OpenAPI document to mock. */
  specPath: string;
  /** How long to wait for Prism to report that it listens, in milliseconds. Default 60 000. */
  startTimeoutMs?: number;
}

const LISTENING = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/;

// Prism's log lines are colored, so strip ANSI escapes before matching them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every ANSI sequence.
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

/**
 * Starts `prism mock` on 127.0.0.1 with a port the system picks, and resolves once Prism
 * prints the address it listens on. Rejects with Prism's output when it exits or times out first.
 */
export function startPrism(options: StartPrismOptions): Promise<PrismServer> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const cli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
  const child = spawn(
    process.execPath,
    [cli, "mock", options.specPath, "--host", "127.0.0.1", "--port", "0", "--verboseLevel", "info"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );

  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      fail(new Error(`Prism did not start within ${timeoutMs} ms. Its output:\n${output}`));
    }, timeoutMs);

    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    }

    function onOutput(chunk: Buffer): void {
      output += chunk.toString("utf8").replace(ANSI_ESCAPE, "");
      const match = LISTENING.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off("data", onOutput);
      child.stderr?.off("data", onOutput);
      // Keep draining the pipes so that Prism never blocks on a full buffer.
      child.stdout?.resume();
      child.stderr?.resume();
      child.off("exit", onEarlyExit);
      resolve({ url: match[1], close: () => stopProcess(child) });
    }

    function onEarlyExit(code: number | null, signal: NodeJS.Signals | null): void {
      fail(new Error(`Prism exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    }

    child.stdout?.on("data", onOutput);
    child.stderr?.on("data", onOutput);
    child.once("exit", onEarlyExit);
    child.once("error", fail);
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
