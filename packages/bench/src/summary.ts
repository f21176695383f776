/** Medians, run-to-run spread and verdicts over the repeated measurements. */
import type { FrameworkName, Variant } from './frameworks/index.ts'
import type { Finding, Kind } from './policy.ts'

/**
 * One timed load window against one server process. `F` names what was loaded: a framework, or `ws`
 * for the WebSocket handshakes (handshakes/run.ts).
 */
export interface Sample<F extends string = FrameworkName> {
  framework: F
  variant: Variant
  kind: Kind
  /** Which server process (repetition) it came from, and which window of it: with the framework and
   * the request kind, the round in which every variant took one turn. */
  rep: number
  window: number
  requests: number
  requestsPerSecond: number
  /** 99th percentile latency, milliseconds. */
  p99: number
  /** Server CPU time (user + system, all threads) per request, microseconds. */
  cpuPerRequest: number
  /** Server CPU time over the load's duration: about 1 when the server was the bottleneck throughout. */
  busy: number
  /** Whether another process got in the way in every attempt at this window. */
  disturbed: boolean
  errors: number
}

/** The fields a window measures (the rest say where and when). */
export type Measured =
  | 'requests'
  | 'requestsPerSecond'
  | 'p99'
  | 'cpuPerRequest'
  | 'busy'
  | 'disturbed'
  | 'errors'

/** The medians of one framework x request kind x variant, or why it was not timed. */
export interface Cell<F extends string = FrameworkName> {
  framework: F
  variant: Variant
  kind: Kind
  findings: Finding[]
  /** Undefined when the variant was flagged (or never timed). */
  timed:
    | {
        reps: number
        windows: number
        /** Medians over every window of every repetition. */
        requestsPerSecond: number
        p99: number
        cpuPerRequest: number
        /** (max - min) / 2 / median of the repetitions' own medians: the run-to-run noise, as a ±. */
        cpuSpread: number
        rpsSpread: number
        errors: number
        /** Windows in which another process got in the way: left out, unless every window was. */
        disturbed: number
        total: number
      }
    | undefined
}

/** The items from position `by` on, wrapping around: each round starts with another variant. */
export const rotate = <T>(items: readonly T[], by: number): T[] =>
  items.map((_, i) => items[(i + by) % items.length]!)

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Half the range relative to the median: the ± around a median that the repetitions span. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN
  return (Math.max(...values) - Math.min(...values)) / 2 / median(values)
}

export function summarize<F extends string = FrameworkName>(
  samples: readonly Sample<F>[],
  findings: ReadonlyMap<string, Finding[]>,
  key: (framework: F, variant: Variant, kind: Kind) => string,
  frameworks: readonly F[],
  variants: readonly Variant[],
  kinds: readonly Kind[],
): Cell<F>[] {
  const cells: Cell<F>[] = []
  for (const framework of frameworks) {
    for (const kind of kinds) {
      for (const variant of variants) {
        const all = samples.filter(
          (s) => s.framework === framework && s.variant === variant && s.kind === kind,
        )
        // Disturbed windows count only when a cell has nothing else.
        const clean = all.filter((s) => !s.disturbed)
        const mine = clean.length > 0 ? clean : all
        const reps = [...new Set(mine.map((s) => s.rep))]
        const perRep = (metric: (s: Sample<F>) => number) =>
          reps.map((rep) => median(mine.filter((s) => s.rep === rep).map(metric)))
        cells.push({
          framework,
          variant,
          kind,
          findings: findings.get(key(framework, variant, kind)) ?? [],
          timed:
            mine.length === 0
              ? undefined
              : {
                  reps: reps.length,
                  windows: mine.length,
                  requestsPerSecond: median(mine.map((s) => s.requestsPerSecond)),
                  p99: median(mine.map((s) => s.p99)),
                  cpuPerRequest: median(mine.map((s) => s.cpuPerRequest)),
                  cpuSpread: spread(perRep((s) => s.cpuPerRequest)),
                  rpsSpread: spread(perRep((s) => s.requestsPerSecond)),
                  errors: mine.reduce((sum, s) => sum + s.errors, 0),
                  disturbed: all.length - clean.length,
                  total: all.length,
                },
        })
      }
    }
  }
  return cells
}

/** Run-to-run noise: the median and the largest spread over every timed cell. */
export function noise(cells: readonly Cell<string>[]): {
  cpu: number
  cpuMax: number
  rps: number
  rpsMax: number
} {
  const timed = cells.flatMap((c) => (c.timed !== undefined && c.timed.reps > 1 ? [c.timed] : []))
  if (timed.length === 0) return { cpu: Number.NaN, cpuMax: Number.NaN, rps: Number.NaN, rpsMax: Number.NaN }
  return {
    cpu: median(timed.map((t) => t.cpuSpread)),
    cpuMax: Math.max(...timed.map((t) => t.cpuSpread)),
    rps: median(timed.map((t) => t.rpsSpread)),
    rpsMax: Math.max(...timed.map((t) => t.rpsSpread)),
  }
}

