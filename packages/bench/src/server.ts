/**
 * One variant of one framework in its own process, listening on 127.0.0.1:
 *   tsx src/server.ts <framework> <variant> [port]
 * Started by run.ts with an IPC channel, which is also how it reports its CPU time and heap: the load
 * generator only ever sees the application's routes.
 */
import {
  type FrameworkName,
  frameworkNames,
  loadFramework,
  type Variant,
  variants,
} from './frameworks/index.ts'

/** Messages from the orchestrator. */
export type ServerCommand = { type: 'stats'; gc?: boolean } | { type: 'stop' }
/** Messages to the orchestrator. */
export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'stats'; cpuMicros: number; heapUsed: number; rss: number }

const [name, variant, port = '0'] = process.argv.slice(2)
if (!frameworkNames.includes(name as FrameworkName) || !variants.includes(variant as Variant)) {
  console.error(`usage: server.ts <${frameworkNames.join('|')}> <${variants.join('|')}> [port]`)
  process.exit(2)
}

const framework = await loadFramework(name as FrameworkName)
const server = await framework.start[variant as Variant](Number(port))
const send = (message: ServerMessage): void => void process.send?.(message)
const gc = (globalThis as { gc?: () => void }).gc

send({ type: 'ready', port: server.port })
if (process.send === undefined) console.log(`${name} ${variant} on http://127.0.0.1:${server.port}`)

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
