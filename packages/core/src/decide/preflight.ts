import type { CorsDecision, CorsRejection, CorsRequest } from '../decision.ts'
import { headerRecord } from '../decision.ts'
import { isToken, parseRequestHeaders } from '../fetch/headers.ts'
import { isForbiddenMethod, isSafelistedMethod } from '../fetch/methods.ts'
import { remember } from './cache.ts'
import { allowedPreflight, type Compiled, type OriginEntry } from './compile.ts'
import { methodMessage, type OnReject, quote, rejection, reported } from './reject.ts'

// Fetch "CORS-preflight fetch" steps the browser will check: the method must be listed (or be
// safelisted), and every requested header must be listed, with Authorization never covered by "*".
// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0

/** What the preflight checks of one policy read: built once, with its decider. */
export interface PreflightChecks {
  readonly c: Compiled
  readonly onReject: OnReject
  /**
   * Requested-header lists that passed the allow-list (the verdict does not depend on the origin or
   * method); browsers send the same sorted list again and again.
   */
  readonly acceptedHeaderLists: Map<string, true>
}

function refuse(
  p: PreflightChecks,
  reason: CorsRejection['reason'],
  message: string,
  context: unknown,
): CorsRejection {
  return reported(p.onReject, rejection(p.c, true, reason, message), context)
}

const accept = (): true => true

function isMethodAllowed(c: Compiled, method: string): boolean {
  const methods = c.options.methods
  return methods === '*'
    ? isToken(method) && !isForbiddenMethod(method)
    : methods.includes(method) || isSafelistedMethod(method)
}

// A listed allow-list: every requested name must be in it; "*" covers any name but Authorization.
function checkListed(
  p: PreflightChecks,
  entry: OriginEntry,
  list: string,
  requested: readonly string[],
  context: unknown,
): CorsDecision {
  const set = p.c.allowedHeaderSet
  const wildcard = p.c.wildcardHeaders
  for (const name of requested) {
    if (set.has(name)) continue
    if (name === 'authorization' && wildcard) {
      const message = '"*" in allowedHeaders never covers Authorization; list "Authorization" to allow it'
      return refuse(p, 'authorization-not-covered', message, context)
    }
    if (!wildcard) return refuse(p, 'header-not-allowed', `header ${quote(name)} is not allowed`, context)
  }
  remember(p.acceptedHeaderLists, list, accept)
  return entry.preflight!
}

// No allow-list: the requested headers are echoed back, once parsed.
function reflect(
  p: PreflightChecks,
  entry: OriginEntry,
  requested: readonly string[],
  context: unknown,
): CorsDecision {
  // Echoing a header literally named "*" would read as the wildcard to the browser.
  if (requested.includes('*'))
    return refuse(p, 'header-not-allowed', 'header "*" is never reflected', context)
  if (requested.length === 0) return allowedPreflight(p.c, entry.preflightHeaders, entry.preflightUnset[1])
  const headers = headerRecord(entry.preflightHeaders, {
    'access-control-allow-headers': requested.join(', '),
  })
  return allowedPreflight(p.c, headers, entry.preflightUnset[0])
}

/** The answer to a preflight from an allowed origin: its method, then its requested headers. */
export function checkPreflight(
  p: PreflightChecks,
  request: CorsRequest,
  entry: OriginEntry,
  context: unknown,
): CorsDecision {
  const method = request.accessControlRequestMethod!
  if (!isMethodAllowed(p.c, method)) {
    const listed = p.c.options.methods === '*' ? [] : p.c.options.methods
    return refuse(p, 'method-not-allowed', methodMessage(method, p.c.allowMethods, listed), context)
  }
  const list = request.accessControlRequestHeaders
  if (entry.preflight !== undefined && (list === null || p.acceptedHeaderLists.has(list)))
    return entry.preflight
  const requested = list === null ? [] : parseRequestHeaders(list)
  if (requested === 'invalid') {
    const message = 'Access-Control-Request-Headers is not a comma-separated list of header names'
    return refuse(p, 'request-headers-invalid', message, context)
  }
  if (requested === 'too-large') {
    const message = 'Access-Control-Request-Headers is longer or names more headers than any browser sends'
    return refuse(p, 'request-headers-too-large', message, context)
  }
  return entry.preflight === undefined
    ? reflect(p, entry, requested, context)
    : checkListed(p, entry, list!, requested, context)
}
