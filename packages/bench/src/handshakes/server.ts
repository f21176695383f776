/**
 * One `ws` variant in its own process, listening on 127.0.0.1:
 *   tsx src/handshakes/server.ts ws <none|hand-written|ours> [port]
 * Started by handshakes/run.ts like server.ts, reporting its CPU time over the same IPC protocol.
 */
import { serveOverIpc } from '../ipc.ts'
import { type HandshakeVariant, handshakeVariants } from './policy.ts'
import { handshakeServers } from './servers.ts'

const [, variant, port = '0'] = process.argv.slice(2)
if (!handshakeVariants.includes(variant as HandshakeVariant)) {
  console.error(`usage: handshakes/server.ts ws <${handshakeVariants.join('|')}> [port]`)
  process.exit(2)
}
const server = await handshakeServers[variant as HandshakeVariant](Number(port))
serveOverIpc(server, `ws ${variant}`)
