import { describe, expect, it } from "vitest";
import { mergeFragments, PipelineError } from "../../scripts/generate.js";
import type { Fragment } from "../../scripts/pipeline/extract.js";
import { deepEqual } from "../../scripts/pipeline/merge.js";
import { fragment } from "./fixtures.js";

const TOKEN = {
  type: "object",
  required: ["token-id"],
  properties: { "token-id": { type: "string" }, "exp-date": { type: "string" } },
};
const TOKEN_REORDERED = {
  properties: { "exp-date": { type: "string" }, "token-id": { type: "string" } },
  required: ["token-id"],
  type: "object",
};

function at(page: string, line: number, document: Record<string, unknown>): Fragment {
  return { page, line, document };
}

function mergeError(fragments: Fragment[]): PipelineError {
  try {
    mergeFragments(fragments);
  } catch (error) {
    if (error instanceof PipelineError) return error;
    throw error;
  }
  throw new Error("mergeFragments did not throw");
}

describe("mergeFragments", () => {
  it("merges operations of one path by method", () => {
    const merged = mergeFragments([
      at("a.md", 1, fragment({ method: "post" })),
      at("a.md", 9, fragment({ method: "get" })),
    ]);

    const paths = merged.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths["/rest/v2/things"] ?? {})).toEqual(["get", "post"]);
  });

  it("merges identical components whatever their key order", () => {
    const merged = mergeFragments([
      at("a.md", 1, fragment({ method: "get", schemas: { token: TOKEN } })),
      at("b.md", 1, fragment({ method: "put", schemas: { token: TOKEN_REORDERED } })),
    ]);

    const components = merged.components as { schemas: Record<string, unknown> };
    expect(components.schemas.token).toEqual(TOKEN);
  });

  it("sorts paths and component names", () => {
    const merged = mergeFragments([
      at("a.md", 1, fragment({ path: "/b", schemas: { tokens: {}, Error: {} } })),
      at("b.md", 1, fragment({ path: "/a", schemas: { "customer-token": {} } })),
    ]);

    const components = merged.components as { schemas: Record<string, unknown> };
    expect(Object.keys(merged.paths as object)).toEqual(["/a", "/b"]);
    expect(Object.keys(components.schemas)).toEqual(["Error", "customer-token", "tokens"]);
    expect(Object.keys(merged)).toEqual(["openapi", "info", "paths", "components"]);
  });

  it("keeps the highest patch of one openapi version", () => {
    const merged = mergeFragments([
      at("a.md", 1, fragment({ method: "get", openapi: "3.0.3" })),
      at("b.md", 1, fragment({ method: "put", openapi: "3.0.1" })),
    ]);

    expect(merged.openapi).toBe("3.0.3");
  });

  it("merges tags by name", () => {
    const tag = { name: "Customer Token" };
    const merged = mergeFragments([
      at("a.md", 1, { ...fragment({ method: "get" }), tags: [tag] }),
      at("b.md", 1, { ...fragment({ method: "put" }), tags: [{ name: "A" }, tag] }),
    ]);

    expect(merged.tags).toEqual([{ name: "A" }, tag]);
  });
});

describe("mergeFragments errors", () => {
  it("rejects one operation defined twice", () => {
    const error = mergeError([
      at("a.md", 3, fragment({ method: "get" })),
      at("b.md", 7, fragment({ method: "get" })),
    ]);

    expect(error.message).toContain("GET /rest/v2/things");
    expect(error.message).toContain("a.md:3");
    expect(error.message).toContain("b.md:7");
  });

  it("rejects one component name with two definitions", () => {
    const other = { ...TOKEN, required: ["exp-date"] };
    const error = mergeError([
      at("a.md", 3, fragment({ method: "get", schemas: { payload: TOKEN } })),
      at("b.md", 7, fragment({ method: "put", schemas: { payload: other } })),
    ]);

    expect(error.message).toContain("component schemas/payload");
    expect(error.message).toContain("a.md:3");
    expect(error.message).toContain("b.md:7");
  });

  it("rejects different info", () => {
    const error = mergeError([
      at("a.md", 3, fragment({ method: "get" })),
      at(
        "b.md",
        7,
        fragment({ method: "put", info: { title: "Recurring Payments API", version: "2.1" } }),
      ),
    ]);

    expect(error.message).toContain('top-level field "info"');
    expect(error.message).toContain("a.md:3");
    expect(error.message).toContain("b.md:7");
  });

  it("rejects different openapi minor versions", () => {
    const error = mergeError([
      at("a.md", 3, fragment({ method: "get", openapi: "3.0.1" })),
      at("b.md", 7, fragment({ method: "put", openapi: "3.1.0" })),
    ]);

    expect(error.message).toMatch(
      /OpenAPI versions differ: 3\.0\.1 in a\.md:3 and 3\.1\.0 in b\.md:7/,
    );
  });

  it("rejects an invalid openapi version", () => {
    const error = mergeError([at("a.md", 3, fragment({ openapi: "3.0" }))]);

    expect(error.message).toMatch(/^a\.md:3: invalid "openapi" version "3\.0"/);
  });

  it("rejects one tag name with two definitions", () => {
    const error = mergeError([
      at("a.md", 3, { ...fragment({ method: "get" }), tags: [{ name: "T" }] }),
      at("b.md", 7, { ...fragment({ method: "put" }), tags: [{ name: "T", description: "x" }] }),
    ]);

    expect(error.message).toContain('tag "T"');
  });
});

describe("deepEqual", () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ["equal primitives", "a", "a", true],
    ["different primitives", 1, "1", false],
    ["objects in another key order", { a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    ["objects with an extra key", { a: 1 }, { a: 1, b: undefined }, false],
    ["arrays in another order", ["a", "b"], ["b", "a"], false],
    ["array and object", [], {}, false],
    ["null and object", null, {}, false],
  ];

  it.each(cases)("compares %s", (_name, a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
    expect(deepEqual(b, a)).toBe(expected);
  });
});
