/** Error raised by a pipeline stage. The message names the page, line or definition at fault. */
export class PipelineError extends Error {
  override name = "PipelineError";
}
