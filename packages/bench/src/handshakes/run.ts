/**
 * The WebSocket handshake part of `npm run bench`: the `ws` variants in their own processes (server
 * CPU), the handshake client in another (load CPU), verified first, then interleaved windows as in the
 * HTTP part: every round gives each variant one window per handshake kind, in a rotating order.
 */
import { fileURLToPath } from 'node:url'
import type { Variant } from '../frameworks/types.ts'
import type { Finding, Kind } from '../policy.ts'
import { ServerProcess } from '../server-process.ts'
import { type Measured, median, rotate, type Sample } from '../summary.ts'
import type { HandshakeLoad } from './client.ts'
import { HandshakeLoader } from './loader.ts'
import {
  expectedStatus,
  type HandshakeKind,
  type HandshakeVariant,
  handshakeKinds,
  handshakeVariants,
} from './policy.ts'
import { verifyHandshakes } from './verify.ts'

/** What the HTTP part's mode says about timing (run.ts's `Mode`), which the handshakes follow. */
export interface HandshakeMode {
  reps: number
  warmRounds: number
  warmMs: number
  windows: number
  windowMs: number
  /** Time only the first kind a variant passes (dry: prove the load path works). */
  oneKind: boolean
}

export interface HandshakeRun {
  mode: HandshakeMode
  cpu?: { server: number; load: number } | undefined
  cpuProfDir?: string | undefined
  log: (message: string) => void
}

export interface HandshakeResult {
  samples: Sample<'ws'>[]
  /** Per `variant/kind`: the status the check saw and what was wrong with it. */
  checks: Map<string, { status: number; findings: Finding[] }>
  connections: number
  /** The client's CPU time per handshake in every timed window, µs. */
  clientCpu: number[]
}

/** Handshakes in flight at once, as many as the HTTP part's keep-alive connections. */
export const handshakeConnections = 32
/** The key of a variant and kind in `checks` (the signature `summarize` takes). */
export const handshakeKey = (_: 'ws', variant: Variant, kind: Kind): string => `${variant}/${kind}`
const entry = fileURLToPath(new URL('./server.ts', import.meta.url))

export async function runHandshakes(run: HandshakeRun): Promise<HandshakeResult> {
  const result: HandshakeResult = {
    samples: [],
    checks: new Map(),
    connections: handshakeConnections,
    clientCpu: [],
  }
  const loader = await HandshakeLoader.start(run.cpu?.load)
  try {
    for (let rep = 0; rep < run.mode.reps; rep++) await oneRep(run, rep, loader, result)
  } finally {
    loader.dispose()
  }
  return result
}

// One repetition: fresh server processes for every variant, checked, warmed, then the timed rounds.
async function oneRep(run: HandshakeRun, rep: number, loader: HandshakeLoader, result: HandshakeResult) {
  const { mode } = run
  const order = rotate(handshakeVariants, rep)
  const servers = new Map<HandshakeVariant, ServerProcess>()
  const timed = new Map<HandshakeVariant, HandshakeKind[]>()
  try {
    for (const variant of order) {
      const server = await ServerProcess.startEntry(entry, ['ws', variant], {
        cpu: run.cpu?.server,
        cpuProfDir: run.cpuProfDir,
        cpuProfTag: `rep${rep + 1}`,
      })
      servers.set(variant, server)
      timed.set(variant, await check(run, rep, variant, server.port, result))
    }
    const load = (variant: HandshakeVariant, kind: HandshakeKind, milliseconds: number) =>
      loader.run({
        port: servers.get(variant)!.port,
        kind,
        milliseconds,
        connections: handshakeConnections,
        expected: expectedStatus(variant, kind),
      })
    for (let round = 0; round < mode.warmRounds; round++)
      for (const variant of order)
        for (const kind of timed.get(variant)!) await load(variant, kind, mode.warmMs)
    for (let window = 0; window < mode.windows; window++)
      for (const kind of handshakeKinds)
        for (const variant of rotate(order, window).filter((v) => timed.get(v)!.includes(kind)))
          result.samples.push(
            await measure(
              servers.get(variant)!,
              async () => {
                const measured = await load(variant, kind, mode.windowMs)
                result.clientCpu.push(measured.clientCpu)
                return measured
              },
              {
                framework: 'ws',
                variant,
                kind,
                rep,
                window,
              },
            ),
          )
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()))
  }
  logRep(run, rep, result.samples, timed)
}

// One timed window: the server's CPU time over it, per handshake the client saw answered as expected.
async function measure(
  server: ServerProcess,
  load: () => Promise<HandshakeLoad>,
  at: Omit<Sample<'ws'>, Measured>,
): Promise<Sample<'ws'>> {
  const before = await server.stats()
  const measured = await load()
  const cpu = (await server.stats()).cpuMicros - before.cpuMicros
  return {
    ...at,
    requests: measured.handshakes,
    requestsPerSecond: measured.handshakes / measured.seconds,
    p99: measured.p99,
    cpuPerRequest: cpu / Math.max(1, measured.handshakes),
    busy: cpu / 1e6 / measured.seconds,
    // Not checked: a Node client may not saturate the server, so a quiet server is no sign of a neighbour.
    disturbed: false,
    errors: measured.errors,
  }
}

// The check before timing: the kinds this variant answers as it must (a broken one is never timed).
async function check(
  run: HandshakeRun,
  rep: number,
  variant: HandshakeVariant,
  port: number,
  result: HandshakeResult,
): Promise<HandshakeKind[]> {
  const checked = await verifyHandshakes(port, variant)
  for (const kind of handshakeKinds) {
    const k = handshakeKey('ws', variant, kind)
    const known = result.checks.get(k)
    // A status that changes between repetitions is an error too: keep the first failure seen.
    if (known === undefined || known.findings.length === 0) result.checks.set(k, checked[kind])
  }
  const ok = handshakeKinds.filter(
    (kind) => result.checks.get(handshakeKey('ws', variant, kind))!.findings.length === 0,
  )
  const skipped = handshakeKinds.filter((kind) => !ok.includes(kind))
  if (skipped.length > 0 && rep === 0) run.log(`ws ${variant}: FLAGGED, not timed for ${skipped.join(', ')}`)
  return run.mode.oneKind ? ok.slice(0, 1) : ok
}

function logRep(
  run: HandshakeRun,
  rep: number,
  samples: readonly Sample<'ws'>[],
  timed: ReadonlyMap<HandshakeVariant, HandshakeKind[]>,
): void {
  for (const [variant, kinds] of timed) {
    const mine = samples.filter((s) => s.rep === rep && s.variant === variant)
    const parts = kinds.map((kind) => {
      const of = mine.filter((s) => s.kind === kind)
      const cpu = median(of.map((s) => s.cpuPerRequest)).toFixed(1)
      const rate = (median(of.map((s) => s.requestsPerSecond)) / 1000).toFixed(2)
      const errors = of.reduce((sum, s) => sum + s.errors, 0)
      return `${kind} ${cpu} µs/handshake ${rate}k/s${errors > 0 ? ` ${errors} errors` : ''}`
    })
    run.log(`[handshakes ${rep + 1}/${run.mode.reps}] ws ${variant}: ${parts.join(', ')}`)
  }
}
