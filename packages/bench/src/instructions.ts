/**
 * Instructions per request, counted rather than timed: each variant's server (the same server.ts and
 * framework modules as the load benchmark) runs under valgrind's callgrind with counting off, takes a
 * warm-up load over loopback until V8 has compiled its hot code, switches counting on, lets valgrind
 * re-instrument over 1,000 more requests, zeroes the counters, then counts the instructions of a
 * fixed number of requests. Unlike CPU time, the count does not move with the load on the machine,
 * but it is not exact either: repeated runs of one cell differ by a few percent (garbage collection
 * and timers fall differently), so compare cells counted in one sitting and repeat before trusting a
 * difference under 5%. It is not a speed: a syscall or a cache miss counts as little as an add. Read
 * it beside the load benchmark.
 *
 *   tsx src/instructions.ts [--frameworks express] [--kinds allowed,...] [--variants ours,peer,...]
 *                           [--warmup 15000] [--requests 3000] [--connections 1] [--parallel 2]
 *
 * Needs valgrind (Debian: apt-get install valgrind). About 90 s per variant and request kind.
 */

import { execFileSync } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type FrameworkName,
  frameworkNames,
  type Variant,
  variantLabels,
  variants,
} from './frameworks/index.ts'
import { hasCommand } from './load.ts'
import { type Kind, kindLabels, kinds, path, requests } from './policy.ts'
import { ServerProcess } from './server-process.ts'

/** One counted cell: instructions per request of one variant for one request kind. */
export interface Counted {
  readonly framework: FrameworkName
  readonly kind: Kind
  readonly variant: Variant
  readonly perRequest: number
}

// Sends `count` requests of one kind over `connections` keep-alive connections. One (the default) makes
// every request one turn of the server's event loop, whatever the client's speed on a busy machine:
// with many, how many requests a turn takes (and so the instructions of a request) moves with it.
async function load(port: number, kind: Kind, count: number, connections: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  let left = count
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const { method, headers } = requests[kind]
      const req = request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
        res.resume()
        res.on('end', resolve)
      })
      req.on('error', reject)
      req.end()
    })
  const worker = async () => {
    while (left-- > 0) await one()
  }
  await Promise.all(Array.from({ length: connections }, worker))
  agent.destroy()
}

/**
 * The instructions counted since the counters were last zeroed, from `callgrind_control -e Ir`
 * ("Totals: Ir" then one "Th N  1,234" line per thread): the sum over threads.
 */
export function callgrindCurrent(output: string): number {
  const threads = [...output.matchAll(/^\s*Th \d+\s+([\d,]+)\s*$/gm)]
  if (threads.length === 0) throw new Error(`no "Th" counter line in callgrind_control's output: ${output}`)
  return threads.reduce((sum, match) => sum + Number(match[1]!.replaceAll(',', '')), 0)
}

// Switching counting on makes valgrind re-instrument the code it runs next: hundreds of millions of
// instructions, once, that belong to no request. These requests run after it, before the counters
// are zeroed.
const settle = 1000

