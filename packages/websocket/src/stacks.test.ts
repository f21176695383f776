// One suite over every WebSocket stack (the guard in ws, noServer, Socket.IO and crossws; the adapters'
// crossOriginProtection in @fastify/websocket and @hono/node-ws), over real sockets on 127.0.0.1.
import { type CorsOptions, type CorsRejection, createCors } from '@cors/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WebSocketContext } from './index.ts'
import { exchange, handshake, handshakeText, raw, resetAfterAnswer } from './test-client.ts'
import { type Running, stacks } from './test-servers.ts'

const app = 'https://app.example.com'
const refusedOrigins = [
  'https://evil.example',
  'null',
  'https://app.example.com.evil.example',
  'https://evilapp.example.com',
  'http://app.example.com',
  'https://app.example.com:8443',
  'https://app.example.com, https://evil.example',
  'https://app.example.com/',
]

describe.each(Object.entries(stacks))('%s', (_name, { start, reason, catchesRejectingHook }) => {
  const rejections: CorsRejection[] = []
  const base: CorsOptions<WebSocketContext> = {
    origin: [app],
    crossOriginProtection: true,
    onReject: (rejection) => {
      rejections.push(rejection)
    },
  }
  const policy = createCors<WebSocketContext>(base)
  let server: Running

  beforeAll(async () => {
    server = await start(policy)
  })
  afterAll(() => server.close())
  beforeEach(() => {
    policy.update(base)
    rejections.length = 0
  })

  it('lets an allowed origin connect and exchange a message', async () => {
    const before = server.opened()
    expect(await exchange(server, app)).toBe('echo:ping')
    expect(server.opened()).toBe(before + 1)
  })

  it('lets a client without Origin (not a browser) connect', async () => {
    expect(await exchange(server)).toBe('echo:ping')
  })

  it("lets the server's own pages connect (Origin matches Host, or Sec-Fetch-Site: same-origin)", async () => {
    expect(await handshake(server, { origin: server.origin })).toBe(101)
    expect(
      await handshake(server, { origin: 'https://other.example', 'sec-fetch-site': 'same-origin' }),
    ).toBe(101)
  })

  it('refuses disallowed, null and look-alike origins with 403 before the handler runs', async () => {
    const before = server.opened()
    for (const origin of refusedOrigins) expect(await handshake(server, { origin }), origin).toBe(403)
    // A page on another site cannot pass by naming this host: its browser says cross-site.
    expect(await handshake(server, { origin: server.origin, 'sec-fetch-site': 'cross-site' })).toBe(403)
    expect(server.opened()).toBe(before)
    const refusals = rejections.filter((rejection) => rejection.reason === reason)
    expect(refusals).toHaveLength(refusedOrigins.length + 1)
    for (const refusal of refusals) expect(refusal.status).toBe(403)
  })

  it('follows policy.update() on the next handshake', async () => {
    policy.update({ ...base, origin: ['https://evil.example'] })
    expect(await handshake(server, { origin: app })).toBe(403)
    expect(await exchange(server, 'https://evil.example')).toBe('echo:ping')
    policy.update(base)
    expect(await handshake(server, { origin: 'https://evil.example' })).toBe(403)
    expect(await exchange(server, app)).toBe('echo:ping')
  })

  it('survives an onReject that throws or rejects', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const throwing = () => {
        throw new Error('log store down')
      }
      const rejecting = () => Promise.reject(new Error('log store down'))
      for (const onReject of catchesRejectingHook ? [throwing, rejecting] : [throwing]) {
        policy.update({ ...base, onReject })
        // The guard answers 403; the adapters turn a throwing hook into a 500: refused either way.
        const status = await handshake(server, { origin: 'https://evil.example' })
        expect(status === 403 || status === 500, String(status)).toBe(true)
        expect(await exchange(server, app)).toBe('echo:ping')
      }
    } finally {
      error.mockRestore()
    }
  })

  it('closes the connection of a refused handshake itself (no half-open socket left to the client)', async () => {
    const answer = await raw(server, handshakeText(server, 'Origin: https://evil.example\r\n'), true)
    expect(answer).toMatch(/^HTTP\/1\.1 403/)
    expect(answer.toLowerCase()).not.toContain('connection: keep-alive')
  })

  it('survives clients that reset right after a refusal, or before any answer', async () => {
    for (let i = 0; i < 20; i++) await resetAfterAnswer(server, 'Origin: https://evil.example\r\n')
    expect(await exchange(server, app)).toBe('echo:ping')
  })

  it('answers malformed handshakes without upgrading them or ending the process', async () => {
    const before = server.opened()
    const hostile = [
      'Origin: https://app.example.com\r\nOrigin: https://evil.example\r\n',
      `Origin: https://${'a'.repeat(6000)}.example\r\n`,
      'Origin: https://evil.example\r\nSec-Fetch-Site: same-site\r\n',
      'Origin: https://evil.example\r\nSec-Fetch-Site: \r\n',
      'Origin: \u00e9vil\r\n',
    ]
    for (const extra of hostile) {
      const answer = await raw(server, handshakeText(server, extra))
      expect(answer, extra).not.toMatch(/^HTTP\/1\.1 101/)
    }
    const noHost = handshakeText(server, 'Origin: https://evil.example\r\n').replace(/Host: [^\r]*\r\n/, '')
    expect(await raw(server, noHost)).not.toMatch(/^HTTP\/1\.1 101/)
    expect(server.opened()).toBe(before)
    expect(await exchange(server, app)).toBe('echo:ping')
  })
})
