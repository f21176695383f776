import type { IncomingMessage } from 'node:http'
import { createServer } from 'node:http'
import { defineHooks } from 'crossws'
import { Server } from 'socket.io'
import { expectTypeOf, test } from 'vitest'
import { WebSocketServer } from 'ws'
import {
  type CorsPolicy,
  type CorsRejection,
  createCors,
  type WebSocketContext,
  websocketGuard,
} from './index.ts'

test('each hook has the shape its server expects', () => {
  const guard = websocketGuard({ origin: ['https://app.example.com'] })
  const server = createServer()
  server.on(
    'upgrade',
    guard.upgrade((req, socket, head) => {
      expectTypeOf(req).toEqualTypeOf<IncomingMessage>()
      new WebSocketServer({ noServer: true }).handleUpgrade(req, socket, head, () => {})
    }),
  )
  new WebSocketServer({ server, verifyClient: guard.verifyClient })
  new Server(server).engine.use(guard.middleware)
  defineHooks({ upgrade: guard.crossws })
  expectTypeOf(guard.check(new Request('http://api.example.com/ws'))).toEqualTypeOf<
    Response | undefined | Promise<Response | undefined>
  >()
})

test('options or a shared policy; hooks receive the native request', () => {
  const policy: CorsPolicy = createCors({ origin: ['https://app.example.com'] })
  websocketGuard(policy, { requireOrigin: true })
  websocketGuard({
    origin: (_origin, request) => {
      expectTypeOf(request).toEqualTypeOf<WebSocketContext>()
      return true
    },
    onReject: (rejection) => expectTypeOf(rejection).toEqualTypeOf<CorsRejection>(),
  })
  // @ts-expect-error: the guard's only option is requireOrigin
  websocketGuard({ origin: ['https://app.example.com'] }, { requireOrigins: true })
})
