import { CorsConfigError, type CorsConfigIssue } from '../config/errors.ts'
import type { CorsOptions } from '../config/options.ts'
import { isPlainObject } from '../config/read.ts'
import { type CorsPolicy, createCors, currentState, type PolicyState } from '../decide/policy.ts'
import { type CorsRejection, type CorsRequest, headerValue } from '../decision.ts'
import { judgeOf, once, refuse, shown, verdict } from './handshake-judge.ts'
import { hostOf, sameHost } from './protect.ts'

/** Options of a WebSocket handshake check, beside the policy. */
export interface CorsHandshakeOptions {
  /** Refuse handshakes without `Origin` too (only browsers send one; other clients then need one). @default false */
  readonly requireOrigin?: boolean
}

/**
 * Judges one WebSocket handshake: `undefined` lets it through, a rejection (reason
 * `websocket-origin-refused`, status 403) refuses it. A promise of either only when the policy's
 * origin function is async.
 */
export type CorsHandshakeCheck<Context> = (
  request: CorsRequest,
  context: Context,
) => CorsRejection | undefined | Promise<CorsRejection | undefined>

function options(handshake: unknown): boolean {
  const issues: CorsConfigIssue[] = []
  const object = isPlainObject(handshake) ? (handshake as Record<string, unknown>) : undefined
  if (handshake !== undefined && object === undefined)
    issues.push({
      code: 'invalid-type',
      option: 'websocket',
      value: handshake,
      message: 'the guard options must be an object',
      hint: 'use { requireOrigin: true } or leave it out',
    })
  for (const key of Object.keys(object ?? {}))
    if (key !== 'requireOrigin')
      issues.push({
        code: 'unknown-option',
        option: key,
        value: object![key],
        message: 'is not an option of the WebSocket guard',
        hint: 'the only guard option is requireOrigin; CORS options go in the first argument',
      })
  const requireOrigin = object?.requireOrigin
  if (requireOrigin !== undefined && typeof requireOrigin !== 'boolean')
    issues.push({
      code: 'invalid-type',
      option: 'requireOrigin',
      value: requireOrigin,
      message: 'must be true or false',
      hint: 'use requireOrigin: true',
    })
  if (issues.length > 0) throw new CorsConfigError(issues)
  return requireOrigin === true
}

const openIssue = (origin: unknown): CorsConfigIssue => ({
  code: 'protection-without-allow-list',
  option: 'origin',
  value: origin,
  message: `with origin: ${origin === true ? 'true' : '"*"'} every origin is allowed, so a WebSocket guard has nothing to check`,
  hint: 'list the origins whose pages may open WebSockets, e.g. origin: ["https://app.example.com"]',
})

/**
 * The WebSocket handshake check of `@cors/websocket`. Browsers apply no CORS to WebSockets, so every
 * handshake is judged by the cross-origin protection rule, whether or not `crossOriginProtection` is
 * set: `Sec-Fetch-Site: same-origin` or `none` passes; without `Sec-Fetch-Site`, an `Origin` whose
 * host equals `Host` passes; an `Origin` the policy allows passes; any other `Origin` (`null`
 * included) is refused. No `Origin` (not a browser) passes unless `requireOrigin`. The policy's
 * current state is read on each handshake, so `policy.update()` takes effect on the next one.
 * `origin: '*'` and `true` are refused here; a policy later updated to them refuses every
 * cross-origin handshake (fail closed) and warns once.
 *
 * @see https://fetch.spec.whatwg.org/#sec-fetch-site-header
 * @see https://datatracker.ietf.org/doc/html/rfc6455#section-10.2
 */
export function createHandshakeCheck<Context = unknown>(
  policyOrOptions: CorsOptions<Context> | CorsPolicy<Context>,
  handshake?: CorsHandshakeOptions,
): CorsHandshakeCheck<Context> {
  const requireOrigin = options(handshake)
  const policy = createCors(policyOrOptions)
  const state = (): PolicyState => currentState(policy)
  const start = state()
  if (judgeOf(start).open) throw new CorsConfigError([openIssue(start.snapshot.origin)])

  return (request, context) => {
    const origin = request.origin
    if (origin === null) {
      if (!requireOrigin) return undefined
      return refuse(
        judgeOf(state()),
        'WebSocket handshake refused: no Origin (requireOrigin is set)',
        context,
      )
    }
    // Sec-Fetch-Site is set by the browser and cannot be forged by a page: trusted when present.
    const site = request.header === undefined ? null : headerValue(request.header('sec-fetch-site'))
    if (site === 'same-origin' || site === 'none') return undefined
    if (site === null && sameHost(origin, hostOf(request))) return undefined
    const judge = judgeOf(state())
    if (judge.open) {
      once(
        'warn',
        `@cors: ${openIssue(state().snapshot.origin).message}; every cross-origin handshake is refused`,
      )
      return refuse(
        judge,
        `WebSocket handshake refused: ${shown(origin)}; the policy allows every origin, so none is trusted`,
        context,
      )
    }
    // Only the origin is asked about: a GET carries no preflight headers to judge.
    const d = judge.decide(
      { method: 'GET', origin, accessControlRequestMethod: null, accessControlRequestHeaders: null },
      context,
    )
    return d instanceof Promise
      ? d.then((settled) => verdict(judge, settled, origin, site, context))
      : verdict(judge, d, origin, site, context)
  }
}
