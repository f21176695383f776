import type { Compiled, OriginEntry } from './compile.ts'
import type { CorsDecision, CorsPreflightAllowed, CorsRejection, CorsRequest } from './decision.ts'
import { noHeaders } from './decision.ts'
import { isToken, parseRequestHeaders } from './headers.ts'
import { matchesPattern, parseRequestOrigin } from './origin.ts'

type RejectReason = CorsRejection['reason']

// Methods a browser allows without asking, so a preflight for them is never refused on the method.
// @see https://fetch.spec.whatwg.org/#cors-safelisted-method
const safelistedMethods = new Set(['GET', 'HEAD', 'POST'])
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK'])

/** Quotes an untrusted value for a log message: escaped and cut short. */
function quote(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)
}

/** Builds the per-request function of a compiled policy. */
export function decider<Context>(
  c: Compiled,
): (request: CorsRequest, context?: Context) => CorsDecision | Promise<CorsDecision> {
  const o = c.options
  const onReject = o.onReject as
    | ((rejection: CorsRejection, context: Context | undefined) => void)
    | undefined

  function reject(
    preflight: boolean,
    reason: RejectReason,
    message: string,
    context: Context | undefined,
    error?: unknown,
  ): CorsRejection {
    const rejection: CorsRejection = {
      kind: preflight ? 'preflight' : 'actual',
      allowed: false,
      respond: preflight,
      status: 403,
      headers: noHeaders,
      vary: preflight ? c.preflightVary : c.actualVary,
      reason,
      message,
      ...(error === undefined ? {} : { error }),
    }
    onReject?.(rejection, context)
    return rejection
  }

  // Fetch "CORS-preflight fetch" steps the browser will check: the method must be listed (or be
  // safelisted), and every requested header must be listed, with Authorization never covered by "*".
  // @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
  function preflight(request: CorsRequest, entry: OriginEntry, context: Context | undefined): CorsDecision {
    const method = request.accessControlRequestMethod!
    const methodAllowed =
      o.methods === '*'
        ? isToken(method) && !forbiddenMethods.has(method.toUpperCase())
        : o.methods.includes(method) || safelistedMethods.has(method)
    if (!methodAllowed) {
      return reject(
        true,
        'method-not-allowed',
        `method ${quote(method)} is not allowed (allowed: ${c.allowMethods || 'none but GET, HEAD, POST'})`,
        context,
      )
    }
    const requested =
      request.accessControlRequestHeaders === null
        ? []
        : parseRequestHeaders(request.accessControlRequestHeaders)
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
      const wildcard = o.allowedHeaders?.wildcard === true
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
      return entry.preflight
    }
    const reflected: CorsPreflightAllowed = {
      kind: 'preflight',
      allowed: true,
      respond: !o.preflightContinue,
      status: o.optionsSuccessStatus,
      headers:
        requested.length === 0
          ? entry.preflightHeaders
          : { ...entry.preflightHeaders, 'access-control-allow-headers': requested.join(', ') },
      vary: c.preflightVary,
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

  function deny(
    origin: string,
    isPreflight: boolean,
    context: Context | undefined,
    reason: RejectReason = 'origin-not-allowed',
    error?: unknown,
  ): CorsRejection {
    const message =
      reason === 'origin-not-allowed'
        ? `origin ${quote(origin)} is not allowed`
        : `the origin function failed for ${quote(origin)}: ${String(error)}`
    return reject(isPreflight, reason, message, context, error)
  }

  const matcher = o.origin.kind === 'match' ? o.origin : undefined
  const needsParse =
    o.origin.kind === 'reflect' ||
    (matcher !== undefined &&
      (matcher.patterns.length > 0 || matcher.regexps.length > 0 || matcher.fn !== undefined))
  const anyEntry = c.exact.get('*')

  return function decide(request: CorsRequest, context?: Context): CorsDecision | Promise<CorsDecision> {
    const origin = request.origin
    if (origin === null || o.origin.kind === 'disabled') return c.nonCors
    // A preflight is OPTIONS with both Origin and Access-Control-Request-Method; any other OPTIONS
    // request is an ordinary one. @see https://fetch.spec.whatwg.org/#cors-preflight-request
    const isPreflight = request.method === 'OPTIONS' && request.accessControlRequestMethod !== null
    if (anyEntry !== undefined) return allow(request, anyEntry, isPreflight, context)
    const known = c.exact.get(origin)
    if (known !== undefined) return allow(request, known, isPreflight, context)
    // Only a well-formed serialized origin (never "null", never two joined by a comma) is matched
    // further or echoed back. @see https://fetch.spec.whatwg.org/#http-origin
    const parts = needsParse ? parseRequestOrigin(origin) : null
    if (parts === null) return deny(origin, isPreflight, context)
    if (matcher === undefined) return allow(request, c.entryFor(origin), isPreflight, context)
    for (const pattern of matcher.patterns) {
      if (matchesPattern(parts, pattern)) return allow(request, c.entryFor(origin), isPreflight, context)
    }
    for (const regexp of matcher.regexps) {
      if (regexp.test(origin)) return allow(request, c.entryFor(origin), isPreflight, context)
    }
    if (matcher.fn === undefined) return deny(origin, isPreflight, context)
    const settle = (ok: unknown): CorsDecision =>
      ok === true
        ? allow(request, c.entryFor(origin), isPreflight, context)
        : deny(origin, isPreflight, context)
    const fail = (error: unknown): CorsDecision =>
      deny(origin, isPreflight, context, 'origin-check-failed', error)
    let verdict: unknown
    try {
      verdict = (matcher.fn as (origin: string, context: Context | undefined) => unknown)(origin, context)
    } catch (error) {
      return fail(error)
    }
    return verdict instanceof Promise ? verdict.then(settle, fail) : settle(verdict)
  }
}
