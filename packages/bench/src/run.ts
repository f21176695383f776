/**
 * Load benchmark of every adapter next to no CORS, a hand-written minimum and the framework's own
 * CORS plugin, then WebSocket handshakes through @cors/websocket next to no check and a hand-written
 * minimum, followed by the core micro-benchmark. Prints a markdown report on stdout, progress
 * on stderr.
 *
 *   tsx src/run.ts            full: 5 server processes per variant, 1-minute memory runs (about 12 minutes)
 *   tsx src/run.ts --quick    smoke check: 1 short round, no memory runs (under a minute)
 *   tsx src/run.ts --dry      checks every variant and loads each one briefly; no core benchmark
 *
 * Method and results: BENCHMARKS.md at the repository root.
 *
 * Options: --load wrk|autocannon|auto, --frameworks fastify,koa,..., --cpu-prof <dir> (a V8 profile
 * of every server), --json <file> (raw samples), --out <file> (the report), --no-core, --no-memory,
 * --reps <n> (server processes per variant), --windows <n> (timed windows per kind and process),
 * --no-handshakes (skip the WebSocket handshakes, handshakes/), --handshakes-only (nothing else).
 */
import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { about, type FrameworkName, frameworkNames, type Variant, variants } from './frameworks/index.ts'
import { handshakeBench } from './handshakes/index.ts'
import { hasCommand, LoadGenerator, type LoadResult, pickTool, type Tool } from './load.ts'
import { type Finding, type Kind, kinds } from './policy.ts'
import { type MemoryResult, markdown } from './report.ts'
import { type ServerOptions, ServerProcess } from './server-process.ts'
import { compare, type Measured, median, noise, rotate, type Sample, summarize } from './summary.ts'
import { verify } from './verify.ts'
import { versionOf } from './versions.ts'

