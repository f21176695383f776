import { remember } from '../decide/cache.ts'
import { type Compiled, compile } from '../decide/compile.ts'
import { decider } from '../decide/decide.ts'
import type { PolicyState } from '../decide/policy.ts'
import { describeError, quote, rejection } from '../decide/reject.ts'
import type { CorsDecision, CorsRejection, CorsRequest } from '../decision.ts'

/** What a policy state means for handshakes, derived once per state (so once per `update()`). */
export interface Judge {
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

export function judgeOf(state: PolicyState): Judge {
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
export function once(level: 'warn' | 'error', message: string): void {
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
  if (bySite === undefined) {
    bySite = new Map()
    judge.refusals.set(d, bySite)
  }
  return remember(bySite, site ?? '', () => refusal(judge, message()))
}

export function refuse(judge: Judge, message: string, context: unknown, error?: unknown): CorsRejection {
  const refused = refusal(judge, message, error)
  report(judge, refused, context)
  return refused
}

export function shown(origin: string): string {
  return origin === 'null' ? 'Origin: null (an opaque origin, never allowed)' : `Origin: ${quote(origin)}`
}

/**
 * The handshake's verdict from the decider's answer for its origin: `undefined` when allowed, else the
 * refusal, reported to `onReject`.
 */
export function verdict(
  judge: Judge,
  d: CorsDecision,
  origin: string,
  site: string | null,
  context: unknown,
): CorsRejection | undefined {
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
