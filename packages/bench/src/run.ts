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
import { about, type FrameworkName, frameworkNames, variants } from './frameworks/index.ts'
import { handshakeBench } from './handshakes/index.ts'
import { hasCommand, pickTool, type Tool } from './load.ts'
import { kinds } from './policy.ts'
import { markdown } from './report.ts'
import {
  connections,
  key,
  LoadBench,
  type LoadSetup,
  log,
  type Mode,
  maxAttempts,
  minServerBusy,
} from './rounds.ts'
import { compare, noise, summarize } from './summary.ts'
import { versionOf } from './versions.ts'

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

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

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

/** What the command line asks for, checked: everything main() needs to run and write up the benchmark. */
interface Settings extends LoadSetup {
  /** The frameworks to load: none with --handshakes-only. */
  frameworks: FrameworkName[]
  handshakesOnly: boolean
  /** Length of the memory run of ours per framework (0: none, as with --no-memory). */
  memoryMs: number
  handshakes: boolean
  /** The core micro-benchmark's mode, when it runs. */
  core: 'full' | 'quick' | undefined
  json: string | undefined
  out: string | undefined
}

/** Reads the options, failing on the first one that makes no sense before anything starts. */
function readOptions(): Settings {
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
  return {
    mode,
    tool,
    // Server on one CPU, load generator on another, when the machine has two and taskset exists.
    pin: os.availableParallelism() >= 2 && hasCommand('taskset') ? { server: 0, load: 1 } : undefined,
    cpuProfDir: values['cpu-prof'],
    // With wrk the server is the bottleneck: undisturbed, it keeps its CPU at least this busy. autocannon
    // may not saturate a fast server, so its windows are not checked; nor are a dry run's, which share CPUs.
    minBusy: tool === 'wrk' && mode.name !== 'dry' ? minServerBusy : undefined,
    frameworks: only ? [] : (selected as FrameworkName[]),
    handshakesOnly: only,
    memoryMs: values['no-memory'] ? 0 : mode.memoryMs,
    handshakes: !values['no-handshakes'],
    core: values['no-core'] || only ? undefined : mode.core,
    json: values.json,
    out: values.out,
  }
}

/** The report's environment rows: the machine, the tools, the mode and how disturbed the run was. */
function environment(settings: Settings, bench: LoadBench, minutes: string): [string, string][] {
  const { mode, tool, pin, minBusy, frameworks: fws } = settings
  const { samples } = bench
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const rows: [string, string][] = [
    [
      'machine',
      `${cpu}, ${os.availableParallelism()} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}`,
    ],
    ['Node', process.version],
    [
      'load',
      `${toolVersion(tool)}, ${connections} connections, one thread` +
        (pin === undefined ? '' : `; server pinned to CPU ${pin.server}, load generator to CPU ${pin.load}`),
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
          `process and taken again (up to ${maxAttempts} attempts and ${mode.retries} retries in all, the best kept): ${bench.retried} retried, ` +
          `${samples.filter((s) => s.disturbed).length} of ${samples.length} still disturbed`,
    ],
    [
      'packages',
      [...new Set(fws.flatMap((f) => [...about[f].runsOn, about[f].peerPackage]))]
        .map((name) => `${name} ${versionOf(name)}`)
        .join(', '),
    ],
  ]
  // With --handshakes-only nothing was loaded here: only the rows about the machine still apply (the
  // handshake section has its own).
  return rows.filter(([name]) => !settings.handshakesOnly || name === 'machine' || name === 'Node')
}

async function main(): Promise<void> {
  const settings = readOptions()
  const { mode, tool, pin, frameworks: fws } = settings
  const started = Date.now()
  log(
    `${mode.name} mode: ${fws.join(', ') || 'handshakes only'}; ${mode.reps} repetition(s); load by ${tool}` +
      (pin === undefined ? ', not pinned' : `, server on CPU ${pin.server}, load on CPU ${pin.load}`),
  )
  const bench = new LoadBench(settings)
  try {
    await bench.loadRounds(fws)
    if (settings.memoryMs > 0) await bench.memoryRuns(fws, settings.memoryMs)
  } finally {
    bench.dispose()
  }

  const handshakes = settings.handshakes
    ? await handshakeBench({ mode, cpu: pin, cpuProfDir: settings.cpuProfDir, log })
    : undefined
  const core = settings.core === undefined ? undefined : await coreBench(settings.core, pin?.server)
  const { samples, memory } = bench
  const cells = summarize(samples, bench.findings, key, fws, variants, kinds)
  const minutes = ((Date.now() - started) / 60_000).toFixed(1)
  const report = markdown({
    environment: environment(settings, bench, minutes),
    peers: Object.fromEntries(fws.map((f) => [f, about[f].peer])),
    cells,
    comparisons: compare(samples, fws, kinds),
    noise: noise(cells),
    memory,
    handshakes: handshakes?.section,
    core,
  })
  if (settings.json !== undefined)
    writeFileSync(
      settings.json,
      `${JSON.stringify({ samples, cells, memory, handshakes: handshakes?.result.samples }, null, 2)}\n`,
    )
  if (settings.out !== undefined) writeFileSync(settings.out, report)
  process.stdout.write(report)
  log(`done in ${minutes} min`)
}

await main()