interface Mode {
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

const modes: Record<Mode['name'], Mode> = {
  full: {
    name: 'full',
    reps: 5,
    warmRounds: 1,
    warmMs: 400,
    windows: 2,
    windowMs: 400,
    retries: 100,
    memoryMs: 60_000,
    core: 'full',
    oneKind: false,
  },
  quick: {
    name: 'quick',
    reps: 1,
    warmRounds: 1,
    warmMs: 100,
    windows: 1,
    windowMs: 250,
    retries: 10,
    memoryMs: 0,
    core: 'quick',
    oneKind: false,
  },
  dry: {
    name: 'dry',
    reps: 1,
    warmRounds: 0,
    warmMs: 0,
    windows: 1,
    windowMs: 150,
    retries: 0,
    memoryMs: 0,
    core: undefined,
    oneKind: true,
  },
}

const connections = 32
/** Share of one CPU a saturated server uses during a window; less means another process got in the way. */
const minServerBusy = 0.9
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const log = (message: string): void => void process.stderr.write(`${message}\n`)
const key = (framework: FrameworkName, variant: Variant, kind: Kind): string =>
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

function toolVersion(tool: Tool): string {
  if (tool === 'autocannon') return `autocannon ${versionOf('autocannon')}`
  const out = spawnSync('wrk', ['-v'], { encoding: 'utf8' })
  return (`${out.stdout}${out.stderr}`.split('\n')[0] ?? 'wrk').replace(/\s*Copyright.*$/, '').trim()
}

// --reps and --windows: more server processes or more timed windows each, for a noisy machine (the
// paired ratios' quartiles narrow as the rounds add up).
function withCounts(mode: Mode, values: { reps?: string | undefined; windows?: string | undefined }): Mode {
  const count = (name: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name} takes a whole number of 1 or more, not ${value}`)
    return n
  }
  return {
    ...mode,
    reps: count('reps', values.reps, mode.reps),
    windows: count('windows', values.windows, mode.windows),
  }
}

/** The core micro-benchmark, through its own npm script, pinned like the servers; its table verbatim. */
function coreBench(mode: 'full' | 'quick', cpu: number | undefined): Promise<string> {
  const npm = ['npm', 'run', 'bench', '--silent', '--workspace', '@cors/core', '--']
  if (mode === 'quick') npm.push('--quick')
  const [command, ...args] = cpu === undefined ? npm : ['taskset', '-c', String(cpu), ...npm]
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk))
    child.once('error', reject)
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`the core micro-benchmark exited ${code}`)),
    )
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      dry: { type: 'boolean', default: false },
      load: { type: 'string', default: 'auto' },
      frameworks: { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
      out: { type: 'string' },
      'no-core': { type: 'boolean', default: false },
      'no-memory': { type: 'boolean', default: false },
      reps: { type: 'string' },
      windows: { type: 'string' },
      'no-handshakes': { type: 'boolean', default: false },
      'handshakes-only': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const mode = withCounts(modes[values.dry ? 'dry' : values.quick ? 'quick' : 'full'], values)
  if (!['wrk', 'autocannon', 'auto'].includes(values.load))
    throw new Error(`--load must be wrk, autocannon or auto, not ${values.load}`)
  const tool = pickTool(values.load as Tool | 'auto')
  if (tool === 'wrk' && !hasCommand('wrk'))
    throw new Error('wrk is not installed (apt-get install wrk), try --load autocannon')
  const selected = values.frameworks === undefined ? frameworkNames : values.frameworks.split(',')
  for (const name of selected)
    if (!frameworkNames.includes(name as FrameworkName))
      throw new Error(`unknown framework ${name}: pick from ${frameworkNames.join(', ')}`)
  // --handshakes-only: no framework is loaded, and the report has only the handshake section.
  const only = values['handshakes-only']
  const fws = only ? [] : (selected as FrameworkName[])
  // Server on one CPU, load generator on another, when the machine has two and taskset exists.
  const pin = os.availableParallelism() >= 2 && hasCommand('taskset') ? { server: 0, load: 1 } : undefined
  const memoryMs = values['no-memory'] ? 0 : mode.memoryMs
  const started = Date.now()
  log(
    `${mode.name} mode: ${fws.join(', ') || 'handshakes only'}; ${mode.reps} repetition(s); load by ${tool}` +
      (pin === undefined ? ', not pinned' : `, server on CPU ${pin.server}, load on CPU ${pin.load}`),
  )

  // With wrk the server is the bottleneck: undisturbed, it keeps its CPU at least this busy. autocannon
  // may not saturate a fast server, so its windows are not checked; nor are a dry run's, which share CPUs.
  const minBusy = tool === 'wrk' && mode.name !== 'dry' ? minServerBusy : undefined
  const maxAttempts = 3
  let retried = 0
  const findings = new Map<string, Finding[]>()
  const samples: Sample[] = []
  const memory: MemoryResult[] = []
  const generator = new LoadGenerator()
  const load = (port: number, kind: Kind, milliseconds: number): Promise<LoadResult> =>
    generator.run({ tool, port, kind, milliseconds, connections, cpu: pin?.load })
  const timeable = (framework: FrameworkName, variant: Variant): Kind[] =>
    kinds.filter(
      (kind) => !(findings.get(key(framework, variant, kind)) ?? []).some((f) => f.severity === 'error'),
    )

  // One window of load on one server, taken again when another process got in the way (the server did
  // not keep its CPU busy: someone else ran on its CPU, or on the load generator's); the best is kept.
  async function measure(server: ServerProcess, at: Omit<Sample, Measured>): Promise<Sample> {
    let best: Sample | undefined
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const before = await server.stats()
      const result = await load(server.port, at.kind, mode.windowMs)
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
      if (minBusy === undefined || sample.busy >= minBusy || retried >= mode.retries) break
      retried++
      await sleep(250)
    }
    best!.disturbed = minBusy !== undefined && best!.busy < minBusy
    return best!
  }

  try {
    for (let rep = 0; rep < mode.reps; rep++) {
      for (const framework of fws) {
        // All four variants run side by side (idle ones cost nothing) and take turns window by window,
        // so drift on a shared machine hits them alike and every round compares like with like.
        const order = rotate(variants, rep)
        const servers = new Map<Variant, ServerProcess>()
        const timed = new Map<Variant, Kind[]>()
        try {
          for (const variant of order) {
            const server = await start(framework, variant, {
              cpu: pin?.server,
              cpuProfDir: values['cpu-prof'],
              cpuProfTag: `rep${rep + 1}`,
            })
            servers.set(variant, server)
            const checked = await verify(server.port, variant !== 'none')
            for (const kind of kinds) {
              const k = key(framework, variant, kind)
              const known = findings.get(k) ?? []
              const fresh = checked[kind].filter((f) => !known.some((g) => g.message === f.message))
              findings.set(k, [...known, ...fresh])
            }
            const ok = timeable(framework, variant)
            timed.set(variant, mode.oneKind ? ok.slice(0, 1) : ok)
            const skipped = kinds.filter((kind) => !ok.includes(kind))
            if (skipped.length > 0 && variant !== 'none' && rep === 0)
              log(`${framework} ${variant}: FLAGGED, not timed for ${skipped.join(', ')}`)
          }
          for (let round = 0; round < mode.warmRounds; round++)
            for (const variant of order)
              for (const kind of timed.get(variant)!)
                await load(servers.get(variant)!.port, kind, mode.warmMs)
          for (let window = 0; window < mode.windows; window++) {
            for (const kind of kinds) {
              const turn = rotate(order, window).filter((variant) => timed.get(variant)!.includes(kind))
              const run = (variant: Variant) =>
                measure(servers.get(variant)!, { framework, variant, kind, rep, window })
              // A dry run only proves that every variant can be loaded: all at once, since autocannon
              // takes a second per run whatever the duration.
              if (mode.name === 'dry') samples.push(...(await Promise.all(turn.map(run))))
              else for (const variant of turn) samples.push(await run(variant))
            }
          }
        } finally {
          await Promise.all([...servers.values()].map((server) => server.stop()))
        }
        for (const variant of order) {
          const mine = samples.filter(
            (s) => s.rep === rep && s.framework === framework && s.variant === variant,
          )
          log(
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
                .join(', '),
          )
        }
      }
    }

    if (memoryMs > 0) {
      for (const framework of fws) {
        const timed = timeable(framework, 'ours')
        if (timed.length === 0) continue
        const server = await start(framework, 'ours', { cpu: pin?.server, exposeGc: true })
        try {
          for (const kind of timed) await load(server.port, kind, 5000 / timed.length)
          const warm = await server.stats(true)
          const end = Date.now() + memoryMs
          let requests = 0
          for (let i = 0; end - Date.now() > 250; i++) {
            const result = await load(server.port, timed[i % timed.length]!, Math.min(5000, end - Date.now()))
            requests += result.requests
          }
          const after = await server.stats(true)
          memory.push({
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
        } finally {
          await server.stop()
        }
      }
    }
  } finally {
    generator.dispose()
  }

  const handshakes = values['no-handshakes']
    ? undefined
    : await handshakeBench({ mode, cpu: pin, cpuProfDir: values['cpu-prof'], log })
  const core =
    mode.core !== undefined && !values['no-core'] && !only
      ? await coreBench(mode.core, pin?.server)
      : undefined
  const cells = summarize(samples, findings, key, fws, variants, kinds)
  const measured = noise(cells)
  const minutes = ((Date.now() - started) / 60_000).toFixed(1)
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const report = markdown({
    environment: [
      [
        'machine',
        `${cpu}, ${os.availableParallelism()} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}`,
      ],
      ['Node', process.version],
      [
        'load',
        `${toolVersion(tool)}, ${connections} connections, one thread` +
          (pin === undefined
            ? ''
            : `; server pinned to CPU ${pin.server}, load generator to CPU ${pin.load}`),
      ],
      [
        'mode',
        `${mode.name}: ${mode.reps} server process(es) per variant; the four variants of a framework run side by ` +
          `side and take turns: ${mode.warmRounds} warm-up round(s) of ${mode.warmMs} ms per request kind, then ` +
          `${mode.windows} round(s) of one ${mode.windowMs} ms window per request kind and variant; took ${minutes} min`,
      ],
      [
        'disturbance',
        minBusy === undefined
          ? 'not checked (the load generator may not saturate the server)'
          : `a window in which the server used less than ${minServerBusy * 100}% of its CPU was disturbed by another ` +
            `process and taken again (up to ${maxAttempts} attempts and ${mode.retries} retries in all, the best kept): ${retried} retried, ` +
            `${samples.filter((s) => s.disturbed).length} of ${samples.length} still disturbed`,
      ],
      [
        'packages',
        [...new Set(fws.flatMap((f) => [...about[f].runsOn, about[f].peerPackage]))]
          .map((name) => `${name} ${versionOf(name)}`)
          .join(', '),
      ],
    ].filter(([name]) => !only || name === 'machine' || name === 'Node') as [string, string][],
    peers: Object.fromEntries(fws.map((f) => [f, about[f].peer])),
    cells,
    comparisons: compare(samples, fws, kinds),
    noise: measured,
    memory,
    handshakes: handshakes?.section,
    core,
  })
  if (values.json !== undefined)
    writeFileSync(
      values.json,
      `${JSON.stringify({ samples, cells, memory, handshakes: handshakes?.result.samples }, null, 2)}\n`,
    )
  if (values.out !== undefined) writeFileSync(values.out, report)
  process.stdout.write(report)
  log(`done in ${minutes} min`)
}

await main()
