import type { NormalizedOptions } from '../config/validate.ts'
import type { CorsActualAllowed, CorsHeaders, CorsNonCors, CorsPreflightAllowed } from '../decision.ts'
import { headerRecord, noHeaders } from '../decision.ts'
import { corsResponseHeaders } from '../write/owned.ts'
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

/** What every allowed preflight of a policy shares besides its headers: a `Compiled` is one. */
interface PreflightShape {
  readonly options: NormalizedOptions
  readonly preflightVary: readonly string[]
}

/**
 * An allowed preflight of a policy with these headers and unset list; not frozen, so the caller
 * freezes what it keeps and a per-request answer costs one object.
 */
export function allowedPreflight(
  shape: PreflightShape,
  headers: CorsHeaders,
  unset: readonly string[],
  message = 'allowed',
): CorsPreflightAllowed {
  return {
    kind: 'preflight',
    allowed: true,
    respond: !shape.options.preflightContinue,
    status: shape.options.optionsSuccessStatus,
    headers,
    vary: shape.preflightVary,
    unset,
    reason: 'allowed',
    message,
  }
}

/** The headers each kind of allowed answer adds to Access-Control-Allow-Origin, the same for every origin. */
interface Parts extends PreflightShape {
  readonly actualVary: readonly string[]
  readonly actualExtra: Readonly<Record<string, string>>
  readonly preflightExtra: Readonly<Record<string, string>>
  /** Access-Control-Allow-Headers of a listed policy; undefined when the requested headers are reflected. */
  readonly allowHeaders: string | undefined
  readonly allowMethods: string
  readonly actualUnset: readonly string[]
  readonly preflightUnset: OriginEntry['preflightUnset']
  /** What the complete allowed preflight of a listed policy unsets. */
  readonly listedUnset: readonly string[]
}

type HeaderParts = Omit<Parts, 'actualUnset' | 'preflightUnset' | 'listedUnset'>

function headerParts(o: NormalizedOptions): HeaderParts {
  const varyOnOrigin = o.origin.kind === 'reflect' || o.origin.kind === 'match'
  const requestVary = ['Access-Control-Request-Method', 'Access-Control-Request-Headers']
  const allowMethods = o.methods === '*' ? '*' : o.methods.join(', ')
  const allowed = o.allowedHeaders
  const common: Record<string, string> = {}
  if (o.credentials) common['access-control-allow-credentials'] = 'true'
  const actualExtra: Record<string, string> = { ...common }
  if (o.exposedHeaders.length > 0) actualExtra['access-control-expose-headers'] = o.exposedHeaders.join(', ')
  const preflightExtra: Record<string, string> = { ...common }
  if (allowMethods !== '') preflightExtra['access-control-allow-methods'] = allowMethods
  if (o.maxAge !== undefined) preflightExtra['access-control-max-age'] = String(o.maxAge)
  return {
    options: o,
    actualVary: varyOnOrigin ? freezeList('Origin') : freezeList(),
    preflightVary: varyOnOrigin ? freezeList('Origin', ...requestVary) : freezeList(...requestVary),
    actualExtra,
    preflightExtra,
    allowHeaders:
      allowed === null ? undefined : [...(allowed.wildcard ? ['*'] : []), ...allowed.names].join(', '),
    allowMethods,
  }
}

// What each kind of answer sets is the same for every origin, so what it unsets is too.
function withUnset(parts: HeaderParts): Parts {
  const withOrigin = (extra: Readonly<Record<string, string>>) =>
    headerRecord({ 'access-control-allow-origin': '' }, extra)
  const preflightBase = withOrigin(parts.preflightExtra)
  const preflightUnset = Object.freeze([
    unsetFor(headerRecord(preflightBase, { 'access-control-allow-headers': '' })),
    unsetFor(preflightBase),
  ] as const)
  const allowHeaders = parts.allowHeaders
  return {
    ...parts,
    actualUnset: unsetFor(withOrigin(parts.actualExtra)),
    preflightUnset,
    listedUnset: allowHeaders === undefined || allowHeaders === '' ? preflightUnset[1] : preflightUnset[0],
  }
}

/** The precomputed answers for one allowed origin (`'*'` for a policy that allows any). */
function createEntry(parts: Parts, origin: string): OriginEntry {
  const base = { 'access-control-allow-origin': origin }
  const actual: CorsActualAllowed = Object.freeze({
    kind: 'actual',
    allowed: true,
    respond: false,
    headers: headerRecord(base, parts.actualExtra),
    vary: parts.actualVary,
    unset: parts.actualUnset,
    reason: 'allowed',
    message: 'allowed',
  })
  const preflightHeaders = headerRecord(base, parts.preflightExtra)
  const allowHeaders = parts.allowHeaders
  const preflight =
    allowHeaders === undefined
      ? undefined
      : Object.freeze(
          allowedPreflight(
            parts,
            allowHeaders === ''
              ? preflightHeaders
              : headerRecord(preflightHeaders, { 'access-control-allow-headers': allowHeaders }),
            parts.listedUnset,
          ),
        )
  return Object.freeze({ actual, preflightHeaders, preflightUnset: parts.preflightUnset, preflight })
}

// Listed origins get their answers built on first use and kept: construction stays a Set of
// strings, linear in the list, however long it is.
function listedLookup(
  o: NormalizedOptions,
  create: (origin: string) => OriginEntry,
): (origin: string) => OriginEntry | undefined {
  const listed = new Set(o.origin.kind === 'match' ? o.origin.exact : [])
  const listedEntries = new Map<string, OriginEntry>()
  return (origin) => {
    let entry = listedEntries.get(origin)
    if (entry === undefined && listed.has(origin)) {
      entry = create(origin)
      listedEntries.set(origin, entry)
    }
    return entry
  }
}

// With "*" every response carries Access-Control-Allow-Origin, with or without Origin: a shared
// cache may then hand any of them to anyone, so nothing needs Vary.
function nonCorsDecision(
  o: NormalizedOptions,
  any: OriginEntry | undefined,
  vary: readonly string[],
): CorsNonCors {
  const disabled = o.origin.kind === 'disabled'
  return Object.freeze({
    kind: 'non-cors',
    allowed: true,
    respond: false,
    headers: any?.actual.headers ?? noHeaders,
    vary,
    unset: any?.actual.unset ?? freezeList(),
    reason: disabled ? 'disabled' : 'no-origin',
    message: disabled ? 'CORS is disabled (origin: false)' : 'no Origin header: not a CORS request',
  })
}

/** Computes, once, everything the per-request path of a policy needs. */
export function compile(o: NormalizedOptions): Compiled {
  const parts = withUnset(headerParts(o))
  const create = (origin: string): OriginEntry => createEntry(parts, origin)
  const any = o.origin.kind === 'any' ? create('*') : undefined
  // Origins allowed by a pattern, RegExp, function or `true` get their answers built once and kept
  // in a bounded cache: a client can send endless matching origins, so it is emptied when full.
  const matched = new Map<string, OriginEntry>()
  const allowed = o.allowedHeaders
  return Object.freeze({
    options: o,
    actualVary: parts.actualVary,
    preflightVary: parts.preflightVary,
    nonCors: nonCorsDecision(o, any, parts.actualVary),
    allowMethods: parts.allowMethods,
    allowedHeaderSet: new Set(allowed?.names ?? []),
    wildcardHeaders: allowed?.wildcard === true,
    entryFor: (origin: string): OriginEntry => remember(matched, origin, create),
    exact: listedLookup(o, create),
    any,
  })
}
