import { describe, expect, it } from "vitest";
import type { DiffChange } from "../../scripts/pipeline/diff.js";
import { describeChange, summarizeDiff } from "../../scripts/pipeline/summary.js";

function change(fields: Partial<DiffChange>): DiffChange {
  return {
    path: "#/",
    typeName: "Schema",
    kind: "added",
    impact: "minor",
    verdicts: [],
    ...fields,
  };
}

describe("describeChange", () => {
  const cases: [string, DiffChange, string][] = [
    [
      "removed operation",
      change({
        typeName: "Operation",
        kind: "removed",
        base: { pointer: "#/paths/~1rest~1v2~1customers~1{customerKey}~1tokens/put" },
      }),
      "removed operation PUT /rest/v2/customers/{customerKey}/tokens",
    ],
    [
      "added component field",
      change({ revision: { pointer: "#/components/schemas/customer-token/properties/nickname" } }),
      "added field customer-token.nickname",
    ],
    [
      "inline field",
      change({
        kind: "removed",
        base: {
          pointer: "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/x",
        },
      }),
      "removed field GET /a.x",
    ],
    [
      "field keyword",
      change({
        kind: "modified",
        base: { pointer: "#/components/schemas/customer-token/properties/exp-date/pattern" },
      }),
      "modified field customer-token.exp-date (pattern)",
    ],
    [
      "other node",
      change({
        typeName: "Parameter",
        kind: "modified",
        base: { pointer: "#/paths/~1a/get/parameters/0" },
      }),
      "modified parameter #/paths/~1a/get/parameters/0",
    ],
  ];

  it.each(cases)("names a %s", (_name, input, expected) => {
    const described = describeChange(input);
    expect(`${described.kind} ${described.subject} ${described.name}`).toBe(expected);
  });
});

describe("summarizeDiff", () => {
  it("reports no change", () => {
    expect(summarizeDiff({ bump: "none", changes: [] }, "base.yaml")).toEqual([
      "Spec unchanged against base.yaml: no version bump required.",
    ]);
  });

  it("counts operations and fields", () => {
    const lines = summarizeDiff(
      {
        bump: "major",
        changes: [
          change({
            typeName: "Operation",
            kind: "removed",
            impact: "major",
            base: { pointer: "#/paths/~1a/put" },
          }),
          change({ revision: { pointer: "#/components/schemas/t/properties/n" } }),
          change({ revision: { pointer: "#/components/schemas/t/properties/m" } }),
        ],
      },
      "base.yaml",
    );

    expect(lines).toEqual([
      "Spec changed against base.yaml: major version bump required (3 change(s)).",
      "  operations: 1 removed",
      "  fields: 2 added",
      "  - removed operation PUT /a (major)",
      "  - added field t.n (minor)",
      "  - added field t.m (minor)",
    ]);
  });
});
