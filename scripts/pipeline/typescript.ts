type OpenapiTypescript = typeof import("openapi-typescript");

let loading: Promise<OpenapiTypescript> | undefined;

/**
 * Loads openapi-typescript once. The first load takes most of a second because it loads the
 * TypeScript compiler, so a benchmark can call this to time the load apart from generation.
 */
export function loadTypeGenerator(): Promise<OpenapiTypescript> {
  loading ??= import("openapi-typescript");
  return loading;
}

/**
 * Generates the TypeScript types (`paths`, `components`, `operations`) of an OpenAPI document
 * with openapi-typescript, with its default options, in this process.
 */
export async function generateTypes(openapiYaml: string): Promise<string> {
  const { default: openapiTS, astToString } = await loadTypeGenerator();
  // Note: `silent` stops openapi-typescript from printing its own lint warnings, because the
  // lint stage has already failed the run on any warning of the stricter Redocly config.
  const nodes = await openapiTS(openapiYaml, { silent: true });
  return astToString(nodes);
}
