import { type CorsWrite, createCorsWriter } from './writer.ts'

/** The part of a Fetch `Headers` object that `applyCorsHeaders` uses. */
export interface CorsHeadersTarget {
  get(name: string): string | null
  set(name: string, value: string): void
  delete(name: string): void
}

const headers = createCorsWriter<CorsHeadersTarget>({
  get: (target, name) => target.get(name),
  set: (target, name, value) => target.set(name, value),
  delete: (target, name) => target.delete(name),
})

/**
 * Writes a decision onto a Fetch `Headers` object, for adapters of Fetch-based frameworks: removes
 * the CORS headers the decision does not set (`unset`), sets its headers and merges its names into
 * `Vary`. Leaves an unchanged `Vary` alone. Immutable headers (responses from `fetch()`,
 * `Response.redirect()`) throw the platform's `TypeError`.
 *
 * @example
 * applyCorsHeaders(response.headers, decision)
 */
export function applyCorsHeaders(target: CorsHeadersTarget, decision: CorsWrite): void {
  headers.write(target, decision)
}

/** The part of a Fetch `Response` that `decorateResponse` uses. */
export interface CorsResponseTarget {
  readonly status: number
  readonly headers: CorsHeadersTarget
}

/**
 * Adds a decision to a Fetch `Response`, for adapters of Fetch-based frameworks. Headers are changed
 * in place, which keeps the response object (and a server's fast path for it); only when they are
 * immutable (responses from `fetch()`, `Response.redirect()`) is `copy` called, e.g.
 * `(r) => new Response(r.body, r)`, and the copy decorated: the body stays a stream. A status below
 * 200 (a WebSocket upgrade, which cannot be copied and to which CORS does not apply) is left alone.
 *
 * @example
 * return decorateResponse(await handler(request), decision, (r) => new Response(r.body, r))
 */
export function decorateResponse<R extends CorsResponseTarget>(
  response: R,
  decision: CorsWrite,
  copy: (response: R) => R,
): R {
  if (decision.vary.length === 0 && decision.unset.length === 0 && isEmpty(decision.headers)) return response
  try {
    headers.write(response.headers, decision)
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    if (response.status < 200) return response
    const copied = copy(response)
    headers.write(copied.headers, decision)
    return copied
  }
}

function isEmpty(record: Readonly<Record<string, string>>): boolean {
  for (const name in record) if (Object.hasOwn(record, name)) return false
  return true
}

// An answer of the adapter's own starts empty: a plain record of lower-case names.
const record = createCorsWriter<Record<string, string>>({
  get: (target, name) => (Object.hasOwn(target, name) ? target[name] : undefined),
  set: (target, name, value) => {
    target[name] = value
  },
  delete: (target, name) => {
    delete target[name]
  },
})

/**
 * The headers of an answer an adapter builds itself (an answered preflight, a refusal), as a new
 * plain record with lower-case names: the decision's headers and its `Vary`. Passed at construction,
 * a record keeps servers that optimize for it on their fast path (`@hono/node-server`).
 *
 * @example
 * if (decision.respond) return new Response(null, { status: decision.status, headers: corsHeadersRecord(decision) })
 */
export function corsHeadersRecord(decision: CorsWrite): Record<string, string> {
  const headers: Record<string, string> = {}
  record.write(headers, decision)
  return headers
}
