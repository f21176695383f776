/** Starts the handshake client process (client-process.ts) once per run and hands it one window at a time. */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { pinned } from '../load.ts'
import type { HandshakeLoad } from './client.ts'
import type { LoadCommand, LoadReply } from './client-process.ts'

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const entry = fileURLToPath(new URL('./client-process.ts', import.meta.url))

export class HandshakeLoader {
  readonly #child: ChildProcess

  private constructor(child: ChildProcess) {
    this.#child = child
  }

  /** The client process, pinned to `cpu` when one is given. */
  static start(cpu: number | undefined): Promise<HandshakeLoader> {
    const [command, args] = pinned(process.execPath, ['--import', tsx, entry], cpu)
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    return new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code) =>
        reject(new Error(`the handshake client exited (${code}) before it was ready`)),
      )
      child.once('message', () => {
        child.removeAllListeners('exit')
        resolve(new HandshakeLoader(child))
      })
    })
  }

  run(command: LoadCommand): Promise<HandshakeLoad> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error('the handshake client exited during a window'))
      this.#child.once('exit', onExit)
      this.#child.once('message', (reply: LoadReply) => {
        this.#child.off('exit', onExit)
        if (reply.type === 'done') resolve(reply.result)
        else
          reject(
            new Error(`the handshake client failed: ${reply.type === 'failed' ? reply.message : reply.type}`),
          )
      })
      this.#child.send(command)
    })
  }

  /** Ends the client process (by its own pid). */
  dispose(): void {
    if (this.#child.exitCode === null) this.#child.kill()
  }
}
