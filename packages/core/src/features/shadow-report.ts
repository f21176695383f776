import type { CorsShadowDifference } from '../config/options.ts'
import { failedHook, settleHook } from '../decide/hooks.ts'
import { quote } from '../decide/reject.ts'
import type { CorsDecision, CorsRequest } from '../decision.ts'
import { corsResponseHeaders } from '../write/owned.ts'
import { createTally, type ShadowLimits, type Tally, tally } from './tally.ts'

// How a shadow policy's differences are compared and reported: bounded, aggregated, with counts.

export type Report<Context> = (difference: CorsShadowDifference, context: Context | undefined) => void
export type Compare<Context> = (
  request: CorsRequest,
  e: CorsDecision,
  s: CorsDecision,
  context: Context | undefined,
) => void

// What a decision makes the response: status, CORS headers (a decision sets no other) and Vary, as
// one string, kept per decision. Most decisions are precomputed and reused, so comparing two is two
// lookups; reading the prototype-less header records each time would cost more than deciding.
const signatures = new WeakMap<CorsDecision, string>()
function signature(d: CorsDecision): string {
  let result = signatures.get(d)
  if (result === undefined) {
    const status = (d as { status?: number }).status
    let text = `${d.kind} ${d.allowed} ${d.respond} ${status}\n${d.vary.join()}`
    for (const name of corsResponseHeaders) text += `\n${d.headers[name] ?? '\u0000'}`
    result = text
    signatures.set(d, result)
  }
  return result
}

/** Whether the two decisions produce the same response: status, CORS headers and Vary. */
// Verdicts are compared first: a flood of distinct origins one policy allows and the other refuses
// (every decision new) is told apart without building, or remembering, a signature for each.
export const same = (a: CorsDecision, b: CorsDecision): boolean =>
  a === b || (a.allowed === b.allowed && a.kind === b.kind && signature(a) === signature(b))

function describe(request: CorsRequest, e: CorsDecision, s: CorsDecision): string {
  const what =
    e.kind === 'preflight'
      ? `preflight for ${quote(request.accessControlRequestMethod ?? '')}`
      : `${quote(request.method)} request`
  const from = request.origin === null ? 'without Origin' : `from ${quote(request.origin)}`
  if (e.allowed && !s.allowed) return `the shadow policy would refuse the ${what} ${from}: ${s.message}`
  if (!e.allowed && s.allowed)
    return `the shadow policy would allow the ${what} ${from}, refused now: ${e.message}`
  const names = new Set([...Object.keys(e.headers), ...Object.keys(s.headers)])
  const changes = [...names]
    .filter((name) => e.headers[name] !== s.headers[name])
    .map((name) => `${name} ${quote(e.headers[name] ?? '(none)')} -> ${quote(s.headers[name] ?? '(none)')}`)
  if (e.vary.join() !== s.vary.join())
    changes.push(`vary ${quote(e.vary.join(', '))} -> ${quote(s.vary.join(', '))}`)
  if (changes.length === 0)
    changes.push(`status ${(e as { status?: number }).status} -> ${(s as { status?: number }).status}`)
  return `the shadow policy would answer the ${what} ${from} differently: ${changes.join('; ')}`
}

const side = (d: CorsDecision) => Object.freeze({ allowed: d.allowed, reason: d.reason, headers: d.headers })

// The difference is described only when it is reported, not for every request that shows it.
function send<Context>(
  onShadow: Report<Context>,
  request: CorsRequest,
  e: CorsDecision,
  s: CorsDecision,
  count: number,
  context: Context | undefined,
  note = '',
): void {
  const times = count > 1 ? ` (${count} times since the last report)` : ''
  // A failing logger never breaks a request (the response is the enforced policy's alone), and never
  // fails silently: a throw or a rejected promise is written to console.error, once per message.
  try {
    const { origin, method } = request
    const message = `${note}${describe(request, e, s)}${times}`
    const result: unknown = onShadow(
      Object.freeze({ origin, method, kind: e.kind, enforced: side(e), shadow: side(s), count, message }),
      context,
    )
    if (result !== undefined) settleHook('onShadow', result)
  } catch (error) {
    failedHook('onShadow', error, 'the response was not changed')
  }
}

/** The reporting state of one shadow: kept across `update()`s that keep the shadow (its counts and rhythm). */
export interface ShadowTracker<Context> {
  onShadow: Report<Context>
  readonly tally: Tally
}

export function shadowTracker<Context>(
  onShadow: Report<Context>,
  limits: ShadowLimits,
): ShadowTracker<Context> {
  return { onShadow, tally: createTally(limits) }
}

const overflowNote = 'too many distinct differences to track: counted together; latest: '

// Aggregates differences by kind, method, origin and the two reasons (see `tally`): a difference is
// reported the first time it is seen (count 1); its repeats are counted and reported with the first
// occurrence after the window has passed. The origins carrying a share of the differing traffic stay
// tracked and named however many distinct origins flood the table; the others are counted together
// and reported at most once per window. Memory and reports stay bounded whatever origins clients send.
export function aggregator<Context>(tracker: ShadowTracker<Context>): Compare<Context> {
  return (request, e, s, context) => {
    const count = tally(tracker.tally, request.origin, e.kind, request.method, e.reason, s.reason)
    if (count > 0) send(tracker.onShadow, request, e, s, count, context)
    else if (count < 0) send(tracker.onShadow, request, e, s, -count, context, overflowNote)
  }
}
