import { defineConfig } from "vitest/config";

// Contract tests share one Prism server, which their global setup starts once. The other tests
// start their own loopback servers or inject `fetch`, so they do not wait for Prism.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/contract/**"],
          // Type tests (*.test-d.ts) are checked by tsc, not run.
          typecheck: { enabled: true, include: ["test/types/**/*.test-d.ts"] },
        },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["test/contract/**/*.test.ts"],
          globalSetup: ["test/contract/prism-setup.ts"],
        },
      },
    ],
  },
});
