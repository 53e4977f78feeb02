/** Result of {@link requireWithCodeCache}. */
export interface CodeCachedModule {
  /** Whether V8 compiled the package's main file from the code cache. */
  cacheHit: boolean;
  /** Writes the code cache unless one was used or has been written. Never throws. */
  saveCache(): void;
}

export function requireWithCodeCache(
  baseUrl: string | URL,
  specifier: string,
  cacheDir: string,
): CodeCachedModule;
