import type { CorsDecision } from './decision.ts'

/**
 * The CORS response headers, which the policy owns: a decision sets some of them and lists the rest
 * in `unset`, so a value set by the application or an upstream response never reaches the browser
 * on a CORS request. @see https://fetch.spec.whatwg.org/#http-responses
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

/** The part of a decision that a response writer applies. */
export type CorsWrite = Pick<CorsDecision, 'headers' | 'vary' | 'unset'>

const joinedVary = new WeakMap<readonly string[], string>()

/**
 * Merges header names into a `Vary` value without duplicates (case-insensitive) and without
 * dropping what is there; `*` already covers everything. Returns the new header value.
 *
 * @example
 * appendVary('Accept-Encoding', ['Origin']) // 'Accept-Encoding, Origin'
 */
export function appendVary(
  existing: string | readonly string[] | number | null | undefined,
  names: readonly string[],
): string {
  // The common repeat: the value is exactly what these names were merged into before.
  if (typeof existing === 'string' && existing !== '' && existing === joinedVary.get(names)) return existing
  const current = Array.isArray(existing) ? existing.join(', ') : existing == null ? '' : String(existing)
  if (current.trim() === '') {
    let joined = joinedVary.get(names)
    if (joined === undefined) {
      const lower = names.map((name) => name.toLowerCase())
      joined = names.filter((_, i) => lower.indexOf(lower[i]!) === i).join(', ')
      if (Object.isFrozen(names)) joinedVary.set(names, joined)
    }
    return joined
  }
  const present = new Set<string>()
  for (const part of current.split(',')) {
    const name = part.trim().toLowerCase()
    if (name === '*') return current
    if (name !== '') present.add(name)
  }
  let result = current
  for (const name of names) {
    const lower = name.toLowerCase()
    if (present.has(lower)) continue
    present.add(lower)
    result += `, ${name}`
  }
  return result
}

/** The part of a Fetch `Headers` object that `applyCorsHeaders` uses. */
export interface CorsHeadersTarget {
  get(name: string): string | null
  set(name: string, value: string): void
  delete(name: string): void
}

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
  const { unset, headers } = decision
  for (let i = 0; i < unset.length; i++) if (target.get(unset[i]!) !== null) target.delete(unset[i]!)
  // Own keys only: a polluted Object.prototype must never become a response header.
  const names = Object.keys(headers)
  for (let i = 0; i < names.length; i++) target.set(names[i]!, headers[names[i]!]!)
  if (decision.vary.length === 0) return
  const vary = target.get('vary')
  const merged = appendVary(vary, decision.vary)
  if (merged !== vary) target.set('vary', merged)
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
    applyCorsHeaders(response.headers, decision)
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    if (response.status < 200) return response
    const copied = copy(response)
    applyCorsHeaders(copied.headers, decision)
    return copied
  }
}

function isEmpty(record: Readonly<Record<string, string>>): boolean {
  for (const name in record) if (Object.hasOwn(record, name)) return false
  return true
}
