import type { CorsDecision, CorsPreflightAllowed, CorsRejection, CorsRequest } from '../decision.ts'
import { headerRecord } from '../decision.ts'
import { isForbiddenMethod, isToken, parseRequestHeaders } from '../fetch/headers.ts'
import { matchesPattern, parseRequestOrigin } from '../fetch/origin.ts'
import { remember } from './cache.ts'
import type { Compiled, OriginEntry } from './compile.ts'
import {
  rejection as build,
  describeError,
  expressStyleHint,
  methodMessage,
  originResultMessage,
  quote,
} from './reject.ts'

type RejectReason = CorsRejection['reason']

// Methods a browser allows without asking, so a preflight for them is never refused on the method.
// @see https://fetch.spec.whatwg.org/#cors-safelisted-method
const safelistedMethods = new Set(['GET', 'HEAD', 'POST'])

// The intrinsic, taken once: a RegExp's own `test` or `exec` can be replaced after construction.
const regexpExec = RegExp.prototype.exec

/** Builds the per-request function of a compiled policy. */
export function decider<Context>(
  c: Compiled,
): (request: CorsRequest, context?: Context) => CorsDecision | Promise<CorsDecision> {
  const o = c.options
  const onReject = o.onReject as
    | ((rejection: CorsRejection, context: Context | undefined) => void)
    | undefined

  const rejection = (preflight: boolean, reason: RejectReason, message: string, error?: unknown) =>
    build(c, preflight, reason, message, error)

  function report(decision: CorsRejection, context: Context | undefined): CorsRejection {
    onReject?.(decision, context)
    return decision
  }

  function reject(
    preflight: boolean,
    reason: RejectReason,
    message: string,
    context: Context | undefined,
  ): CorsRejection {
    return report(rejection(preflight, reason, message), context)
  }

  // Fetch "CORS-preflight fetch" steps the browser will check: the method must be listed (or be
  // safelisted), and every requested header must be listed, with Authorization never covered by "*".
  // @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
  function preflight(request: CorsRequest, entry: OriginEntry, context: Context | undefined): CorsDecision {
    const method = request.accessControlRequestMethod!
    const methodAllowed =
      o.methods === '*'
        ? isToken(method) && !isForbiddenMethod(method)
        : o.methods.includes(method) || safelistedMethods.has(method)
    if (!methodAllowed) {
      const listed = o.methods === '*' ? [] : o.methods
      return reject(true, 'method-not-allowed', methodMessage(method, c.allowMethods, listed), context)
    }
    const list = request.accessControlRequestHeaders
    if (entry.preflight !== undefined && (list === null || acceptedHeaderLists.has(list)))
      return entry.preflight
    const requested = list === null ? [] : parseRequestHeaders(list)
    if (requested === 'invalid') {
      return reject(
        true,
        'request-headers-invalid',
        'Access-Control-Request-Headers is not a comma-separated list of header names',
        context,
      )
    }
    if (requested === 'too-large') {
      return reject(
        true,
        'request-headers-too-large',
        'Access-Control-Request-Headers is longer or names more headers than any browser sends',
        context,
      )
    }
    if (entry.preflight !== undefined) {
      const set = c.allowedHeaderSet
      const wildcard = c.wildcardHeaders
      for (const name of requested) {
        if (set.has(name)) continue
        if (name === 'authorization' && wildcard) {
          return reject(
            true,
            'authorization-not-covered',
            '"*" in allowedHeaders never covers Authorization; list "Authorization" to allow it',
            context,
          )
        }
        if (!wildcard)
          return reject(true, 'header-not-allowed', `header ${quote(name)} is not allowed`, context)
      }
      remember(acceptedHeaderLists, list!, () => true)
      return entry.preflight
    }
    // Echoing a header literally named "*" would read as the wildcard to the browser.
    if (requested.includes('*'))
      return reject(true, 'header-not-allowed', 'header "*" is never reflected', context)
    const reflected: CorsPreflightAllowed = {
      kind: 'preflight',
      allowed: true,
      respond: !o.preflightContinue,
      status: o.optionsSuccessStatus,
      headers:
        requested.length === 0
          ? entry.preflightHeaders
          : headerRecord(entry.preflightHeaders, { 'access-control-allow-headers': requested.join(', ') }),
      vary: c.preflightVary,
      unset: entry.preflightUnset[requested.length === 0 ? 1 : 0],
      reason: 'allowed',
      message: 'allowed',
    }
    return reflected
  }

  function allow(
    request: CorsRequest,
    entry: OriginEntry,
    isPreflight: boolean,
    context: Context | undefined,
  ): CorsDecision {
    return isPreflight ? preflight(request, entry, context) : entry.actual
  }

  // The refusal of one origin is the same every time: built once per origin (bounded), then reused.
  const refusals = [new Map<string, CorsRejection>(), new Map<string, CorsRejection>()] as const
  const refuse = (preflight: boolean) => (origin: string) =>
    rejection(preflight, 'origin-not-allowed', `origin ${quote(origin)} is not allowed`)
  const refuseActual = refuse(false)
  const refusePreflight = refuse(true)

  function deny(origin: string, isPreflight: boolean, context: Context | undefined): CorsRejection {
    const refuseNow = isPreflight ? refusePreflight : refuseActual
    return report(remember(refusals[isPreflight ? 1 : 0], origin, refuseNow), context)
  }

  function failed(
    origin: string,
    isPreflight: boolean,
    context: Context | undefined,
    error: unknown,
  ): CorsRejection {
    const hint = error instanceof TypeError && fn !== undefined && fn.length >= 2 ? expressStyleHint : ''
    const message = `the origin function failed for ${quote(origin)}: ${describeError(error)}${hint}`
    return report(rejection(isPreflight, 'origin-check-failed', message, error), context)
  }

  const matcher = o.origin.kind === 'match' ? o.origin : undefined
  const fn = matcher?.fn as ((origin: string, context: Context | undefined) => unknown) | undefined
  const anyEntry = c.any

  // The verdict of `true`, patterns and RegExps depends on the origin string alone, so it is
  // remembered (bounded) per origin, denials included: a repeat visitor costs one map lookup.
  // Only a well-formed serialized origin (never "null", never two joined by a comma) is matched or
  // echoed back. @see https://fetch.spec.whatwg.org/#http-origin
  const verdicts = new Map<string, OriginEntry | null>()
  const staticVerdict = (origin: string): OriginEntry | null => {
    const parts = parseRequestOrigin(origin)
    if (parts === null) return null
    if (matcher === undefined) return c.entryFor(origin)
    for (const pattern of matcher.patterns) if (matchesPattern(parts, pattern)) return c.entryFor(origin)
    for (const regexp of matcher.regexps)
      if (regexpExec.call(regexp, origin) !== null) return c.entryFor(origin)
    return null
  }
  const dynamic =
    o.origin.kind === 'reflect' ||
    (matcher !== undefined && fn === undefined && (matcher.patterns.length > 0 || matcher.regexps.length > 0))

  // Requested-header lists that passed the allow-list (the verdict does not depend on the origin or
  // method); browsers send the same sorted list again and again.
  const acceptedHeaderLists = new Map<string, true>()

  return function decide(request: CorsRequest, context?: Context): CorsDecision | Promise<CorsDecision> {
    const origin = request.origin
    if (origin === null || o.origin.kind === 'disabled') return c.nonCors
    // A preflight is OPTIONS with both Origin and Access-Control-Request-Method; any other OPTIONS
    // request is an ordinary one. @see https://fetch.spec.whatwg.org/#cors-preflight-request
    const isPreflight = request.method === 'OPTIONS' && request.accessControlRequestMethod !== null
    if (anyEntry !== undefined) return allow(request, anyEntry, isPreflight, context)
    const known = c.exact(origin)
    if (known !== undefined) return allow(request, known, isPreflight, context)
    if (dynamic) {
      const entry = remember(verdicts, origin, staticVerdict)
      return entry === null ? deny(origin, isPreflight, context) : allow(request, entry, isPreflight, context)
    }
    if (fn === undefined || parseRequestOrigin(origin) === null) return deny(origin, isPreflight, context)
    const settle = (ok: unknown): CorsDecision => {
      if (ok === true) return allow(request, c.entryFor(origin), isPreflight, context)
      if (ok === false) return deny(origin, isPreflight, context)
      const message = originResultMessage(origin, ok, fn)
      return reject(isPreflight, 'origin-not-allowed', message, context)
    }
    const fail = (error: unknown): CorsDecision => failed(origin, isPreflight, context, error)
    let verdict: unknown
    try {
      verdict = fn(origin, context)
    } catch (error) {
      return fail(error)
    }
    return verdict instanceof Promise ? verdict.then(settle, fail) : settle(verdict)
  }
}
