/** The handshake section of the report: the table of every variant and kind, then ours compared. */
import type { Finding } from '../policy.ts'
import { fixed, pairedNoise, plusMinus, ratio } from '../report.ts'
import { type Cell, compare, median, noise, summarize } from '../summary.ts'
import { type HandshakeKind, handshakeKinds, handshakeLabels, handshakeVariants } from './policy.ts'
import { type HandshakeResult, handshakeKey } from './run.ts'

const variantNames = { none: 'no origin check', 'hand-written': 'hand-written', ours: 'ours' } as const

function row(cell: Cell<'ws'>, result: HandshakeResult): string {
  const t = cell.timed
  const status = result.checks.get(handshakeKey('ws', cell.variant, cell.kind))?.status
  const busy = median(
    result.samples.filter((s) => s.variant === cell.variant && s.kind === cell.kind).map((s) => s.busy),
  )
  const errors = cell.findings.filter((f: Finding) => f.severity === 'error')
  const check =
    errors.length > 0
      ? `FLAGGED: ${errors.map((f) => f.message).join('; ')}`
      : t !== undefined && t.errors > 0
        ? `${t.errors} errors under load`
        : 'ok'
  const cells =
    t === undefined
      ? ['—', '—', '—', '—', '—']
      : [
          fixed(t.requestsPerSecond, 0),
          fixed(t.p99, 2),
          fixed(t.cpuPerRequest, 1),
          plusMinus(t.cpuSpread),
          `${fixed(busy * 100, 0)}%`,
        ]
  const name = variantNames[cell.variant as keyof typeof variantNames]
  return `| ${handshakeLabels[cell.kind as HandshakeKind]} | ${name} | ${status ?? '—'} | ${cells.join(' | ')} | ${check} |`
}

/**
 * The markdown section. `environment`: the lines that say what ran (ws version, the client, the mode);
 * the machine and Node are in the report's own environment section.
 */
export function handshakeMarkdown(result: HandshakeResult, environment: readonly [string, string][]): string {
  const findings = new Map<string, Finding[]>([...result.checks].map(([key, check]) => [key, check.findings]))
  const cells = summarize<'ws'>(
    result.samples,
    findings,
    handshakeKey,
    ['ws'],
    handshakeVariants,
    handshakeKinds,
  )
  const comparisons = compare<'ws'>(result.samples, ['ws'], handshakeKinds)
  const measured = noise(cells)
  const out = ['## WebSocket handshakes (@cors/websocket)', '']
  for (const [name, value] of environment) out.push(`- ${name}: ${value}`)
  out.push(
    '',
    'Whole handshakes (connect, upgrade request, the status line read, socket destroyed) to a `ws` WebSocketServer on a',
    "`node:http` server. CPU is the server process's user + system time per handshake answered as checked; ± is half the",
    'range of the per-process medians, relative to the median; server busy is its CPU time over the window (below 100%:',
    'the client, not the server, set the pace). Peer: no CORS/origin plugin for `ws` exists, so there is none (—).',
    '',
    '| handshake | variant | answers | handshakes/s | p99 (ms) | CPU (µs/handshake) | ± (CPU) | server busy | check |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  )
  for (const kind of handshakeKinds) {
    for (const cell of cells.filter((c) => c.kind === kind)) {
      out.push(row(cell, result))
      if (cell.variant === 'hand-written')
        out.push(`| ${handshakeLabels[kind]} | peer | — | — | — | — | — | — | none exists for ws |`)
    }
  }
  out.push(
    '',
    'Ours ÷ hand-written, paired round by round, median (quartiles); for CPU below 1 is better. Ours ÷ peer: — (no peer).',
    '',
    '| handshake | handshakes/s ours÷hand-written | CPU ours÷hand-written | vs hand-written (≤ 1.03) |',
    '|---|---:|---:|---|',
  )
  for (const c of comparisons)
    out.push(
      `| ${handshakeLabels[c.kind as HandshakeKind]} | ${ratio(c.rpsVsHand)} | ${ratio(c.cpuVsHand)} | ${c.handVerdict} |`,
    )
  out.push(
    '',
    `Run-to-run noise: CPU per handshake median ${plusMinus(measured.cpu)}, largest ${plusMinus(measured.cpuMax)}; ` +
      `paired CPU ratios (half the interquartile range): median ${plusMinus(pairedNoise(comparisons))}.`,
  )
  return `${out.join('\n')}\n`
}
