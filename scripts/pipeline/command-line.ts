import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { PipelineError } from "./errors.js";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses the options of a script's command line (`process.argv` after the script path). An
 * unknown option, a missing value or a positional argument becomes a PipelineError that ends
 * with the script's usage line.
 */
export function parseCommandLine<T extends OptionsConfig>(options: T, usage: string) {
  try {
    return parseArgs({ options, args: process.argv.slice(2), strict: true }).values;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
      const reason = (error as Error).message;
      throw new PipelineError(`${reason}\nusage: ${usage}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Resolves a path given on the command line against the directory the user typed the command
 * in. `npm run` starts scripts in the package root and keeps that directory in INIT_CWD.
 */
export function resolveArgumentPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/**
 * Runs `main` when the module at `moduleUrl` is the script that Node started. A PipelineError
 * prints as `name: message` without a stack trace, and any error sets the exit code to 1.
 */
export function runAsScript(moduleUrl: string, name: string, main: () => Promise<void>): void {
  const started = process.argv[1];
  if (started === undefined || resolve(started) !== fileURLToPath(moduleUrl)) return;
  main().catch((error: unknown) => {
    console.error(error instanceof PipelineError ? `${name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
