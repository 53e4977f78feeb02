import { execFile } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_OPTIONS, generate, PipelineError } from "../../scripts/generate.js";
import { fragment, jsonFence } from "./fixtures.js";

const TIMEOUT_MS = 120_000;
const ROOT = resolve(import.meta.dirname, "../..");
const TOKEN_PAGE = join(ROOT, "openapi/pages/customer-token.md");
const CUSTOMERS_PAGE = join(import.meta.dirname, "pages/customers.md");

// Calls through `client.api` that must compile against the regenerated types, and calls that
// must not: each `@ts-expect-error` fails the check when its line compiles.
const SNIPPET = `import { createRecurringPaymentsClient } from "./src/index.js";

const client = createRecurringPaymentsClient({
  apiKey: "test-key",
  baseUrl: "http://127.0.0.1:9",
  fetch: async () => new Response("{}"),
});

export async function useCustomers(): Promise<string | undefined> {
  const { data } = await client.api.GET("/rest/v2/customers/{customerKey}", {
    params: { path: { customerKey: "C000123" } },
  });
  await client.api.PUT("/rest/v2/customers/{customerKey}", {
    params: { path: { customerKey: "C000123" } },
    body: { "first-name": "Ada", "last-name": "Lovelace" },
  });
  await client.api.DELETE("/rest/v2/customers/{customerKey}", {
    params: { path: { customerKey: "C000123" } },
  });
  // @ts-expect-error: the path parameter customerKey is required.
  await client.api.GET("/rest/v2/customers/{customerKey}", { params: { path: {} } });
  // @ts-expect-error: a customer needs a last name.
  await client.api.POST("/rest/v2/customers", { body: { "first-name": "Ada" } });
  // @ts-expect-error: the spec has no such path.
  await client.api.GET("/rest/v2/customers/{customerKey}/notes", {
    params: { path: { customerKey: "C000123" } },
  });
  const firstName: string = data?.customer?.["first-name"] ?? "";
  return firstName;
}
`;

let dir: string;
// biome-ignore lint/suspicious/noExplicitAny: test reads an untyped YAML tree
let spec: any;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pipeline-new-page-"));
  await mkdir(join(dir, "pages"));
  await copyFile(TOKEN_PAGE, join(dir, "pages/customer-token.md"));
  await copyFile(CUSTOMERS_PAGE, join(dir, "pages/customers.md"));
  await generate({ ...DEFAULT_OPTIONS, pagesDir: join(dir, "pages"), outDir: join(dir, "out") });
  spec = parse(await readFile(join(dir, "out/openapi.yaml"), "utf8"));
}, TIMEOUT_MS);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("customers page", () => {
  it("adds its operations next to the tokens", () => {
    expect(Object.keys(spec.paths)).toEqual([
      "/rest/v2/customers",
      "/rest/v2/customers/{customerKey}",
      "/rest/v2/customers/{customerKey}/tokens",
    ]);
    expect(Object.keys(spec.paths["/rest/v2/customers"])).toEqual(["get", "post"]);
    expect(Object.keys(spec.paths["/rest/v2/customers/{customerKey}"])).toEqual([
      "get",
      "put",
      "delete",
    ]);
  });

  it("gives path parameters a string schema", () => {
    for (const operation of Object.values(spec.paths["/rest/v2/customers/{customerKey}"])) {
      const [parameter] = (operation as { parameters: { name: string; schema: unknown }[] })
        .parameters;
      expect(parameter?.name).toBe("customerKey");
      expect(parameter?.schema).toEqual({ type: "string" });
    }
  });

  it(
    "type-checks calls through client.api",
    async () => {
      // The unchanged src/ next to the regenerated types: src imports ../generated/*.js.
      const project = join(dir, "project");
      await cp(join(ROOT, "src"), join(project, "src"), { recursive: true });
      await cp(join(ROOT, "generated"), join(project, "generated"), { recursive: true });
      await copyFile(join(dir, "out/schema.ts"), join(project, "generated/schema.ts"));
      await symlink(join(ROOT, "node_modules"), join(project, "node_modules"), "dir");
      await writeFile(join(project, "customers.ts"), SNIPPET);
      await writeFile(join(project, "package.json"), '{"type": "module"}');
      const config = JSON.parse(await readFile(join(ROOT, "tsconfig.json"), "utf8"));
      config.include = ["src", "generated", "customers.ts"];
      await writeFile(join(project, "tsconfig.json"), JSON.stringify(config));

      const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
      const result = await promisify(execFile)(process.execPath, [tsc, "-p", project], {
        cwd: project,
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));

      expect(result.stdout).toBe("");
    },
    TIMEOUT_MS,
  );
});

describe("conflicting page", () => {
  /** Generates from the two pages and a third page that contains `page`. */
  async function generateWith(page: Record<string, unknown>): Promise<unknown> {
    const pages = join(dir, `pages-${Math.random().toString(36).slice(2)}`);
    await cp(join(dir, "pages"), pages, { recursive: true });
    await writeFile(join(pages, "payment-plans.md"), `# Payment Plans\n\n${jsonFence(page)}`);
    return generate({ ...DEFAULT_OPTIONS, pagesDir: pages, outDir: join(pages, "out") });
  }

  it(
    "rejects a colliding operation id",
    async () => {
      const page = fragment({ path: "/rest/v2/payment-plans", method: "get" });
      const operation = (page.paths as Record<string, { get: Record<string, unknown> }>)[
        "/rest/v2/payment-plans"
      ];
      if (operation !== undefined) operation.get.operationId = "get";

      const result = generateWith(page);

      await expect(result).rejects.toBeInstanceOf(PipelineError);
      await expect(result).rejects.toThrow(
        /"get": GET \/rest\/v2\/customers \(customers\.md:7\) and GET \/rest\/v2\/payment-plans \(payment-plans\.md:3\)/,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "rejects another schema named payload",
    async () => {
      const page = fragment({
        path: "/rest/v2/payment-plans",
        schemas: {
          payload: { type: "object", properties: { "payment-plan": { type: "string" } } },
        },
      });

      const result = generateWith(page);

      await expect(result).rejects.toBeInstanceOf(PipelineError);
      await expect(result).rejects.toThrow(
        /component schemas\/payload is defined differently in customers\.md:\d+ and in payment-plans\.md:3/,
      );
    },
    TIMEOUT_MS,
  );
});
