// Socket.IO beyond the shared suite: the polling transport, session ids replayed from another origin,
// and the polling transport's CORS headers under the same policy (@cors/express on io.engine).
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCors } from '@cors/core'
import { cors } from '@cors/express'
import { Server } from 'socket.io'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchangeSocketIo, handshake } from './test-client.ts'
import { type Running, socketIo } from './test-servers.ts'

const app = 'https://app.example.com'
const evil = 'https://evil.example'

describe('Socket.IO with io.engine.use(guard.middleware)', () => {
  const policy = createCors({ origin: [app], credentials: true })
  let server: Running
  const polling = (query = '') => `${server.origin}/socket.io/?EIO=4&transport=polling${query}`

  // An engine.io session opened over polling by an allowed page (or a non-browser client).
  async function openSession(): Promise<string> {
    const response = await fetch(polling(), { headers: { origin: app } })
    const text = await response.text()
    return (JSON.parse(text.slice(1)) as { sid: string }).sid
  }

  beforeAll(async () => {
    server = await socketIo(policy)
  })
  afterAll(() => server.close())

  it('connects and exchanges a message over polling, and polling then websocket', async () => {
    expect(await exchangeSocketIo(server, app, ['polling'])).toBe('echo:ping')
    expect(await exchangeSocketIo(server, app, ['polling', 'websocket'])).toBe('echo:ping')
    expect(await exchangeSocketIo(server, undefined, ['polling', 'websocket'])).toBe('echo:ping')
  })

  it('refuses a disallowed origin on every transport', async () => {
    await expect(exchangeSocketIo(server, evil, ['polling'])).rejects.toThrow()
    await expect(exchangeSocketIo(server, evil, ['websocket'])).rejects.toThrow()
    expect((await fetch(polling(), { headers: { origin: evil } })).status).toBe(403)
  })

  it('refuses a session id replayed from a disallowed origin: polling GET, POST and the upgrade', async () => {
    const sid = await openSession()
    const query = `&sid=${sid}`
    expect((await fetch(polling(query), { headers: { origin: evil } })).status).toBe(403)
    const post = await fetch(polling(query), { method: 'POST', headers: { origin: evil }, body: '40' })
    expect(post.status).toBe(403)
    const upgrade = { ...server, path: `/socket.io/?EIO=4&transport=websocket&sid=${sid}` }
    expect(await handshake(upgrade, { origin: evil })).toBe(403)
    expect(await handshake(upgrade, { origin: 'null' })).toBe(403)
    // The session is intact for its own page.
    const own = await fetch(polling(query), { method: 'POST', headers: { origin: app }, body: '40' })
    expect(own.status).toBe(200)
  })

  it('gives the polling transport the policy’s CORS headers (@cors/express), none to a refused origin', async () => {
    const allowed = await fetch(polling(), { headers: { origin: app } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe(app)
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    const refused = await fetch(polling(), { headers: { origin: evil } })
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(polling(), {
      method: 'OPTIONS',
      headers: { origin: app, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(app)
  })
})

// engine.io hands an upgrade to its middleware with a stand-in response (no getHeaderNames): @cors/express
// on every engine.io request, upgrades included, must write to it and refuse through it.
describe('Socket.IO with io.engine.use(cors(...)) from @cors/express on every request, upgrades included', () => {
  const httpServer = createServer()
  const io = new Server(httpServer)
  let opened = 0
  let server: Running

  beforeAll(async () => {
    io.engine.use(cors({ origin: [app], credentials: true, crossOriginProtection: true }))
    io.on('connection', (socket) => {
      opened++
      socket.on('message', (text: string) => socket.emit('message', `echo:${text}`))
    })
    httpServer.listen(0, '127.0.0.1')
    await once(httpServer, 'listening')
    const origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
    server = {
      origin,
      path: '/socket.io/?EIO=4&transport=websocket',
      opened: () => opened,
      close: async () => {},
    }
  })
  afterAll(async () => {
    await io.close()
  })

  it('upgrades an allowed origin and a request without Origin', async () => {
    expect(await exchangeSocketIo(server, app, ['websocket'])).toBe('echo:ping')
    expect(await exchangeSocketIo(server, app, ['polling', 'websocket'])).toBe('echo:ping')
    expect(await exchangeSocketIo(server, undefined, ['websocket'])).toBe('echo:ping')
    expect(await handshake(server, { origin: app, 'sec-fetch-site': 'cross-site' })).toBe(101)
  })

  it('refuses a cross-site upgrade through the stand-in (the socket is closed) and reaches no handler', async () => {
    const before = opened
    expect(await handshake(server, { origin: evil, 'sec-fetch-site': 'cross-site' })).toBe(0)
    await expect(exchangeSocketIo(server, evil, ['websocket'])).rejects.toThrow()
    expect(opened).toBe(before)
    // The server is still up for the allowed page.
    expect(await exchangeSocketIo(server, app, ['websocket'])).toBe('echo:ping')
  })
})
