import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { PipelineError } from "./errors.js";

const require = createRequire(import.meta.url);
const REDOCLY_CLI = require.resolve("@redocly/cli/bin/cli.js");

/** Time after which a Redocly CLI command is stopped. */
const CLI_TIMEOUT_MS = 120_000;

/**
 * Runs the Redocly CLI with the node binary of this process, telemetry off, and returns its
 * standard output.
 *
 * @throws PipelineError with the CLI's standard error when it exits with a non-zero code.
 */
export function runRedoclyCli(args: readonly string[]): Promise<string> {
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [REDOCLY_CLI, ...args],
      { env, timeout: CLI_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          const status = error.killed ? "timed out" : `exit code ${String(error.code)}`;
          reject(
            new PipelineError(`redocly ${args[0]} failed (${status}):\n${stripBanner(stderr)}`, {
              cause: error,
            }),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** Drops the boxed Node.js deprecation banner that Redocly CLI 2.x prints on Node 20. */
export function stripBanner(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !/[║╔╚]/.test(line))
    .join("\n")
    .trim();
}
