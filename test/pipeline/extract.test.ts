import { afterEach, describe, expect, it } from "vitest";
import { extractFragments, PipelineError } from "../../scripts/generate.js";
import { fragment, jsonFence, removeDir, writePages } from "./fixtures.js";

const OPENAPI = JSON.stringify(fragment({}));

let dir: string | undefined;

afterEach(async () => {
  if (dir !== undefined) await removeDir(dir);
  dir = undefined;
});

async function extract(pages: Record<string, string>) {
  dir = await writePages(pages);
  return extractFragments(dir);
}

describe("extractFragments", () => {
  it("returns each json fence with its page and line", async () => {
    const page = `# Title\n\n${jsonFence(OPENAPI)}\ntext\n\n${jsonFence(OPENAPI)}`;
    const result = await extract({ "a.md": page });

    expect(result.fragments.map((f) => [f.page, f.line])).toEqual([
      ["a.md", 3],
      ["a.md", 9],
    ]);
    expect(result.fragments[0]?.document.openapi).toBe("3.0.1");
  });

  it("reads pages in code-unit order of their names", async () => {
    const result = await extract({
      "b.md": jsonFence(OPENAPI),
      "B.md": jsonFence(OPENAPI),
      "a.md": jsonFence(OPENAPI),
      "notes.txt": "not a page",
    });

    expect(result.pages).toEqual(["B.md", "a.md", "b.md"]);
    expect(result.fragments.map((f) => f.page)).toEqual(["B.md", "a.md", "b.md"]);
  });

  it("reports fences in other languages as skipped", async () => {
    const page = `${jsonFence(OPENAPI)}\n\`\`\`\nGET /x?ask=1\n\`\`\`\n\n~~~http\nGET /y\n~~~\n`;
    const result = await extract({ "a.md": page });

    expect(result.fragments).toHaveLength(1);
    expect(result.skippedFences).toEqual([
      { page: "a.md", line: 5, language: "" },
      { page: "a.md", line: 9, language: "http" },
    ]);
  });

  it("accepts tilde and longer fences", async () => {
    const page = `~~~~JSON title="get"\n${OPENAPI}\n~~~~~~\n`;
    const result = await extract({ "a.md": page });

    expect(result.fragments).toHaveLength(1);
  });

  it("keeps a shorter inner fence as part of the body", async () => {
    const page = `${"````md\n```json\n{}\n```\n````\n"}${jsonFence(OPENAPI)}`;
    const result = await extract({ "a.md": page });

    expect(result.fragments.map((f) => f.line)).toEqual([6]);
    expect(result.skippedFences).toEqual([{ page: "a.md", line: 1, language: "md" }]);
  });

  it("reads the vendor page of customer tokens", async () => {
    const result = await extractFragments("openapi/pages");

    expect(result.fragments.map((f) => f.line)).toEqual([7, 15, 23]);
    expect(result.skippedFences.map((f) => f.language)).toEqual([""]);
  });
});

describe("extractFragments errors", () => {
  const cases: { name: string; pages: Record<string, string>; message: RegExp }[] = [
    {
      name: "unclosed json fence",
      pages: { "a.md": `${jsonFence(OPENAPI)}\n\`\`\`json\n${OPENAPI}\n` },
      message: /^a\.md:5: fence opened with ``` is never closed/,
    },
    {
      name: "unclosed fence of another language",
      pages: { "a.md": `${jsonFence(OPENAPI)}\n~~~sh\necho\n` },
      message: /^a\.md:5: fence opened with ~~~ is never closed/,
    },
    {
      name: "invalid json",
      pages: { "a.md": 'text\n```json\n{\n  "openapi": "3.0.1",\n  oops\n}\n```\n' },
      message: /^a\.md:5: invalid JSON in fence/,
    },
    {
      name: "truncated json",
      pages: { "a.md": '```json\n{"openapi": \n```\n' },
      message: /^a\.md:2: invalid JSON in fence/,
    },
    {
      name: "empty json fence",
      pages: { "a.md": "```json\n\n  \n```\n" },
      message: /^a\.md:1: ```json fence is empty/,
    },
    {
      name: "json that is not openapi",
      pages: { "a.md": jsonFence({ "token-id": "1" }) },
      message: /^a\.md:1: ```json fence is not an OpenAPI document/,
    },
    {
      name: "json array",
      pages: { "a.md": jsonFence([1]) },
      message: /^a\.md:1: ```json fence is not an OpenAPI document/,
    },
    {
      name: "fence in a list item",
      pages: { "a.md": `${jsonFence(OPENAPI)}\n- \`\`\`json\n  {}\n  \`\`\`\n` },
      message: /^a\.md:5: fence inside a list item or block quote/,
    },
    {
      name: "fence in a block quote",
      pages: { "a.md": `${jsonFence(OPENAPI)}\n> \`\`\`json\n> {}\n> \`\`\`\n` },
      message: /^a\.md:5: fence inside a list item or block quote/,
    },
    {
      name: "page without json fence",
      pages: { "a.md": jsonFence(OPENAPI), "b.md": "# Nothing\n```sh\nls\n```\n" },
      message: /^b\.md: no ```json fence found/,
    },
    {
      name: "directory without pages",
      pages: { "a.txt": jsonFence(OPENAPI) },
      message: /^No \*\.md page found in /,
    },
  ];

  it.each(cases)("rejects $name", async ({ pages, message }) => {
    const result = extract(pages);

    await expect(result).rejects.toBeInstanceOf(PipelineError);
    await expect(result).rejects.toThrow(message);
  });
});
