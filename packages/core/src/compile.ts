import { remember } from './cache.ts'

export { maxCachedOrigins } from './cache.ts'

import { decider } from './decide.ts'
import type {
  CorsActualAllowed,
  CorsDecision,
  CorsHeaders,
  CorsNonCors,
  CorsPreflightAllowed,
  CorsRequest,
} from './decision.ts'
import { noHeaders } from './decision.ts'
import { CorsConfigError } from './errors.ts'
import type { CorsOptions } from './options.ts'
import { type NormalizedOptions, normalize } from './validate.ts'

/**
 * A compiled, frozen CORS policy. `decide` is the whole per-request API: it returns the decision
 * synchronously, or a promise when an async `origin` function had to be asked.
 */
export interface CorsPolicy<Context = unknown> {
  decide(request: CorsRequest, context?: Context): CorsDecision | Promise<CorsDecision>
}

/** The precomputed answers for one allowed origin. */
export interface OriginEntry {
  readonly actual: CorsActualAllowed
  /** Preflight headers without Access-Control-Allow-Headers (added per request when reflecting). */
  readonly preflightHeaders: CorsHeaders
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

function compile(o: NormalizedOptions): Compiled {
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

  const createEntry = (origin: string): OriginEntry => {
    const base = { 'access-control-allow-origin': origin }
    const actual: CorsActualAllowed = Object.freeze({
      kind: 'actual',
      allowed: true,
      respond: false,
      headers: Object.freeze({ ...base, ...actualExtra }),
      vary: actualVary,
      reason: 'allowed',
      message: 'allowed',
    })
    const preflightHeaders = Object.freeze({ ...base, ...preflightExtra })
    const preflight: CorsPreflightAllowed | undefined =
      allowHeaders === undefined
        ? undefined
        : Object.freeze({
            kind: 'preflight',
            allowed: true,
            respond: !o.preflightContinue,
            status: o.optionsSuccessStatus,
            headers: Object.freeze(
              allowHeaders === ''
                ? preflightHeaders
                : { ...preflightHeaders, 'access-control-allow-headers': allowHeaders },
            ),
            vary: preflightVary,
            reason: 'allowed',
            message: 'allowed',
          })
    return Object.freeze({ actual, preflightHeaders, preflight })
  }

  const exact = new Map<string, OriginEntry>()
  if (o.origin.kind === 'match') for (const origin of o.origin.exact) exact.set(origin, createEntry(origin))
  if (o.origin.kind === 'any') exact.set('*', createEntry('*'))

  // Origins allowed by a pattern, RegExp, function or `true` get their answers built once and kept
  // in a bounded cache: a client can send endless matching origins, so it is emptied when full.
  const matched = new Map<string, OriginEntry>()
  const entryFor = (origin: string): OriginEntry => remember(matched, origin, createEntry)

  const disabled = o.origin.kind === 'disabled'
  const nonCors: CorsNonCors = Object.freeze({
    kind: 'non-cors',
    allowed: true,
    respond: false,
    headers: noHeaders,
    vary: actualVary,
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

/**
 * Validates CORS options and compiles them into a frozen policy, once. Throws a `CorsConfigError`
 * listing every problem when the options are invalid, so a bad policy fails at start-up.
 *
 * @example
 * const policy = createCors({ origin: ['https://app.example.com'], credentials: true })
 * const decision = policy.decide(toCorsRequest('GET', (name) => headers.get(name)))
 */
export function createCors<Context = unknown>(options: CorsOptions<Context> = {}): CorsPolicy<Context> {
  const { issues, normalized } = normalize(options)
  if (issues.length > 0) throw new CorsConfigError(issues)
  return Object.freeze({ decide: decider<Context>(compile(normalized)) })
}
