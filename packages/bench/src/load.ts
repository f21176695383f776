/**
 * Load generators, each run as its own process on loopback and bounded in time: wrk (C, one
 * thread, preferred: it needs far less CPU than the server it loads) or autocannon (Node).
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Kind, kinds, path, requests } from './policy.ts'

export type Tool = 'wrk' | 'autocannon'

export interface LoadResult {
  requests: number
  seconds: number
  requestsPerSecond: number
  /** 99th percentile latency, milliseconds. */
  p99: number
  /** Socket errors, timeouts and responses outside 2xx/3xx. */
  errors: number
}

const require = createRequire(import.meta.url)

/** Whether a command exists on PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/** wrk when installed, else autocannon (always there: a dependency of this package). */
export function pickTool(wanted: Tool | 'auto'): Tool {
  if (wanted !== 'auto') return wanted
  return hasCommand('wrk') ? 'wrk' : 'autocannon'
}

// wrk takes its method and headers from a Lua script; `done` prints the summary as one JSON line.
function wrkScript(kind: Kind): string {
  const { method, headers } = requests[kind]
  const lines = [`wrk.method = ${JSON.stringify(method)}`]
  for (const [name, value] of Object.entries(headers))
    lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`)
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'\\nRESULT {"requests":%d,"micros":%d,"p99":%d,"errors":%d}\\n\',',
    '    summary.requests, summary.duration, latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))',
    'end',
  )
  return `${lines.join('\n')}\n`
}

export interface LoadOptions {
  tool: Tool
  port: number
  kind: Kind
  milliseconds: number
  connections: number
  /** CPU to pin the load generator to (taskset), if any. */
  cpu: number | undefined
}

/** A load generator with its Lua scripts written once to a temporary folder; call `dispose` at the end. */
export class LoadGenerator {
  readonly #dir = mkdtempSync(join(tmpdir(), 'cors-bench-'))
  readonly #scripts = new Map<Kind, string>()

  constructor() {
    for (const kind of kinds) {
      const file = join(this.#dir, `${kind}.lua`)
      writeFileSync(file, wrkScript(kind))
      this.#scripts.set(kind, file)
    }
  }

  dispose(): void {
    rmSync(this.#dir, { recursive: true, force: true })
  }

  /** Loads for `milliseconds` (at least 100: wrk must be up before it is interrupted). */
  run(options: LoadOptions): Promise<LoadResult> {
    if (options.milliseconds < 100) options = { ...options, milliseconds: 100 }
    return options.tool === 'wrk' ? this.#wrk(options) : autocannon(options)
  }

  // wrk counts whole seconds: it gets a bound one second past the wanted time, then SIGINT at that
  // time, which makes it stop and report what it measured (its own elapsed time included).
  #wrk(options: LoadOptions): Promise<LoadResult> {
    const seconds = Math.ceil(options.milliseconds / 1000) + 1
    const args = [
      '-t1',
      `-c${options.connections}`,
      `-d${seconds}s`,
      '--latency',
      '-s',
      this.#scripts.get(options.kind)!,
    ]
    args.push(`http://127.0.0.1:${options.port}${path}`)
    return collect(pinned('wrk', args, options.cpu), options.milliseconds, (out) => {
      const line = /RESULT (\{.*\})/.exec(out)
      if (line === null) throw new Error(`wrk printed no result:\n${out}`)
      const r = JSON.parse(line[1]!) as { requests: number; micros: number; p99: number; errors: number }
      const secondsRun = r.micros / 1e6
      return {
        requests: r.requests,
        seconds: secondsRun,
        requestsPerSecond: r.requests / secondsRun,
        p99: r.p99 / 1000,
        errors: r.errors,
      }
    })
  }
}

function autocannon(options: LoadOptions): Promise<LoadResult> {
  const { method, headers } = requests[options.kind]
  const args = [require.resolve('autocannon'), '-j', '-n', '-c', String(options.connections)]
  args.push('-d', String(options.milliseconds / 1000), '-m', method)
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`)
  args.push(`http://127.0.0.1:${options.port}${path}`)
  return collect(pinned(process.execPath, args, options.cpu), undefined, (out) => {
    const r = JSON.parse(out.slice(out.indexOf('{'))) as {
      requests: { total: number }
      duration: number
      latency: { p99: number }
      errors: number
      timeouts: number
      non2xx: number
    }
    return {
      requests: r.requests.total,
      seconds: r.duration,
      requestsPerSecond: r.requests.total / r.duration,
      p99: r.latency.p99,
      errors: r.errors + r.timeouts + r.non2xx,
    }
  })
}

/** The command, run under `taskset -c <cpu>` when a CPU is given. */
export function pinned(command: string, args: string[], cpu: number | undefined): [string, string[]] {
  return cpu === undefined ? [command, args] : ['taskset', ['-c', String(cpu), command, ...args]]
}

function collect(
  [command, args]: [string, string[]],
  interruptAfter: number | undefined,
  parse: (stdout: string) => LoadResult,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk))
    const timer =
      interruptAfter === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), interruptAfter)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code !== 0 && signal === null && !out.includes('RESULT')) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err || out}`))
        return
      }
      try {
        resolve(parse(out))
      } catch (error) {
        reject(error)
      }
    })
  })
}
