import type { TestProject } from "vitest/node";
import { startPrism } from "../../scripts/prism.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Origin of the Prism mock that serves generated/openapi.yaml. */
    prismUrl: string;
  }
}

/** Starts one Prism mock for the contract tests and stops it after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prism = await startPrism({ specPath: "generated/openapi.yaml" });
  project.provide("prismUrl", prism.url);
  return () => prism.close();
}
