import type { CorsShadowDifference } from '../config/options.ts'
import { quote } from '../decide/reject.ts'
import type { CorsDecision, CorsRequest } from '../decision.ts'
import { corsResponseHeaders } from '../write/owned.ts'

// How a shadow policy's differences are compared and reported: bounded, aggregated, with counts.

export type Report<Context> = (difference: CorsShadowDifference, context: Context | undefined) => void
export type Compare<Context> = (
  request: CorsRequest,
  e: CorsDecision,
  s: CorsDecision,
  context: Context | undefined,
) => void

/** How differences are aggregated: injectable for tests. */
export interface ShadowLimits {
  /** Milliseconds since the epoch. */
  readonly now: () => number
  /** A repeated difference is reported at most once per window (milliseconds), with its count. */
  readonly window: number
  /** How many distinct differences are tracked; beyond it they are counted together. */
  readonly maxKeys: number
  /** Longer keys (a huge Origin) are counted with the untracked ones. */
  readonly maxKeyLength: number
}

export const defaultShadowLimits: ShadowLimits = Object.freeze({
  now: () => Date.now(),
  window: 60_000,
  maxKeys: 1000,
  maxKeyLength: 512,
})

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
export const same = (a: CorsDecision, b: CorsDecision): boolean => a === b || signature(a) === signature(b)

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

interface Counter {
  reportedAt: number
  /** Occurrences since the last report. */
  pending: number
}

/** One tracked difference: the request's kind and method and the two reasons (its origin is the key). */
interface Entry extends Counter {
  readonly kind: string
  readonly method: string
  readonly enforced: string
  readonly shadow: string
}

/** The aggregation state of one shadow policy. */
interface Tracker<Context> {
  readonly onShadow: Report<Context>
  readonly limits: ShadowLimits
  /** Entries grouped by origin (no key string is built per request: hashing the origin alone is cheaper). */
  readonly byOrigin: Map<string | null, Entry[]>
  size: number
  /** New differences counted together once `maxKeys` are tracked and none can be dropped. */
  readonly overflow: Counter
  sweptAt: number
}

// When full, drops the entries idle for a window with nothing unreported (losing nothing), at most
// once per window. Whether there is room for one more entry.
function room<Context>(t: Tracker<Context>, now: number): boolean {
  const { maxKeys, window } = t.limits
  if (t.size < maxKeys) return true
  if (now - t.sweptAt < window) return false
  t.sweptAt = now
  t.size = 0
  for (const [origin, entries] of t.byOrigin) {
    const kept = entries.filter((entry) => entry.pending > 0 || now - entry.reportedAt < window)
    if (kept.length === 0) t.byOrigin.delete(origin)
    else t.byOrigin.set(origin, kept)
    t.size += kept.length
  }
  return t.size < maxKeys
}

function find<Context>(
  t: Tracker<Context>,
  request: CorsRequest,
  e: CorsDecision,
  s: CorsDecision,
): Entry | undefined {
  const entries = t.byOrigin.get(request.origin)
  if (entries === undefined) return undefined
  for (const entry of entries)
    if (
      entry.method === request.method &&
      entry.enforced === e.reason &&
      entry.shadow === s.reason &&
      entry.kind === e.kind
    )
      return entry
  return undefined
}

function add<Context>(
  t: Tracker<Context>,
  request: CorsRequest,
  e: CorsDecision,
  s: CorsDecision,
  now: number,
): void {
  const added: Entry = {
    kind: e.kind,
    method: request.method,
    enforced: e.reason,
    shadow: s.reason,
    reportedAt: now,
    pending: 0,
  }
  const entries = t.byOrigin.get(request.origin)
  if (entries === undefined) t.byOrigin.set(request.origin, [added])
  else entries.push(added)
  t.size++
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
  try {
    const { origin, method } = request
    const message = `${note}${describe(request, e, s)}${times}`
    onShadow(
      Object.freeze({ origin, method, kind: e.kind, enforced: side(e), shadow: side(s), count, message }),
      context,
    )
  } catch {
    // A failing logger never breaks a request: the response is the enforced policy's alone.
  }
}

function record<Context>(
  t: Tracker<Context>,
  request: CorsRequest,
  e: CorsDecision,
  s: CorsDecision,
  context: Context | undefined,
): void {
  const now = t.limits.now()
  const trackable = (request.origin?.length ?? 0) + request.method.length <= t.limits.maxKeyLength
  const entry = trackable ? find(t, request, e, s) : undefined
  if (entry === undefined && trackable && room(t, now)) {
    add(t, request, e, s, now)
    send(t.onShadow, request, e, s, 1, context)
    return
  }
  const counted = entry ?? t.overflow
  counted.pending++
  if (now - counted.reportedAt < t.limits.window) return
  const count = counted.pending
  counted.pending = 0
  counted.reportedAt = now
  const note = entry === undefined ? 'too many distinct differences to track: counted together; latest: ' : ''
  send(t.onShadow, request, e, s, count, context, note)
}

// Aggregates differences by kind, method, origin and the two reasons. A difference is reported the
// first time it is seen (count 1); its repeats are counted and reported with the first occurrence
// after the window has passed (count = occurrences since the last report, that one included). At
// most `maxKeys` are tracked; when full, the ones idle for a window with nothing unreported are
// dropped (losing nothing), and if none can be, new differences are counted together under one
// overflow entry, itself reported at most once per window. Memory and reports stay bounded whatever
// origins clients send.
export function aggregator<Context>(onShadow: Report<Context>, limits: ShadowLimits): Compare<Context> {
  const t: Tracker<Context> = {
    onShadow,
    limits,
    byOrigin: new Map(),
    size: 0,
    overflow: { reportedAt: Number.NEGATIVE_INFINITY, pending: 0 },
    sweptAt: Number.NEGATIVE_INFINITY,
  }
  return (request, e, s, context) => record(t, request, e, s, context)
}
