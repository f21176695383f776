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
import { serveOverIpc } from './ipc.ts'

const [name, variant, port = '0'] = process.argv.slice(2)
if (!frameworkNames.includes(name as FrameworkName) || !variants.includes(variant as Variant)) {
  console.error(`usage: server.ts <${frameworkNames.join('|')}> <${variants.join('|')}> [port]`)
  process.exit(2)
}

const framework = await loadFramework(name as FrameworkName)
const server = await framework.start[variant as Variant](Number(port))
serveOverIpc(server, `${name} ${variant}`)
