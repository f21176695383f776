import { allowedPreflight, type Compiled } from '../decide/compile.ts'
import type { Decide } from '../decide/decide.ts'
import type { CorsDecision, CorsRejection, CorsRequest } from '../decision.ts'

// The refusals the browser can name itself once it gets the policy's Allow-* headers back.
const explainable: ReadonlySet<string> = new Set([
  'method-not-allowed',
  'header-not-allowed',
  'authorization-not-covered',
])

/**
 * `debug: true`: a preflight from an allowed origin that is refused for its method or headers is
 * answered like an allowed one, with the policy's own Allow-Methods and Allow-Headers (which do not
 * list what was asked). The browser still blocks the request, but its console now names the failing
 * check ("Request header field x-foo is not allowed by Access-Control-Allow-Headers") instead of "No
 * 'Access-Control-Allow-Origin' header". The rejection is still reported. Development only.
 */
export function withDebug<Context>(c: Compiled, decide: Decide<Context>): Decide<Context> {
  const answer = (request: CorsRequest, d: CorsDecision): CorsDecision => {
    if (d.allowed || d.kind !== 'preflight' || !explainable.has(d.reason)) return d
    const entry = c.any ?? c.exact(request.origin!) ?? c.entryFor(request.origin!)
    const preflight = entry.preflight
    const message = `debug: answered as allowed so the browser names the failing check; refused because ${(d as CorsRejection).message}`
    const headers = preflight?.headers ?? entry.preflightHeaders
    return Object.freeze(allowedPreflight(c, headers, preflight?.unset ?? entry.preflightUnset[1], message))
  }
  return (request, context) => {
    const d = decide(request, context)
    return d instanceof Promise ? d.then((settled) => answer(request, settled)) : answer(request, d)
  }
}

/** `debug: true` without `onReject`: every rejection goes to `console.warn`. */
export function warnRejection(rejection: CorsRejection): void {
  // The core is compiled without DOM or Node types; every runtime it supports has a console.
  const log = (globalThis as { console?: { warn(message: string): void } }).console
  log?.warn(`@cors debug: ${rejection.reason}: ${rejection.message}`)
}
