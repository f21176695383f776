// engine.io (Socket.IO's transport) runs `io.engine.use` middleware on a WebSocket upgrade with a
// stand-in response: an EventEmitter with setHeader, getHeader and removeHeader over a plain record,
// no-op write and writeHead, and an end() that destroys the socket (engine.io 6.6, server.js's
// WebSocketResponse). No getHeaderNames, headersSent or statusCode of its own. Real Socket.IO with
// `io.engine.use(cors(...))` is tested in packages/websocket/src/socket-io.test.ts.
import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { cors } from './index.ts'

class EngineIoUpgradeResponse extends EventEmitter {
  readonly headers: Record<string, unknown> = {}
  destroyed = false
  setHeader(name: string, value: unknown): void {
    this.headers[name] = value
  }
  getHeader(name: string): unknown {
    return this.headers[name]
  }
  removeHeader(name: string): void {
    delete this.headers[name]
  }
  write(): void {}
  writeHead(): void {}
  end(): void {
    this.emit('finish')
    this.destroyed = true
  }
}

const app = 'https://app.example.com'
const evil = 'https://evil.example'

function upgrade(origin: string, options: Parameters<typeof cors>[0], res = new EngineIoUpgradeResponse()) {
  const req = {
    method: 'GET',
    url: '/socket.io/?EIO=4&transport=websocket',
    headers: {
      origin,
      host: 'api.example.com',
      upgrade: 'websocket',
      connection: 'Upgrade',
      'sec-fetch-site': 'cross-site',
    },
  } as unknown as IncomingMessage
  const passed: unknown[] = []
  cors(options)(req, res as unknown as ServerResponse, (error) => passed.push(error))
  return { res, passed }
}

describe('@cors/express on engine.io’s stand-in upgrade response', () => {
  it('refuses a cross-origin upgrade under crossOriginProtection: 403, no CORS header, socket ended', () => {
    const { res, passed } = upgrade(evil, { origin: [app], crossOriginProtection: true })
    expect(passed).toEqual([])
    expect((res as unknown as { statusCode: number }).statusCode).toBe(403)
    expect(res.destroyed).toBe(true)
    expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
  })

  it('removes a CORS header set earlier on the stand-in when it refuses', () => {
    const res = new EngineIoUpgradeResponse()
    res.setHeader('access-control-allow-origin', '*')
    upgrade(evil, { origin: [app], crossOriginProtection: true }, res)
    expect(res.getHeader('access-control-allow-origin')).toBeUndefined()
    expect(res.destroyed).toBe(true)
  })

  it('lets an allowed upgrade go on with the policy’s headers, and a refused origin without them', () => {
    const allowed = upgrade(app, { origin: [app], credentials: true, crossOriginProtection: true })
    expect(allowed.passed).toEqual([undefined])
    expect(allowed.res.headers).toEqual({
      'access-control-allow-origin': app,
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    })
    const refused = upgrade(evil, { origin: [app] })
    expect(refused.passed).toEqual([undefined])
    expect(refused.res.headers).toEqual({ vary: 'Origin' })
  })
})
