import { remember } from './cache.ts'
import type { CorsActualAllowed, CorsHeaders, CorsNonCors, CorsPreflightAllowed } from './decision.ts'
import { headerRecord, noHeaders } from './decision.ts'
import { corsResponseHeaders } from './response.ts'
import type { NormalizedOptions } from './validate.ts'

/** The precomputed answers for one allowed origin. */
export interface OriginEntry {
  readonly actual: CorsActualAllowed
  /** Preflight headers without Access-Control-Allow-Headers (added per request when reflecting). */
  readonly preflightHeaders: CorsHeaders
  /** What a reflecting preflight must remove: with and without Access-Control-Allow-Headers set. */
  readonly preflightUnset: readonly [withAllowHeaders: readonly string[], without: readonly string[]]
  /** The complete allowed preflight, when it does not depend on the requested headers. */
  readonly preflight: CorsPreflightAllowed | undefined
}

/** Everything the per-request path needs, computed once. */
export interface Compiled {
  readonly options: NormalizedOptions
  readonly actualVary: readonly string[]
  readonly preflightVary: readonly string[]
  readonly nonCors: CorsNonCors
  /** The static Access-Control-Allow-Methods value. */
  readonly allowMethods: string
  /** Lower-case allowed header names, for list and wildcard policies. */
  readonly allowedHeaderSet: ReadonlySet<string>
  /** Whether `allowedHeaders` holds "*" (which still never covers Authorization). */
  readonly wildcardHeaders: boolean
  entryFor(origin: string): OriginEntry
  readonly exact: ReadonlyMap<string, OriginEntry>
}

const freezeList = (...names: string[]): readonly string[] => Object.freeze(names)

/** The CORS response headers a decision with these headers does not set, and so removes. */
export function unsetFor(headers: CorsHeaders): readonly string[] {
  return Object.freeze(corsResponseHeaders.filter((name) => !Object.hasOwn(headers, name)))
}

/** Computes, once, everything the per-request path of a policy needs. */
export function compile(o: NormalizedOptions): Compiled {
  const varyOnOrigin = o.origin.kind === 'reflect' || o.origin.kind === 'match'
  const actualVary = varyOnOrigin ? freezeList('Origin') : freezeList()
  const requestVary = ['Access-Control-Request-Method', 'Access-Control-Request-Headers']
  const preflightVary = varyOnOrigin ? freezeList('Origin', ...requestVary) : freezeList(...requestVary)
  const allowMethods = o.methods === '*' ? '*' : o.methods.join(', ')
  const allowed = o.allowedHeaders
  const allowHeaders =
    allowed === null ? undefined : [...(allowed.wildcard ? ['*'] : []), ...allowed.names].join(', ')

  const common: Record<string, string> = Object.create(null)
  if (o.credentials) common['access-control-allow-credentials'] = 'true'
  const actualExtra: Record<string, string> = Object.assign(Object.create(null), common)
  if (o.exposedHeaders.length > 0) actualExtra['access-control-expose-headers'] = o.exposedHeaders.join(', ')
  const preflightExtra: Record<string, string> = Object.assign(Object.create(null), common)
  if (allowMethods !== '') preflightExtra['access-control-allow-methods'] = allowMethods
  if (o.maxAge !== undefined) preflightExtra['access-control-max-age'] = String(o.maxAge)

  const createEntry = (origin: string): OriginEntry => {
    const base = { 'access-control-allow-origin': origin }
    const actualHeaders = headerRecord(base, actualExtra)
    const actual: CorsActualAllowed = Object.freeze({
      kind: 'actual',
      allowed: true,
      respond: false,
      headers: actualHeaders,
      vary: actualVary,
      unset: unsetFor(actualHeaders),
      reason: 'allowed',
      message: 'allowed',
    })
    const preflightHeaders = headerRecord(base, preflightExtra)
    const reflectedHeaders = headerRecord(preflightHeaders, { 'access-control-allow-headers': 'x' })
    const preflightUnset = [unsetFor(reflectedHeaders), unsetFor(preflightHeaders)] as const
    let preflight: CorsPreflightAllowed | undefined
    if (allowHeaders !== undefined) {
      const headers =
        allowHeaders === ''
          ? preflightHeaders
          : headerRecord(preflightHeaders, { 'access-control-allow-headers': allowHeaders })
      preflight = Object.freeze({
        kind: 'preflight',
        allowed: true,
        respond: !o.preflightContinue,
        status: o.optionsSuccessStatus,
        headers,
        vary: preflightVary,
        unset: unsetFor(headers),
        reason: 'allowed',
        message: 'allowed',
      })
    }
    return Object.freeze({ actual, preflightHeaders, preflightUnset, preflight })
  }

  const exact = new Map<string, OriginEntry>()
  if (o.origin.kind === 'match') for (const origin of o.origin.exact) exact.set(origin, createEntry(origin))
  if (o.origin.kind === 'any') exact.set('*', createEntry('*'))

  // Origins allowed by a pattern, RegExp, function or `true` get their answers built once and kept
  // in a bounded cache: a client can send endless matching origins, so it is emptied when full.
  const matched = new Map<string, OriginEntry>()
  const entryFor = (origin: string): OriginEntry => remember(matched, origin, createEntry)

  const disabled = o.origin.kind === 'disabled'
  // With "*" every response carries Access-Control-Allow-Origin, with or without Origin: a shared
  // cache may then hand any of them to anyone, so nothing needs Vary.
  const any = exact.get('*')?.actual
  const nonCors: CorsNonCors = Object.freeze({
    kind: 'non-cors',
    allowed: true,
    respond: false,
    headers: any?.headers ?? noHeaders,
    vary: actualVary,
    unset: any?.unset ?? freezeList(),
    reason: disabled ? 'disabled' : 'no-origin',
    message: disabled ? 'CORS is disabled (origin: false)' : 'no Origin header: not a CORS request',
  })
  return Object.freeze({
    options: o,
    actualVary,
    preflightVary,
    nonCors,
    allowMethods,
    allowedHeaderSet: new Set(allowed?.names ?? []),
    wildcardHeaders: allowed?.wildcard === true,
    entryFor,
    exact,
  })
}