/** A ratio of ours to another variant over the rounds in which both took a turn: median and quartiles. */
export interface Ratio {
  median: number
  low: number
  high: number
  rounds: number
}

/** The comparison of ours with the peer and the hand-written minimum for one framework and kind. */
export interface Comparison<F extends string = FrameworkName> {
  framework: F
  kind: Kind
  /** ours / peer, requests per second: above 1 means ours serves more. */
  rpsVsPeer: Ratio | undefined
  /** ours / peer, CPU per request: below 1 means ours costs less. */
  cpuVsPeer: Ratio | undefined
  /** ours / hand-written, requests per second. */
  rpsVsHand: Ratio | undefined
  /** ours / hand-written, CPU per request: the target is at most 1.03. */
  cpuVsHand: Ratio | undefined
  peerVerdict: string
  handVerdict: string
}

/** How much CPU per request above the hand-written minimum the issue allows. */
export const handBudget = 0.03

function quantile(sorted: readonly number[], p: number): number {
  const at = (sorted.length - 1) * p
  const below = Math.floor(at)
  const above = Math.min(below + 1, sorted.length - 1)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below)
}

/**
 * Paired ratios: ours against another variant in each round (same framework, request kind, server
 * processes and window), so that drift between rounds cancels out. Disturbed windows are left out
 * unless nothing else is left.
 */
export function pairedRatio<F extends string = FrameworkName>(
  samples: readonly Sample<F>[],
  framework: F,
  kind: Kind,
  other: Variant,
  metric: (s: Sample<F>) => number,
): Ratio | undefined {
  const of = (variant: Variant) =>
    samples.filter((s) => s.framework === framework && s.kind === kind && s.variant === variant)
  const others = of(other)
  const ratios = (clean: boolean): number[] =>
    of('ours').flatMap((x) => {
      const y = others.find((s) => s.rep === x.rep && s.window === x.window)
      if (y === undefined || (clean && (x.disturbed || y.disturbed))) return []
      return [metric(x) / metric(y)]
    })
  let values = ratios(true)
  if (values.length === 0) values = ratios(false)
  if (values.length === 0) return undefined
  const sorted = values.sort((a, b) => a - b)
  return {
    median: median(sorted),
    low: quantile(sorted, 0.25),
    high: quantile(sorted, 0.75),
    rounds: sorted.length,
  }
}

const cpu = (s: Sample<string>): number => s.cpuPerRequest
const rps = (s: Sample<string>): number => s.requestsPerSecond

/**
 * Verdicts from the CPU ratios' quartiles: beyond the noise means the whole middle half of the rounds
 * agrees (ours cheaper in at least three rounds out of four, or dearer).
 */
export function compare<F extends string = FrameworkName>(
  samples: readonly Sample<F>[],
  frameworks: readonly F[],
  kinds: readonly Kind[],
): Comparison<F>[] {
  const result: Comparison<F>[] = []
  for (const framework of frameworks) {
    for (const kind of kinds) {
      const has = (variant: Variant) =>
        samples.some((s) => s.framework === framework && s.kind === kind && s.variant === variant)
      const cpuVsPeer = pairedRatio(samples, framework, kind, 'peer', cpu)
      const cpuVsHand = pairedRatio(samples, framework, kind, 'hand-written', cpu)
      // One round has no quartiles: a 3% band stands in for them, and the verdict says it is indicative.
      const single = (r: Ratio) => (r.rounds < 2 ? '; 1 round, indicative' : '')
      const band = (r: Ratio) => (r.rounds < 2 ? { low: r.median - 0.03, high: r.median + 0.03 } : r)
      result.push({
        framework,
        kind,
        rpsVsPeer: pairedRatio(samples, framework, kind, 'peer', rps),
        cpuVsPeer,
        rpsVsHand: pairedRatio(samples, framework, kind, 'hand-written', rps),
        cpuVsHand,
        peerVerdict:
          cpuVsPeer === undefined
            ? !has('ours')
              ? 'ours not timed'
              : 'peer flagged'
            : (band(cpuVsPeer).high < 1
                ? 'faster'
                : band(cpuVsPeer).low > 1
                  ? 'SLOWER'
                  : cpuVsPeer.median <= 1
                    ? 'same or faster (within noise)'
                    : 'same (within noise)') + single(cpuVsPeer),
        handVerdict:
          cpuVsHand === undefined
            ? 'n/a'
            : (cpuVsHand.median <= 1 + handBudget
                ? 'within 3%'
                : band(cpuVsHand).low <= 1 + handBudget
                  ? 'about 3% (within noise)'
                  : 'OVER 3%') + single(cpuVsHand),
      })
    }
  }
  return result
}
