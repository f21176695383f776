/**
 * The load part of run.ts: every framework's four variants started side by side, checked, and timed in
 * interleaved rounds, then the memory runs of ours. It keeps what run.ts turns into the report: the
 * samples, the policy findings, the memory results and how many disturbed windows were taken again.
 */
import { type FrameworkName, type Variant, variants } from './frameworks/index.ts'
import { LoadGenerator, type LoadResult, type Tool } from './load.ts'
import { type Finding, type Kind, kinds } from './policy.ts'
import type { MemoryResult } from './report.ts'
import { type ServerOptions, ServerProcess } from './server-process.ts'
import { type Measured, median, rotate, type Sample } from './summary.ts'
import { verify } from './verify.ts'

export interface Mode {
  name: 'full' | 'quick' | 'dry'
  /** Server processes per variant. The four variants of a framework run side by side and take turns. */
  reps: number
  /** Warm-up after a server starts: rounds over the request kinds, this long per kind. */
  warmRounds: number
  warmMs: number
  /** Timed windows per request kind and server process; each is a round over the four variants. */
  windows: number
  windowMs: number
  /** Disturbed windows taken again, at most, over the whole run (bounds the run's length). */
  retries: number
  /** Length of the memory run of ours per framework (0: none). */
  memoryMs: number
  core: 'full' | 'quick' | undefined
  /** Time only the first request kind a variant passes (dry: prove the load path works). */
  oneKind: boolean
}

/** The CPUs the servers and the load generator are pinned to, when they are. */
export interface Pin {
  server: number
  load: number
}

/** What the load rounds need to know from the command line. */
export interface LoadSetup {
  mode: Mode
  tool: Tool
  pin: Pin | undefined
  cpuProfDir: string | undefined
  /** Share of its CPU a server must keep busy in a window to count as undisturbed; undefined: not checked. */
  minBusy: number | undefined
}

export const connections = 32
/** Share of one CPU a saturated server uses during a window; less means another process got in the way. */
export const minServerBusy = 0.9
/** Attempts at one window before the best of them is kept, disturbed or not. */
export const maxAttempts = 3
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
export const log = (message: string): void => void process.stderr.write(`${message}\n`)
export const key = (framework: FrameworkName, variant: Variant, kind: Kind): string =>
  `${framework}/${variant}/${kind}`

/**
 * Starts a server, trying once more after a pause: on a shared machine a colleague's build may be
 * rewriting a package's dist at that moment.
 */
async function start(
  framework: FrameworkName,
  variant: Variant,
  options: ServerOptions,
): Promise<ServerProcess> {
  try {
    return await ServerProcess.start(framework, variant, options)
  } catch (error) {
    log(`${framework} ${variant} did not start (${(error as Error).message}); trying again`)
    await sleep(3000)
    return ServerProcess.start(framework, variant, options)
  }
}

/** One framework's servers in one repetition, and the request kinds each variant is timed on. */
interface Lineup {
  framework: FrameworkName
  rep: number
  /** The variants in this repetition's order. */
  order: Variant[]
  servers: Map<Variant, ServerProcess>
  timed: Map<Variant, Kind[]>
}

/** The progress line of one variant after a repetition: per request kind, its medians. */
function repLine(mode: Mode, lineup: Lineup, variant: Variant, mine: readonly Sample[]): string {
  const { framework, rep, timed } = lineup
  return (
    `[${rep + 1}/${mode.reps}] ${framework} ${variant}: ` +
    timed
      .get(variant)!
      .map((kind) => {
        const of = mine.filter((s) => s.kind === kind)
        const cpu = median(of.map((s) => s.cpuPerRequest)).toFixed(2)
        const rps = (median(of.map((s) => s.requestsPerSecond)) / 1000).toFixed(1)
        const errors = of.reduce((sum, s) => sum + s.errors, 0)
        const disturbed = of.filter((s) => s.disturbed).length
        return (
          `${kind} ${cpu} µs/req ${rps}k req/s` +
          (errors > 0 ? ` ${errors} errors` : '') +
          (disturbed > 0 ? ` (${disturbed} disturbed)` : '')
        )
      })
      .join(', ')
  )
}

/** The load benchmark's state over a whole run: one load generator, and everything measured so far. */
export class LoadBench {
  readonly findings = new Map<string, Finding[]>()
  readonly samples: Sample[] = []
  readonly memory: MemoryResult[] = []
  /** Disturbed windows taken again so far; `mode.retries` bounds it over the whole run. */
  retried = 0
  private readonly setup: LoadSetup
  private readonly generator = new LoadGenerator()

  constructor(setup: LoadSetup) {
    this.setup = setup
  }

  dispose(): void {
    this.generator.dispose()
  }

  private load(port: number, kind: Kind, milliseconds: number): Promise<LoadResult> {
    const { tool, pin } = this.setup
    return this.generator.run({ tool, port, kind, milliseconds, connections, cpu: pin?.load })
  }

  /** The request kinds a variant passed every policy check for, so far: only those are timed. */
  timeable(framework: FrameworkName, variant: Variant): Kind[] {
    return kinds.filter(
      (kind) => !(this.findings.get(key(framework, variant, kind)) ?? []).some((f) => f.severity === 'error'),
    )
  }

  /** Every repetition of every framework, in turn. */
  async loadRounds(frameworks: readonly FrameworkName[]): Promise<void> {
    for (let rep = 0; rep < this.setup.mode.reps; rep++)
      for (const framework of frameworks) await this.oneRep(framework, rep)
  }

