import { createHash } from 'node:crypto'
import { createServer, request as httpRequest, type IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { describeProtection } from '@cors/conformance'
import express5, { type Request } from 'express'
import express4 from 'express4'
import supertest from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { makeClient } from '../test/app.ts'
import { cors } from './index.ts'

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4],
] as const) {
  // supertest goes through a real Node HTTP server, which answers 431 to more than 16 KiB of headers.
  describeProtection(`@cors/express on ${name}`, makeClient(express), { maxHeaderBytes: 16 * 1024 })
}

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const crossSite = { origin: evil, 'sec-fetch-site': 'cross-site' }

describe('@cors/express: cross-origin protection', () => {
  it('refuses a cross-site form post before later middleware and the body parser run', async () => {
    const calls: string[] = []
    const server = express5()
    server.use(cors({ origin: [app], crossOriginProtection: true }))
    server.use((_req, _res, next) => {
      calls.push('auth')
      next()
    })
    server.use(express5.urlencoded({ extended: false }))
    server.post('/transfer', (req, res) => {
      calls.push(`transfer ${JSON.stringify(req.body)}`)
      res.send('done')
    })
    const refused = await supertest(server).post('/transfer').set(crossSite).type('form').send('amount=1000')
    expect(refused.status).toBe(403)
    expect(refused.text).toBe('')
    expect(Object.keys(refused.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    expect(calls).toEqual([])
    const same = await supertest(server)
      .post('/transfer')
      .set({ 'sec-fetch-site': 'same-origin' })
      .type('form')
      .send('amount=1')
    expect(same.status).toBe(200)
    expect(calls).toEqual(['auth', 'transfer {"amount":"1"}'])
  })

  it('protects only the paths it is mounted on (a router, a route)', async () => {
    const calls: string[] = []
    const server = express5()
    server.use('/api', cors({ origin: [app], crossOriginProtection: true }))
    server.post('/api/items', (_req, res) => {
      calls.push('api')
      res.send('ok')
    })
    server.post('/webhooks/stripe', (_req, res) => {
      calls.push('webhook')
      res.send('ok')
    })
    expect((await supertest(server).post('/api/items').set(crossSite)).status).toBe(403)
    expect((await supertest(server).post('/webhooks/stripe').set(crossSite)).status).toBe(200)
    expect(calls).toEqual(['webhook'])
  })

  it('bypass receives the request', async () => {
    const server = express5()
    server.use(
      cors<Request>({
        origin: [app],
        crossOriginProtection: { bypass: (req) => req.path === '/oauth/callback' },
      }),
    )
    server.post('*splat', (_req, res) => res.send('ok'))
    expect((await supertest(server).post('/oauth/callback').set(crossSite)).status).toBe(200)
    expect((await supertest(server).post('/account').set(crossSite)).status).toBe(403)
  })
})

describe('@cors/express: crossOriginProtection on a handshake that passes through the middleware', () => {
  const servers: ReturnType<typeof createServer>[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
  })

  // Not the README's recipe (that is @cors/websocket's guard on the `upgrade` event, tested in
  // packages/websocket/src/readme.test.ts): a hand-rolled upgrade path that runs the middleware on a
  // ServerResponse bound to the socket, to show crossOriginProtection covers a handshake that reaches
  // it. The middleware answers a refused handshake itself (403), and calls next() for the others.
  async function listen() {
    const middleware = cors({ origin: [app], crossOriginProtection: true })
    const accepted: string[] = []
    const server = createServer((_req, res) => res.end('ok'))
    server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      const res = new ServerResponse(req)
      res.assignSocket(socket)
      // A refused handshake closes the connection: it was never going to carry more requests.
      res.shouldKeepAlive = false
      res.on('finish', () => socket.destroySoon())
      middleware(req, res, () => {
        res.detachSocket(socket)
        accepted.push(req.headers.origin ?? '(none)')
        const key = createHash('sha1')
          .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
          .digest('base64')
        socket.end(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${key}\r\n\r\n`,
        )
      })
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { port: (server.address() as AddressInfo).port, accepted }
  }

  function handshake(port: number, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          ...headers,
        },
      })
      req.on('upgrade', (res, socket) => {
        socket.destroy()
        resolve(res.statusCode ?? 0)
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
  }

  it('answers 403 to a handshake from a disallowed origin, and upgrades the others', async () => {
    const { port, accepted } = await listen()
    expect(await handshake(port, { origin: evil, 'sec-fetch-site': 'cross-site' })).toBe(403)
    expect(await handshake(port, { origin: evil })).toBe(403)
    expect(await handshake(port, { origin: app, 'sec-fetch-site': 'cross-site' })).toBe(101)
    expect(await handshake(port, { origin: `http://127.0.0.1:${port}` })).toBe(101)
    expect(accepted).toEqual([app, `http://127.0.0.1:${port}`])
  })
})
