/** The markdown report: environment, the full table, the comparisons, memory, the core table. */
import { type Variant, variantLabels } from './frameworks/index.ts'
import { kindLabels } from './policy.ts'
import type { Cell, Comparison, Ratio } from './summary.ts'

export interface MemoryResult {
  framework: string
  seconds: number
  requests: number
  heapWarm: number
  heapAfter: number
  rssWarm: number
  rssAfter: number
}

export interface Report {
  environment: [string, string][]
  peers: Record<string, string>
  cells: Cell[]
  comparisons: Comparison[]
  noise: { cpu: number; cpuMax: number; rps: number; rpsMax: number }
  memory: MemoryResult[]
  /** The WebSocket handshake section (handshakes/report.ts), when it ran. */
  handshakes?: string | undefined
  core: string | undefined
}

export const fixed = (value: number, digits: number): string => value.toFixed(digits)
export const plusMinus = (value: number): string =>
  Number.isNaN(value) ? 'n/a' : `±${(value * 100).toFixed(1)}%`
export const ratio = (r: Ratio | undefined): string =>
  r === undefined
    ? '—'
    : r.rounds < 2
      ? r.median.toFixed(2)
      : `${r.median.toFixed(2)} (${r.low.toFixed(2)}–${r.high.toFixed(2)})`
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1)

function variantName(cell: Cell, peers: Record<string, string>): string {
  return cell.variant === 'peer' ? `peer (${peers[cell.framework]})` : variantLabels[cell.variant as Variant]
}

/** The median half-width of the CPU ratios' interquartile ranges, relative to their medians. */
export function pairedNoise(comparisons: readonly Comparison<string>[]): number {
  const widths = comparisons
    .flatMap((c) => [c.cpuVsPeer, c.cpuVsHand])
    .flatMap((r) => (r !== undefined && r.rounds > 1 ? [(r.high - r.low) / 2 / r.median] : []))
  if (widths.length === 0) return Number.NaN
  widths.sort((a, b) => a - b)
  const mid = widths.length >> 1
  return widths.length % 2 === 1 ? widths[mid]! : (widths[mid - 1]! + widths[mid]!) / 2
}

/** Ours compared with the peer and the hand-written minimum: paired ratios, verdicts, the noise. */
function comparedTable(report: Report): string[] {
  const out: string[] = ['', '## Ours compared', '']
  out.push(
    'Ratios ours ÷ the other, paired round by round (the same server processes, window after window) and given as',
    'the median with the quartiles over the rounds: for req/s above 1 is better, for CPU per request below 1 is better.',
    'Verdicts use CPU per request; "faster" or "SLOWER" means the quartiles agree, i.e. at least three rounds in four.',
    '',
  )
  out.push(
    '| framework | request | req/s ours÷peer | CPU ours÷peer | req/s ours÷hand-written | CPU ours÷hand-written | vs peer | vs hand-written (≤ 1.03) |',
  )
  out.push('|---|---|---:|---:|---:|---:|---|---|')
  for (const c of report.comparisons) {
    out.push(
      `| ${c.framework} | ${kindLabels[c.kind]} | ${ratio(c.rpsVsPeer)} | ${ratio(c.cpuVsPeer)} | ${ratio(c.rpsVsHand)} | ${ratio(
        c.cpuVsHand,
      )} | ${c.peerVerdict} | ${c.handVerdict} |`,
    )
  }
  out.push(
    '',
    `Run-to-run noise (± of one cell over its server processes): CPU per request median ${plusMinus(
      report.noise.cpu,
    )}, largest ${plusMinus(report.noise.cpuMax)}; req/s median ${plusMinus(report.noise.rps)}, largest ${plusMinus(
      report.noise.rpsMax,
    )}. Paired CPU ratios (half the interquartile range over the rounds): median ${plusMinus(
      pairedNoise(report.comparisons),
    )}.`,
  )
  return out
}

/** The load benchmark's table, ours compared, and the notes from the checks. */
function loadTables(report: Report): string[] {
  const out: string[] = ['', '## Load benchmark', '']
  out.push(
    "Medians over every timed window of every server process. CPU is the server process's user + system time per",
    'request (`process.cpuUsage()`, all threads); ± is half the range of the per-process medians of that CPU time,',
    'relative to the median: the run-to-run noise of that cell. A variant that fails a policy check for a request kind',
    'is flagged and not timed for it.',
    '',
  )
  out.push('| framework | request | variant | req/s | p99 (ms) | CPU (µs/req) | ± (CPU) | check |')
  out.push('|---|---|---|---:|---:|---:|---:|---|')
  const notes: string[] = []
  for (const cell of report.cells) {
    const errors = cell.findings.filter((f) => f.severity === 'error')
    for (const f of cell.findings)
      if (f.severity === 'note')
        notes.push(`${cell.framework}, ${variantName(cell, report.peers)}: ${f.message}`)
    const t = cell.timed
    const check =
      errors.length > 0
        ? cell.variant === 'none'
          ? 'n/a (no CORS)'
          : `FLAGGED: ${errors.map((f) => f.message).join('; ')}`
        : t !== undefined && t.errors > 0
          ? `${t.errors} errors under load`
          : t !== undefined && t.disturbed > 0
            ? t.disturbed === t.total
              ? 'ok, but every window was disturbed'
              : `ok (${t.disturbed} of ${t.total} windows disturbed, left out)`
            : 'ok'
    out.push(
      `| ${cell.framework} | ${kindLabels[cell.kind]} | ${variantName(cell, report.peers)} | ${
        t === undefined ? '—' : fixed(t.requestsPerSecond, 0)
      } | ${t === undefined ? '—' : fixed(t.p99, 2)} | ${t === undefined ? '—' : fixed(t.cpuPerRequest, 2)} | ${
        t === undefined ? '—' : plusMinus(t.cpuSpread)
      } | ${check} |`,
    )
  }
  out.push(...comparedTable(report))
  if (notes.length > 0) {
    out.push('', 'Notes from the checks (deviations a browser does not see; these variants are timed):', '')
    for (const note of notes) out.push(`- ${note}`)
  }
  return out
}

export function markdown(report: Report): string {
  const out: string[] = []
  out.push('## Environment', '')
  for (const [name, value] of report.environment) out.push(`- ${name}: ${value}`)
  // --handshakes-only loads no framework: no load tables then.
  if (report.cells.length > 0) out.push(...loadTables(report))
  if (report.memory.length > 0) {
    out.push('', '## Memory', '')
    out.push(
      'Ours under load (all four request kinds in turn), heap after a forced full GC (`--expose-gc`) once warm and again after the run.',
      '',
    )
    out.push(
      '| framework | run (s) | requests | heap warm (MB) | heap after (MB) | heap growth (MB) | RSS warm (MB) | RSS after (MB) |',
    )
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|')
    for (const m of report.memory) {
      out.push(
        `| ${m.framework} | ${fixed(m.seconds, 0)} | ${m.requests} | ${mb(m.heapWarm)} | ${mb(m.heapAfter)} | ${mb(
          m.heapAfter - m.heapWarm,
        )} | ${mb(m.rssWarm)} | ${mb(m.rssAfter)} |`,
      )
    }
  }
  if (report.handshakes !== undefined) out.push('', report.handshakes.trim())
  if (report.core !== undefined) out.push('', '## Core micro-benchmark', '', report.core.trim())
  return `${out.join('\n')}\n`
}