  private async oneRep(framework: FrameworkName, rep: number): Promise<void> {
    const { mode } = this.setup
    // All four variants run side by side (idle ones cost nothing) and take turns window by window,
    // so drift on a shared machine hits them alike and every round compares like with like.
    const lineup: Lineup = {
      framework,
      rep,
      order: rotate(variants, rep),
      servers: new Map(),
      timed: new Map(),
    }
    try {
      for (const variant of lineup.order) await this.startChecked(lineup, variant)
      for (let round = 0; round < mode.warmRounds; round++)
        for (const variant of lineup.order)
          for (const kind of lineup.timed.get(variant)!)
            await this.load(lineup.servers.get(variant)!.port, kind, mode.warmMs)
      for (let window = 0; window < mode.windows; window++) await this.timedWindow(lineup, window)
    } finally {
      await Promise.all([...lineup.servers.values()].map((server) => server.stop()))
    }
    for (const variant of lineup.order) {
      const mine = this.samples.filter(
        (s) => s.rep === rep && s.framework === framework && s.variant === variant,
      )
      log(repLine(mode, lineup, variant, mine))
    }
  }

  /** Starts one variant's server, checks it against the policy, and decides which kinds to time on it. */
  private async startChecked(lineup: Lineup, variant: Variant): Promise<void> {
    const { framework, rep } = lineup
    const server = await start(framework, variant, {
      cpu: this.setup.pin?.server,
      cpuProfDir: this.setup.cpuProfDir,
      cpuProfTag: `rep${rep + 1}`,
    })
    lineup.servers.set(variant, server)
    const checked = await verify(server.port, variant !== 'none')
    for (const kind of kinds) {
      const k = key(framework, variant, kind)
      const known = this.findings.get(k) ?? []
      const fresh = checked[kind].filter((f) => !known.some((g) => g.message === f.message))
      this.findings.set(k, [...known, ...fresh])
    }
    const ok = this.timeable(framework, variant)
    lineup.timed.set(variant, this.setup.mode.oneKind ? ok.slice(0, 1) : ok)
    const skipped = kinds.filter((kind) => !ok.includes(kind))
    if (skipped.length > 0 && variant !== 'none' && rep === 0)
      log(`${framework} ${variant}: FLAGGED, not timed for ${skipped.join(', ')}`)
  }

  /** One window per request kind, each a round over the variants timed on that kind. */
  private async timedWindow(lineup: Lineup, window: number): Promise<void> {
    const { framework, rep, order, servers, timed } = lineup
    for (const kind of kinds) {
      const turn = rotate(order, window).filter((variant) => timed.get(variant)!.includes(kind))
      const run = (variant: Variant) =>
        this.measure(servers.get(variant)!, { framework, variant, kind, rep, window })
      // A dry run only proves that every variant can be loaded: all at once, since autocannon
      // takes a second per run whatever the duration.
      if (this.setup.mode.name === 'dry') this.samples.push(...(await Promise.all(turn.map(run))))
      else for (const variant of turn) this.samples.push(await run(variant))
    }
  }

  // One window of load on one server, taken again when another process got in the way (the server did
  // not keep its CPU busy: someone else ran on its CPU, or on the load generator's); the best is kept.
  private async measure(server: ServerProcess, at: Omit<Sample, Measured>): Promise<Sample> {
    const { mode, minBusy } = this.setup
    let best: Sample | undefined
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const before = await server.stats()
      const result = await this.load(server.port, at.kind, mode.windowMs)
      const after = await server.stats()
      const cpu = after.cpuMicros - before.cpuMicros
      const sample: Sample = {
        ...at,
        requests: result.requests,
        requestsPerSecond: result.requestsPerSecond,
        p99: result.p99,
        cpuPerRequest: cpu / Math.max(1, result.requests),
        busy: cpu / 1e6 / result.seconds,
        disturbed: false,
        errors: result.errors,
      }
      if (best === undefined || sample.busy > best.busy) best = sample
      if (minBusy === undefined || sample.busy >= minBusy || this.retried >= mode.retries) break
      this.retried++
      await sleep(250)
    }
    best!.disturbed = minBusy !== undefined && best!.busy < minBusy
    return best!
  }

  /** The memory run of ours for every framework that passed at least one request kind. */
  async memoryRuns(frameworks: readonly FrameworkName[], memoryMs: number): Promise<void> {
    for (const framework of frameworks) {
      const timed = this.timeable(framework, 'ours')
      if (timed.length === 0) continue
      const server = await start(framework, 'ours', { cpu: this.setup.pin?.server, exposeGc: true })
      try {
        await this.memoryRun(framework, server, timed, memoryMs)
      } finally {
        await server.stop()
      }
    }
  }

  // Warm up, then load the server over its timed kinds in turn for memoryMs; the heap and RSS are
  // measured after a full collection, warm and at the end.
  private async memoryRun(
    framework: FrameworkName,
    server: ServerProcess,
    timed: readonly Kind[],
    memoryMs: number,
  ): Promise<void> {
    for (const kind of timed) await this.load(server.port, kind, 5000 / timed.length)
    const warm = await server.stats(true)
    const end = Date.now() + memoryMs
    let requests = 0
    for (let i = 0; end - Date.now() > 250; i++) {
      const result = await this.load(server.port, timed[i % timed.length]!, Math.min(5000, end - Date.now()))
      requests += result.requests
    }
    const after = await server.stats(true)
    this.memory.push({
      framework,
      seconds: memoryMs / 1000,
      requests,
      heapWarm: warm.heapUsed,
      heapAfter: after.heapUsed,
      rssWarm: warm.rss,
      rssAfter: after.rss,
    })
    log(
      `memory ${framework} ours: heap ${(warm.heapUsed / 2 ** 20).toFixed(1)} MB warm, ` +
        `${(after.heapUsed / 2 ** 20).toFixed(1)} MB after ${requests} requests`,
    )
  }
}
