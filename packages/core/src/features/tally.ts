// Counting repeated reports in bounded memory, for the shadow's differences and report-only refusals.

/** How repeated reports are aggregated: injectable for tests. */
export interface ShadowLimits {
  /** Milliseconds since the epoch. */
  readonly now: () => number
  /** A repeated report is sent at most once per window (milliseconds), with its count. */
  readonly window: number
  /** How many distinct reports are tracked, and how many are sent at first sight per window. */
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

interface Counter {
  reportedAt: number
  /** Occurrences since the last report. */
  pending: number
}

/** One tracked report: the origin it is filed under, and four strings that tell it from the others. */
interface Entry extends Counter {
  readonly kind: string
  readonly method: string
  readonly a: string
  readonly b: string
  /** The Misra-Gries counter: how far above the untracked crowd this entry stands. */
  weight: number
}

/** The aggregation state of one stream of reports. */
export interface Tally {
  readonly limits: ShadowLimits
  /** Entries grouped by origin (no key string is built per request: hashing the origin alone is cheaper). */
  readonly byOrigin: Map<string | null, Entry[]>
  size: number
  /** Occurrences of reports that are not tracked (evicted, or too long to track), counted together. */
  readonly overflow: Counter
  /** How many reports were sent at first sight in the window that started at `freshAt`. */
  fresh: number
  freshAt: number
}

export function createTally(limits: ShadowLimits): Tally {
  return {
    limits,
    byOrigin: new Map(),
    size: 0,
    overflow: { reportedAt: Number.NEGATIVE_INFINITY, pending: 0 },
    fresh: 0,
    freshAt: Number.NEGATIVE_INFINITY,
  }
}

function find(t: Tally, origin: string | null, kind: string, method: string, a: string, b: string) {
  const entries = t.byOrigin.get(origin)
  if (entries === undefined) return undefined
  for (const entry of entries)
    if (entry.method === method && entry.a === a && entry.b === b && entry.kind === kind) return entry
  return undefined
}

// Misra-Gries: with every slot taken, a new report lowers every counter by one and takes none; the
// entries that reach zero leave (their unsent counts join the overflow). Each lowering is paid for by
// earlier increments, so this costs O(1) per occurrence on average, and a report making more than
// 1/(maxKeys + 1) of the occurrences is always tracked, however many distinct ones flood the table.
function lowerAll(t: Tally): void {
  t.size = 0
  for (const [origin, entries] of t.byOrigin) {
    const kept: Entry[] = []
    for (const entry of entries)
      if (--entry.weight > 0) kept.push(entry)
      else t.overflow.pending += entry.pending
    if (kept.length === 0) t.byOrigin.delete(origin)
    else t.byOrigin.set(origin, kept)
    t.size += kept.length
  }
}

function untracked(t: Tally, now: number): number {
  t.overflow.pending++
  if (now - t.overflow.reportedAt < t.limits.window) return 0
  const count = t.overflow.pending
  t.overflow.pending = 0
  t.overflow.reportedAt = now
  return -count
}

// Whether a new report may be sent at once: at most `maxKeys` per window.
function firstSight(t: Tally, now: number): boolean {
  if (now - t.freshAt >= t.limits.window) {
    t.freshAt = now
    t.fresh = 0
  }
  if (t.fresh >= t.limits.maxKeys) return false
  t.fresh++
  return true
}

/**
 * Counts one occurrence of a report and says what to send now: a count (> 0) for the tracked report,
 * the count of untracked occurrences as a negative number, or 0 for nothing. A report is sent the
 * first time it is seen (within a budget of `maxKeys` per window); its repeats are counted, and the
 * first one after a window is sent with the occurrences since the last report.
 */
export function tally(
  t: Tally,
  origin: string | null,
  kind: string,
  method: string,
  a: string,
  b: string,
): number {
  const { now, window, maxKeys, maxKeyLength } = t.limits
  const time = now()
  if ((origin?.length ?? 0) + method.length > maxKeyLength) return untracked(t, time)
  const entry = find(t, origin, kind, method, a, b)
  if (entry !== undefined) {
    entry.pending++
    entry.weight++
    if (time - entry.reportedAt < window) return 0
    const count = entry.pending
    entry.pending = 0
    entry.reportedAt = time
    return count
  }
  if (t.size >= maxKeys) {
    lowerAll(t)
    return untracked(t, time)
  }
  const sent = firstSight(t, time)
  const added: Entry = { kind, method, a, b, reportedAt: time, pending: sent ? 0 : 1, weight: 1 }
  const entries = t.byOrigin.get(origin)
  if (entries === undefined) t.byOrigin.set(origin, [added])
  else entries.push(added)
  t.size++
  return sent ? 1 : 0
}
