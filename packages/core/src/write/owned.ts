/**
 * The CORS response headers, which the policy owns: a decision sets some of them and lists the rest
 * in `unset`, so a value set by the application or an upstream response never reaches the browser
 * on a CORS request. The only list of them: the compiler derives `unset` from it and the writer
 * (`createCorsWriter`) enforces it, so adapters never name a header. A new response-header option
 * adds its header here. @see https://fetch.spec.whatwg.org/#http-responses
 */
export const corsResponseHeaders: readonly string[] = Object.freeze([
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
])

const owned: ReadonlySet<string> = new Set(corsResponseHeaders)

/** Whether the policy owns a (lower-case) response header name. */
export const isOwnedHeader = (name: string): boolean => owned.has(name)
