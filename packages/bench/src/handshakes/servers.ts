/**
 * The `ws` server of each variant, on a `node:http` server on 127.0.0.1: no origin check; the
 * hand-written minimum; ours, `verifyClient: guard.verifyClient` as @cors/websocket's README shows it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type VerifyClient, websocketGuard } from '@cors/websocket'
import { WebSocketServer } from 'ws'
import type { Listening } from '../frameworks/types.ts'
import { corsOptions, handWritten } from '../policy.ts'
import type { HandshakeVariant } from './policy.ts'

// The hand-written minimum: a Set of the allowed origins, in ws's callback form (the only one that can
// answer 403; the synchronous form answers 401). A handshake without Origin passes, as in ours.
const handWrittenVerify: VerifyClient = (info, callback) => {
  const origin = info.req.headers.origin
  if (origin === undefined || handWritten.allowed.has(origin)) callback(true)
  else callback(false, 403)
}

// The application does nothing with a connection: the client closes it as soon as it reads the 101,
// so what is measured is the handshake (and closing the socket), the same in every variant.
function listen(port: number, verifyClient?: VerifyClient): Promise<Listening> {
  const server = createServer()
  const wss = new WebSocketServer(verifyClient === undefined ? { server } : { server, verifyClient })
  wss.on('connection', (ws) => ws.on('error', () => {}))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            wss.close()
            server.closeAllConnections()
            server.close(() => done())
          }),
      }),
    )
  })
}

export const handshakeServers: Record<HandshakeVariant, (port: number) => Promise<Listening>> = {
  none: (port) => listen(port),
  'hand-written': (port) => listen(port, handWrittenVerify),
  ours: (port) => {
    const guard = websocketGuard(corsOptions)
    return listen(port, guard.verifyClient)
  },
}