async function count(
  framework: FrameworkName,
  variant: Variant,
  kind: Kind,
  sizes: { warmup: number; requests: number; connections: number },
): Promise<Counted> {
  const out = join(tmpdir(), `cors-bench-callgrind-${process.pid}-${framework}-${variant}-${kind}`)
  const log = `${out}.log`
  const server = await ServerProcess.start(framework, variant, {
    under: {
      command: [
        'valgrind',
        '--tool=callgrind',
        '--smc-check=all',
        '--instr-atstart=no',
        `--callgrind-out-file=${out}`,
        `--log-file=${log}`,
      ],
      // Compilation and garbage collection on the main thread, and fixed hash and random seeds (V8
      // draws new ones per process, and hash tables then grow and probe differently), so that repeated
      // runs count alike: seeded, two runs of a cell came 0.2% (Fastify) and 2.3% (Express) apart,
      // unseeded 3% and 7%.
      nodeFlags: ['--single-threaded', '--hash-seed=1', '--random-seed=1'],
      startSeconds: 600,
    },
  })
  const control = (...args: string[]) =>
    execFileSync('callgrind_control', [...args, String(server.pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'], // its "sending command ..." lines
    })
  let total: number
  try {
    await load(server.port, kind, sizes.warmup, sizes.connections)
    control('--instr=on')
    await load(server.port, kind, settle, sizes.connections)
    control('--zero')
    await load(server.port, kind, sizes.requests, sizes.connections)
    total = callgrindCurrent(control('-e', 'Ir'))
    control('--instr=off')
  } finally {
    await server.stop()
  }
  await Promise.all([rm(out, { force: true }), rm(log, { force: true })])
  return { framework, kind, variant, perRequest: Math.round(total / sizes.requests) }
}

/** The report: one row per framework and request kind, the variants side by side, ours compared. */
export function instructionsTable(cells: readonly Counted[]): string {
  const rows = [
    `| framework | request | ${variants.map((v) => variantLabels[v]).join(' | ')} | ours ÷ hand-written | ours ÷ peer |`,
    `|---|---|${variants.map(() => '---:|').join('')}---:|---:|`,
  ]
  const keys = [...new Set(cells.map((c) => `${c.framework}\u0000${c.kind}`))]
  for (const key of keys) {
    const [framework, kind] = key.split('\u0000') as [FrameworkName, Kind]
    const of = (variant: Variant) =>
      cells.find((c) => c.framework === framework && c.kind === kind && c.variant === variant)?.perRequest
    const ratio = (other: Variant) => {
      const [ours, them] = [of('ours'), of(other)]
      return ours === undefined || them === undefined ? '—' : (ours / them).toFixed(3)
    }
    const counts = variants.map((v) => of(v)?.toLocaleString('en-US') ?? '—')
    rows.push(
      `| ${framework} | ${kindLabels[kind]} | ${counts.join(' | ')} | ${ratio('hand-written')} | ${ratio('peer')} |`,
    )
  }
  return rows.join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      frameworks: { type: 'string', default: 'express' },
      kinds: { type: 'string', default: kinds.join(',') },
      variants: { type: 'string', default: variants.join(',') },
      warmup: { type: 'string', default: '15000' },
      requests: { type: 'string', default: '3000' },
      parallel: { type: 'string', default: '2' },
      connections: { type: 'string', default: '1' },
    },
  })
  if (!hasCommand('valgrind')) throw new Error('valgrind is not installed (Debian: apt-get install valgrind)')
  const chosen = values.frameworks.split(',') as FrameworkName[]
  const unknown = chosen.filter((name) => !frameworkNames.includes(name))
  if (unknown.length > 0) throw new Error(`unknown framework(s): ${unknown.join(', ')}`)
  const chosenKinds = values.kinds.split(',') as Kind[]
  const chosenVariants = values.variants.split(',') as Variant[]
  const wrong = [
    ...chosenKinds.filter((kind) => !kinds.includes(kind)),
    ...chosenVariants.filter((variant) => !variants.includes(variant)),
  ]
  if (wrong.length > 0) {
    throw new Error(
      `unknown kind(s) or variant(s): ${wrong.join(', ')} (kinds: ${kinds}; variants: ${variants})`,
    )
  }
  const sizes = {
    warmup: Number(values.warmup),
    requests: Number(values.requests),
    connections: Number(values.connections),
  }
  // "No CORS" has no preflight to answer: that cell would count a 404.
  const jobs = chosen.flatMap((framework) =>
    chosenKinds.flatMap((kind) =>
      chosenVariants
        .filter((variant) => !(variant === 'none' && kind === 'preflight'))
        .map((variant) => () => count(framework, variant, kind, sizes)),
    ),
  )
  const cells: Counted[] = []
  const next = async (): Promise<void> => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
      const cell = await job()
      console.error(`${cell.framework} ${cell.kind} ${cell.variant}: ${cell.perRequest} instructions/request`)
      cells.push(cell)
    }
  }
  await Promise.all(Array.from({ length: Number(values.parallel) }, next))
  console.log(
    `Instructions per request (callgrind; ${sizes.warmup} warm-up requests uncounted, then ${sizes.requests} counted, over ${sizes.connections} connection(s))\n`,
  )
  console.log(instructionsTable(cells))
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
