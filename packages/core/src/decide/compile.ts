import type { NormalizedOptions } from '../config/validate.ts'
import type { CorsActualAllowed, CorsHeaders, CorsNonCors, CorsPreflightAllowed } from '../decision.ts'
import { headerRecord, noHeaders } from '../decision.ts'
import { corsResponseHeaders } from '../response.ts'
import { remember } from './cache.ts'

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
  /** The answers for an origin the policy allows (built once, then kept; bounded for dynamic ones). */
  entryFor(origin: string): OriginEntry
  /** The answers for a listed exact origin, or undefined when it is not listed. */
  exact(origin: string): OriginEntry | undefined
  /** The answers of a `'*'` policy, for every origin. */
  readonly any: OriginEntry | undefined
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

  const common: Record<string, string> = {}
  if (o.credentials) common['access-control-allow-credentials'] = 'true'
  const actualExtra: Record<string, string> = { ...common }
  if (o.exposedHeaders.length > 0) actualExtra['access-control-expose-headers'] = o.exposedHeaders.join(', ')
  const preflightExtra: Record<string, string> = { ...common }
  if (allowMethods !== '') preflightExtra['access-control-allow-methods'] = allowMethods
  if (o.maxAge !== undefined) preflightExtra['access-control-max-age'] = String(o.maxAge)

  // What each kind of answer sets is the same for every origin, so what it unsets is too.
  const withOrigin = (extra: Record<string, string>) =>
    headerRecord({ 'access-control-allow-origin': '' }, extra)
  const actualUnset = unsetFor(withOrigin(actualExtra))
  const preflightBase = withOrigin(preflightExtra)
  const preflightUnset = Object.freeze([
    unsetFor(headerRecord(preflightBase, { 'access-control-allow-headers': '' })),
    unsetFor(preflightBase),
  ] as const)
  const listedUnset =
    allowHeaders === undefined || allowHeaders === '' ? preflightUnset[1] : preflightUnset[0]

  const createEntry = (origin: string): OriginEntry => {
    const base = { 'access-control-allow-origin': origin }
    const actual: CorsActualAllowed = Object.freeze({
      kind: 'actual',
      allowed: true,
      respond: false,
      headers: headerRecord(base, actualExtra),
      vary: actualVary,
      unset: actualUnset,
      reason: 'allowed',
      message: 'allowed',
    })
    const preflightHeaders = headerRecord(base, preflightExtra)
    let preflight: CorsPreflightAllowed | undefined
    if (allowHeaders !== undefined) {
      preflight = Object.freeze({
        kind: 'preflight',
        allowed: true,
        respond: !o.preflightContinue,
        status: o.optionsSuccessStatus,
        headers:
          allowHeaders === ''
            ? preflightHeaders
            : headerRecord(preflightHeaders, { 'access-control-allow-headers': allowHeaders }),
        vary: preflightVary,
        unset: listedUnset,
        reason: 'allowed',
        message: 'allowed',
      })
    }
    return Object.freeze({ actual, preflightHeaders, preflightUnset, preflight })
  }

  // Listed origins get their answers built on first use and kept: construction stays a Set of
  // strings, linear in the list, however long it is.
  const listed = new Set(o.origin.kind === 'match' ? o.origin.exact : [])
  const listedEntries = new Map<string, OriginEntry>()
  const exact = (origin: string): OriginEntry | undefined => {
    let entry = listedEntries.get(origin)
    if (entry === undefined && listed.has(origin)) {
      entry = createEntry(origin)
      listedEntries.set(origin, entry)
    }
    return entry
  }
  const any = o.origin.kind === 'any' ? createEntry('*') : undefined

  // Origins allowed by a pattern, RegExp, function or `true` get their answers built once and kept
  // in a bounded cache: a client can send endless matching origins, so it is emptied when full.
  const matched = new Map<string, OriginEntry>()
  const entryFor = (origin: string): OriginEntry => remember(matched, origin, createEntry)

  const disabled = o.origin.kind === 'disabled'
  // With "*" every response carries Access-Control-Allow-Origin, with or without Origin: a shared
  // cache may then hand any of them to anyone, so nothing needs Vary.
  const nonCors: CorsNonCors = Object.freeze({
    kind: 'non-cors',
    allowed: true,
    respond: false,
    headers: any?.actual.headers ?? noHeaders,
    vary: actualVary,
    unset: any?.actual.unset ?? freezeList(),
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
    any,
  })
}
