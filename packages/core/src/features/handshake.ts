import { CorsConfigError, type CorsConfigIssue } from '../config/errors.ts'
import type { CorsOptions } from '../config/options.ts'
import { isPlainObject } from '../config/read.ts'
import { remember } from '../decide/cache.ts'
import { type Compiled, compile } from '../decide/compile.ts'
import { decider } from '../decide/decide.ts'
import { type CorsPolicy, createCors, currentState, type PolicyState } from '../decide/policy.ts'
import { describeError, quote, rejection } from '../decide/reject.ts'
import { type CorsDecision, type CorsRejection, type CorsRequest, headerValue } from '../decision.ts'
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

/** What a policy state means for handshakes, derived once per state (so once per `update()`). */
interface Judge {
  readonly compiled: Compiled
  /** `origin: '*'` or `true`: every origin allowed, so nothing to check; handshakes fail closed. */
  readonly open: boolean
  readonly decide: (request: CorsRequest, context: unknown) => CorsDecision | Promise<CorsDecision>
  readonly onReject: ((rejection: CorsRejection, context: unknown) => unknown) | undefined
  /**
   * The refusal of an origin the policy does not list, by the decider's rejection of that origin (itself
   * built once per origin, bounded) and Sec-Fetch-Site: built once, reported each time.
   */
  readonly refusals: WeakMap<CorsDecision, Map<string, CorsRejection>>
}

const judges = new WeakMap<PolicyState, Judge>()

function judgeOf(state: PolicyState): Judge {
  let judge = judges.get(state)
  if (judge !== undefined) return judge
  const n = state.normalized
  // The same origin matching as the policy (exact, patterns, RegExps, sync or async functions), with
  // no hook: a handshake reports once, with its own reason, never as `origin-not-allowed` as well.
  const compiled = compile({ ...n, onReject: undefined })
  judge = Object.freeze({
    compiled,
    open: n.origin.kind === 'any' || n.origin.kind === 'reflect',
    decide: decider<unknown>(compiled),
    onReject: n.onReject as Judge['onReject'],
    refusals: new WeakMap(),
  })
  judges.set(state, judge)
  return judge
}

// Reported once per distinct message (bounded): a hook failing on every handshake must not flood the log.
// The core is compiled without DOM or Node types; every runtime it supports has a console.
const reported = new Set<string>()
function once(level: 'warn' | 'error', message: string): void {
  if (reported.has(message)) return
  if (reported.size >= 256) reported.clear()
  reported.add(message)
  ;(globalThis as { console?: Record<typeof level, (message: string) => void> }).console?.[level](message)
}

// A throwing or rejecting onReject is reported, never thrown: it runs inside servers' `upgrade`
// listeners and engine hooks, where an exception or an unhandled rejection ends the process.
function report(judge: Judge, refusal: CorsRejection, context: unknown): void {
  const hook = judge.onReject
  if (hook === undefined) return
  const failed = (error: unknown) =>
    once('error', `@cors: onReject failed on a WebSocket refusal: ${describeError(error)}`)
  try {
    const result = hook(refusal, context) as { then?: unknown } | undefined
    if (typeof result?.then === 'function') Promise.resolve(result).then(undefined, failed)
  } catch (error) {
    failed(error)
  }
}

function refusal(judge: Judge, message: string, error?: unknown): CorsRejection {
  return Object.freeze({
    ...rejection(judge.compiled, false, 'websocket-origin-refused', message, error),
    respond: true,
  })
}

function refusalFor(
  judge: Judge,
  d: CorsDecision,
  site: string | null,
  message: () => string,
): CorsRejection {
  let bySite = judge.refusals.get(d)
  if (bySite === undefined) judge.refusals.set(d, (bySite = new Map()))
  return remember(bySite, site ?? '', () => refusal(judge, message()))
}

function refuse(judge: Judge, message: string, context: unknown, error?: unknown): CorsRejection {
  const refused = refusal(judge, message, error)
  report(judge, refused, context)
  return refused
}

function shown(origin: string): string {
  return origin === 'null' ? 'Origin: null (an opaque origin, never allowed)' : `Origin: ${quote(origin)}`
}

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
    const settle = (d: CorsDecision): CorsRejection | undefined => {
      if (d.allowed && d.kind === 'actual') return undefined
      const message = (): string => {
        const plain = d.reason === 'origin-not-allowed' && d.message.endsWith('is not allowed')
        const via = site === null ? 'no Sec-Fetch-Site and not the Host' : `Sec-Fetch-Site: ${quote(site)}`
        return `WebSocket handshake refused: ${shown(origin)} is not allowed (${via})${plain ? '' : `: ${d.message}`}`
      }
      if (d.allowed || d.reason !== 'origin-not-allowed')
        return refuse(judge, message(), context, d.allowed ? undefined : d.error)
      // The common refusal (an origin not listed) is the same every time: built once, reported each time.
      const refused = refusalFor(judge, d, site, message)
      report(judge, refused, context)
      return refused
    }
    // Only the origin is asked about: a GET carries no preflight headers to judge.
    const d = judge.decide(
      { method: 'GET', origin, accessControlRequestMethod: null, accessControlRequestHeaders: null },
      context,
    )
    return d instanceof Promise ? d.then(settle) : settle(d)
  }
}
