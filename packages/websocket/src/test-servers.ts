// Test harness: the same echo server behind each WebSocket stack, on 127.0.0.1 and a random port, all
// governed by one policy. Each stack counts the connections its application handler saw, so a test can
// prove a refusal never reached it.
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cors as expressCors } from '@cors/express'
import { cors as fastifyCors } from '@cors/fastify'
import { cors as honoCors } from '@cors/hono'
import fastifyWebsocket from '@fastify/websocket'
import { serve as serveHono } from '@hono/node-server'
import { createNodeWebSocket } from '@hono/node-ws'
import { serve as serveCrossws } from 'crossws/server/node'
import Fastify from 'fastify'
import { defineWebSocketHandler, H3 } from 'h3'
import { Hono } from 'hono'
import { Server as SocketIoServer } from 'socket.io'
import { WebSocketServer } from 'ws'
import { type CorsPolicy, websocketGuard } from './index.ts'

export interface Running {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** The path a WebSocket handshake goes to (Socket.IO: its engine.io query included). */
  readonly path: string
  /** How many connections reached the application's handler. */
  readonly opened: () => number
  close(): Promise<void>
}

export type Start = (policy: CorsPolicy) => Promise<Running>

function listening(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return listening(server)
}

function closing(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** `ws` with the guard as `verifyClient`. */
export const wsVerifyClient: Start = async (policy) => {
  const server = createServer()
  const wss = new WebSocketServer({ server, verifyClient: websocketGuard(policy).verifyClient })
  let opened = 0
  wss.on('connection', (ws) => {
    opened++
    ws.on('message', (data) => ws.send(`echo:${String(data)}`))
  })
  const origin = await listen(server)
  return { origin, path: '/', opened: () => opened, close: () => closing(server) }
}

/** `ws` with `noServer`, handed upgrades by the guard from `server.on('upgrade')`. */
export const wsNoServer: Start = async (policy) => {
  const server = createServer()
  const wss = new WebSocketServer({ noServer: true })
  const guard = websocketGuard(policy)
  server.on(
    'upgrade',
    guard.upgrade((req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
    ),
  )
  let opened = 0
  wss.on('connection', (ws) => {
    opened++
    ws.on('message', (data) => ws.send(`echo:${String(data)}`))
  })
  const origin = await listen(server)
  return { origin, path: '/', opened: () => opened, close: () => closing(server) }
}

/** Socket.IO: the guard on every engine.io request, the polling transport's CORS headers by @cors/express. */
export const socketIo: Start = async (policy) => {
  const server = createServer()
  const io = new SocketIoServer(server)
  io.engine.use(websocketGuard(policy).middleware)
  // The polling transport's CORS headers; upgrades carry none (and engine.io hands them a stand-in response).
  const httpCors = expressCors(policy)
  io.engine.use((req: IncomingMessage, res: ServerResponse, next: () => void) =>
    req.headers.upgrade === undefined ? httpCors(req, res, next) : next(),
  )
  let opened = 0
  io.on('connection', (socket) => {
    opened++
    socket.on('message', (text: string) => socket.emit('message', `echo:${text}`))
  })
  const origin = await listen(server)
  const close = async () => {
    await io.close()
    await closing(server)
  }
  return { origin, path: '/socket.io/?EIO=4&transport=websocket', opened: () => opened, close }
}

/** crossws on h3 v2 (srvx's Node server), the guard as the `upgrade` hook. */
export const crossws: Start = async (policy) => {
  const guard = websocketGuard(policy)
  let opened = 0
  const app = new H3().get(
    '/',
    defineWebSocketHandler({
      upgrade: guard.crossws,
      open: () => {
        opened++
      },
      message: (peer, message) => {
        peer.send(`echo:${message.text()}`)
      },
    }),
  )
  const server = serveCrossws({
    fetch: app.fetch,
    websocket: {},
    port: 0,
    hostname: '127.0.0.1',
    silent: true,
  })
  await server.ready()
  const node = server.node!.server as Server
  // crossws writes its refusal and ends the socket without listening for errors: a client that resets
  // then would end the process (see the README).
  node.on('upgrade', (_req, socket) => socket.on('error', () => {}))
  return { origin: listening(node), path: '/', opened: () => opened, close: () => server.close(true) }
}

/** @fastify/websocket behind @cors/fastify with crossOriginProtection (the policy's own). */
export const fastify: Start = async (policy) => {
  const app = Fastify()
  await app.register(fastifyCors, policy)
  await app.register(fastifyWebsocket)
  let opened = 0
  app.get('/', { websocket: true }, (socket) => {
    opened++
    socket.on('message', (data: Buffer) => socket.send(`echo:${String(data)}`))
  })
  const origin = await app.listen({ port: 0, host: '127.0.0.1' })
  return { origin, path: '/', opened: () => opened, close: () => app.close() }
}

/** @hono/node-ws behind @cors/hono with crossOriginProtection (the policy's own). */
export const hono: Start = async (policy) => {
  const app = new Hono()
  const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app })
  let opened = 0
  app.use('*', honoCors(policy))
  app.get(
    '/',
    upgradeWebSocket(() => ({
      onOpen: () => {
        opened++
      },
      onMessage: (event, ws) => ws.send(`echo:${String(event.data)}`),
    })),
  )
  const server = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  // @hono/node-ws writes its refusal without listening for socket errors (see the README).
  server.on('upgrade', (_req, socket) => socket.on('error', () => {}))
  injectWebSocket(server)
  await once(server, 'listening')
  return { origin: listening(server), path: '/', opened: () => opened, close: () => closing(server) }
}

export interface Stack {
  readonly start: Start
  /** The reason its refusals reach `onReject` with. */
  readonly reason: 'websocket-origin-refused' | 'cross-origin-request-refused'
  /** Whether a rejecting (async) `onReject` is caught: the adapters' is issue 18.1, not this package's. */
  readonly catchesRejectingHook: boolean
}

const guarded = (start: Start): Stack => ({
  start,
  reason: 'websocket-origin-refused',
  catchesRejectingHook: true,
})
// The adapters' own crossOriginProtection (their onReject also hears `origin-not-allowed` first).
const adapter = (start: Start): Stack => ({
  start,
  reason: 'cross-origin-request-refused',
  catchesRejectingHook: false,
})

/** Every stack, by name: the guard in four Node hooks, and two framework plugins behind their adapters. */
export const stacks: Readonly<Record<string, Stack>> = {
  'ws verifyClient': guarded(wsVerifyClient),
  'ws noServer upgrade': guarded(wsNoServer),
  'socket.io': guarded(socketIo),
  'crossws on h3': guarded(crossws),
  '@fastify/websocket via @cors/fastify': adapter(fastify),
  '@hono/node-ws via @cors/hono': adapter(hono),
}
