// Hostile handshakes against the guard in every hook it has: browser-shaped bypass attempts, header
// tricks, a flood of distinct origins, and clients that vanish while an async origin function decides.
import { once } from 'node:events'
import { connect } from 'node:net'
import { createCors } from '@cors/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchange, handshake, handshakeText } from './test-client.ts'
import { crossws, type Running, type Start, socketIo, wsNoServer, wsVerifyClient } from './test-servers.ts'

const app = 'https://app.example.com'
const guarded: [string, Start][] = [
  ['ws verifyClient', wsVerifyClient],
  ['ws noServer upgrade', wsNoServer],
  ['socket.io', socketIo],
  ['crossws on h3', crossws],
]

// Each is what a page on evil.example could make a browser send, or a header trick; all must be refused.
const hostile: [string, Record<string, string>][] = [
  ['upper-case origin', { origin: 'HTTPS://APP.EXAMPLE.COM' }],
  ['trailing-dot host', { origin: 'https://app.example.com.' }],
  ['userinfo', { origin: 'https://app.example.com@evil.example' }],
  ['default port written out', { origin: 'https://app.example.com:443' }],
  ['path', { origin: 'https://app.example.com/evil' }],
  ['two origins', { origin: `${app} https://evil.example` }],
  ['ws scheme', { origin: 'wss://app.example.com' }],
  ['X-Forwarded-Host spoof', { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' }],
  ['Forwarded spoof', { origin: 'https://evil.example', forwarded: 'host=evil.example' }],
  ['cross-site naming this host', { origin: 'http://HOST', 'sec-fetch-site': 'cross-site' }],
  ['same-site', { origin: 'https://evil.example', 'sec-fetch-site': 'same-site' }],
  ['upper-case Sec-Fetch-Site', { origin: 'https://evil.example', 'sec-fetch-site': 'SAME-ORIGIN' }],
  ['unknown Sec-Fetch-Site', { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin-ish' }],
  ['null with cross-site', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
]

describe.each(guarded)('adversarial handshakes: %s', (_name, start) => {
  const policy = createCors({ origin: [app] })
  let server: Running
  beforeAll(async () => {
    server = await start(policy)
  })
  afterAll(() => server.close())

  it.each(hostile)('refuses %s', async (_case, headers) => {
    const host = new URL(server.origin).host
    const origin = headers['origin']?.replace('HOST', host)
    const before = server.opened()
    expect(await handshake(server, { ...headers, ...(origin === undefined ? {} : { origin }) })).toBe(403)
    expect(server.opened()).toBe(before)
  })

  it('answers a flood of 2,000 distinct refused origins and still serves the allowed one', async () => {
    for (let i = 0; i < 2000; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) =>
        handshake(server, { origin: `https://x${i + j}.evil.example` }),
      )
      for (const status of await Promise.all(batch)) expect(status).toBe(403)
    }
    expect(await exchange(server, app)).toBe('echo:ping')
  })
})

describe('clients that vanish while an async origin function decides', () => {
  it.each([
    ['ws verifyClient', wsVerifyClient],
    ['ws noServer upgrade', wsNoServer],
    ['crossws on h3', crossws],
  ] as const)('%s: no handler runs, nothing crashes', async (_name, start) => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const policy = createCors({
      origin: async (origin: string) => {
        await gate
        return origin === app
      },
    })
    const server = await start(policy)
    try {
      const port = Number(new URL(server.origin).port)
      for (let i = 0; i < 10; i++) {
        const socket = connect(port, '127.0.0.1')
        socket.on('error', () => {})
        await once(socket, 'connect')
        socket.write(handshakeText(server, `Origin: ${app}\r\n`))
        await new Promise((resolve) => setTimeout(resolve, 5))
        socket.resetAndDestroy()
      }
      // Once the resets have reached the server, the verdicts arrive: for sockets already gone.
      await new Promise((resolve) => setTimeout(resolve, 50))
      release()
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(server.opened()).toBe(0)
      expect(await exchange(server, app)).toBe('echo:ping')
    } finally {
      await server.close()
    }
  })
})
