/** Starts server.ts as a child process (pinned to a CPU when asked) and talks to it over IPC. */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { FrameworkName, Variant } from './frameworks/index.ts'
import type { ServerCommand, ServerMessage } from './ipc.ts'
import { pinned } from './load.ts'

export interface ServerStats {
  cpuMicros: number
  heapUsed: number
  rss: number
}

export interface ServerOptions {
  /** CPU to pin the server to (taskset), if any. */
  cpu?: number | undefined
  /** Run with --expose-gc, so `stats(true)` measures the heap after a full collection. */
  exposeGc?: boolean
  /** Write V8 CPU profiles of the process into `<cpuProfDir>/<framework>-<variant>-<cpuProfTag>/`. */
  cpuProfDir?: string | undefined
  cpuProfTag?: string
  /**
   * A command the server runs under, with its arguments (instructions.ts: valgrind's callgrind), and
   * the extra Node flags and start time that needs.
   */
  under?: { command: readonly string[]; nodeFlags: readonly string[]; startSeconds: number }
}

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const entry = fileURLToPath(new URL('./server.ts', import.meta.url))

export class ServerProcess {
  readonly port: number
  readonly #child: ChildProcess

  private constructor(child: ChildProcess, port: number) {
    this.#child = child
    this.port = port
  }

  static start(
    framework: FrameworkName,
    variant: Variant,
    options: ServerOptions = {},
  ): Promise<ServerProcess> {
    return ServerProcess.startEntry(entry, [framework, variant], options)
  }

  /**
   * Starts another server script that speaks the same IPC protocol (`serveOverIpc`), with its arguments
   * (the port, 0, is added): handshakes/server.ts. `args` name the server in errors and profiles.
   */
  static startEntry(
    script: string,
    args: readonly string[],
    options: ServerOptions = {},
  ): Promise<ServerProcess> {
    const label = args.join(' ')
    const node = ['--import', tsx]
    if (options.exposeGc === true) node.push('--expose-gc')
    // One folder per server: each thread (the main one, tsx's loader) writes its own profile there.
    if (options.cpuProfDir !== undefined)
      node.push(
        '--cpu-prof',
        '--cpu-prof-dir',
        join(options.cpuProfDir, `${args.join('-')}-${options.cpuProfTag ?? process.pid}`),
      )
    node.push(...(options.under?.nodeFlags ?? []))
    const [runner = process.execPath, ...before] = [...(options.under?.command ?? []), process.execPath]
    const [command, argv] = pinned(runner, [...before, ...node, script, ...args, '0'], options.cpu)
    const startSeconds = options.under?.startSeconds ?? 30
    const child = spawn(command, argv, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`${label}: the server did not start within ${startSeconds} s`))
      }, startSeconds * 1000)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`${label}: the server exited (${code}) before it listened`))
      })
      child.once('message', (message: ServerMessage) => {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        if (message.type === 'ready') resolve(new ServerProcess(child, message.port))
        else reject(new Error(`${label}: unexpected message ${JSON.stringify(message)}`))
      })
    })
  }

  /** The process id (of the command it runs under, when there is one: valgrind keeps the pid). */
  get pid(): number {
    return this.#child.pid ?? -1
  }

  /** CPU time used so far (user + system, all threads) and the heap, after a full GC when asked. */
  stats(gc = false): Promise<ServerStats> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: ServerMessage): void => {
        if (message.type !== 'stats') return
        this.#child.off('message', onMessage)
        this.#child.off('exit', onExit)
        resolve({ cpuMicros: message.cpuMicros, heapUsed: message.heapUsed, rss: message.rss })
      }
      const onExit = (): void => reject(new Error('the server exited while asked for its stats'))
      this.#child.on('message', onMessage)
      this.#child.once('exit', onExit)
      this.#send({ type: 'stats', gc })
    })
  }

  /** Stops the server: asks it to close, and kills it (by its own pid) if it has not exited in 5 s. */
  stop(): Promise<void> {
    const child = this.#child
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      if (child.connected) this.#send({ type: 'stop' })
      else child.kill('SIGTERM')
    })
  }

  #send(command: ServerCommand): void {
    this.#child.send(command)
  }
}
