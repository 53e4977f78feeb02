import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PipelineError } from "../../scripts/generate.js";
import { readSources } from "../../scripts/pipeline/sources.js";
import { writePages } from "../pipeline/fixtures.js";

let dir: string | undefined;

afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function sourcesFile(content: unknown): Promise<string> {
  dir = await writePages({});
  const path = join(dir, "sources.json");
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("readSources", () => {
  it("reads the committed sources file", async () => {
    const sources = await readSources("openapi/sources.json");

    expect(sources.map((source) => source.file)).toEqual(["customer-token.md"]);
    expect(sources[0]?.downloadUrl).toMatch(/\/customer-token\.md$/);
  });

  it("appends .md and names the file by the last segment", async () => {
    const path = await sourcesFile({ pages: ["https://docs.example.invalid/a/b/customers/"] });

    expect(await readSources(path)).toEqual([
      {
        url: "https://docs.example.invalid/a/b/customers",
        downloadUrl: "https://docs.example.invalid/a/b/customers.md",
        file: "customers.md",
      },
    ]);
  });

  it("replaces the origin with a base url", async () => {
    const path = await sourcesFile({ pages: ["https://docs.example.invalid/a/customers"] });

    const [source] = await readSources(path, "http://127.0.0.1:8123");

    expect(source?.downloadUrl).toBe("http://127.0.0.1:8123/a/customers.md");
    expect(source?.url).toBe("https://docs.example.invalid/a/customers");
  });

  const invalidBaseUrls = [
    "127.0.0.1:8123",
    "not a url",
    "ftp://127.0.0.1:8123",
    "http://127.0.0.1:8123/mirror/",
    "http://127.0.0.1:8123/?x=1",
    "http://user:secret@127.0.0.1:8123",
  ];

  it.each(invalidBaseUrls)("rejects the base url %s", async (baseUrl) => {
    const path = await sourcesFile({ pages: ["https://docs.example.invalid/a/customers"] });
    const result = readSources(path, baseUrl);

    await expect(result).rejects.toBeInstanceOf(PipelineError);
    await expect(result).rejects.toThrow(`Base URL ${JSON.stringify(baseUrl)} is invalid`);
    await expect(result).rejects.toThrow(/pass an http\(s\) origin such as/);
  });

  const invalid: { name: string; content: unknown; message: RegExp }[] = [
    { name: "invalid json", content: "{", message: /Cannot read sources file/ },
    { name: "empty list", content: { pages: [] }, message: /at least one URL/ },
    { name: "relative url", content: { pages: ["customers"] }, message: /invalid page URL/ },
    { name: "ftp url", content: { pages: ["ftp://h.invalid/a"] }, message: /must use http/ },
    { name: "query", content: { pages: ["https://h.invalid/a?x=1"] }, message: /no query/ },
    { name: "root url", content: { pages: ["https://h.invalid/"] }, message: /path segment/ },
    {
      name: "two urls of one file",
      content: { pages: ["https://h.invalid/a/x", "https://h.invalid/b/x"] },
      message: /would both be stored as x\.md/,
    },
  ];

  it.each(invalid)("rejects $name", async ({ content, message }) => {
    const result = readSources(await sourcesFile(content));

    await expect(result).rejects.toBeInstanceOf(PipelineError);
    await expect(result).rejects.toThrow(message);
  });
});
