import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoDir = resolve(import.meta.dirname, "../..");
const consumersDir = join(import.meta.dirname, "consumers");
const binDir = join(repoDir, "node_modules/.bin");

// Packing builds dist/ and installing reads the npm cache, so these steps get minutes, not seconds.
const SLOW_STEP_MS = 240_000;

interface CommandResult {
  code: number;
  output: string;
}

/** Runs a command without a shell and returns its exit code with stdout and stderr combined. */
function runCommand(command: string, args: string[], cwd: string): Promise<CommandResult> {
  return new Promise((resolveResult) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      let code = 0;
      if (error) {
        code = typeof error.code === "number" ? error.code : 1;
      }
      resolveResult({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function expectSuccess(command: string, args: string[], cwd: string): Promise<string> {
  const result = await runCommand(command, args, cwd);
  expect(result.code, `${command} ${args.join(" ")} failed:\n${result.output}`).toBe(0);
  return result.output;
}

const storedToken = {
  "customer-key": "cust-0001",
  "token-id": "11000383833939381111",
  "exp-date": "0932",
  "card-type": "VISA",
  "last-four-digits": "1111",
};

/** Starts a loopback gateway that returns one token, in the gateway's envelope, to every request. */
function startGateway(receivedKeys: Array<string | undefined>): Promise<Server> {
  const server = createServer((request, response) => {
    receivedKeys.push(request.headers["api-key"] as string | undefined);
    const body = JSON.stringify({
      code: "200",
      status: "success",
      "exchange-id": "ID-consumer-test",
      payload: { "customer-tokens": { token: [storedToken] }, payloadType: "customer-tokens" },
    });
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  return new Promise((resolveServer) => server.listen(0, "127.0.0.1", () => resolveServer(server)));
}

describe("packed package", () => {
  let workDir: string;
  let tarball: string;
  let gateway: Server;
  let gatewayUrl: string;
  const receivedKeys: Array<string | undefined> = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "recurring-payments-pack-"));
    // `npm pack` runs the prepack script, which builds dist/ first.
    await expectSuccess("npm", ["pack", "--pack-destination", workDir], repoDir);
    const tarballs = (await readdir(workDir)).filter((name) => name.endsWith(".tgz"));
    expect(tarballs).toHaveLength(1);
    tarball = join(workDir, tarballs[0] as string);
    gateway = await startGateway(receivedKeys);
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  }, SLOW_STEP_MS);

  afterAll(async () => {
    if (gateway) await new Promise((done) => gateway.close(done));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("passes publint in strict mode", async () => {
    await expectSuccess(join(binDir, "publint"), ["--strict", tarball], repoDir);
  });

  it("resolves its types as an ESM-only package", async () => {
    await expectSuccess(join(binDir, "attw"), [tarball, "--profile", "esm-only"], repoDir);
  });

  it.each(["nodenext", "bundler"])(
    "serves a %s consumer from the tarball",
    async (kind) => {
      const consumerDir = join(workDir, kind);
      await cp(join(consumersDir, kind), consumerDir, { recursive: true });
      await expectSuccess(
        "npm",
        ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
        consumerDir,
      );
      const tsc = join(repoDir, "node_modules/typescript/bin/tsc");
      await expectSuccess(process.execPath, [tsc, "-p", "."], consumerDir);

      let entry = join(consumerDir, "out/main.js");
      if (kind === "bundler") {
        entry = join(consumerDir, "out/main.mjs");
        const bundleArgs = ["main.ts", "--bundle", "--platform=node", "--format=esm"];
        await expectSuccess(
          join(binDir, "esbuild"),
          [...bundleArgs, `--outfile=${entry}`],
          consumerDir,
        );
      }

      const keysBefore = receivedKeys.length;
      const output = await expectSuccess(process.execPath, [entry, gatewayUrl], consumerDir);
      expect(JSON.parse(output)).toEqual([storedToken]);
      expect(receivedKeys.slice(keysBefore)).toEqual(["consumer-key"]);
    },
    SLOW_STEP_MS,
  );
});
