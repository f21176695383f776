/**
 * The IPC protocol between the orchestrator and a server process, and the server's side of it: shared
 * by server.ts (one framework's variant) and handshakes/server.ts (one `ws` variant).
 */
import type { Listening } from './frameworks/types.ts'

/** Messages from the orchestrator. */
export type ServerCommand = { type: 'stats'; gc?: boolean } | { type: 'stop' }
/** Messages to the orchestrator. */
export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'stats'; cpuMicros: number; heapUsed: number; rss: number }

/**
 * Tells the orchestrator the server is listening, then answers its requests for CPU time and heap and
 * its order to stop. Without an orchestrator (started by hand), prints where the server listens.
 */
export function serveOverIpc(server: Listening, label: string): void {
  const send = (message: ServerMessage): void => void process.send?.(message)
  const gc = (globalThis as { gc?: () => void }).gc
  send({ type: 'ready', port: server.port })
  if (process.send === undefined) console.log(`${label} on 127.0.0.1:${server.port}`)

  process.on('message', async (command: ServerCommand) => {
    if (command.type === 'stats') {
      if (command.gc === true && gc !== undefined) gc()
      const cpu = process.cpuUsage()
      const memory = process.memoryUsage()
      send({ type: 'stats', cpuMicros: cpu.user + cpu.system, heapUsed: memory.heapUsed, rss: memory.rss })
    } else if (command.type === 'stop') {
      setTimeout(() => process.exit(0), 2000).unref() // a connection that will not close cannot keep it up
      await server.close()
      process.exit(0)
    }
  })
  // The orchestrator went away (crashed or killed): do not outlive it.
  process.on('disconnect', () => process.exit(0))
}
