// The WebSocket recipes of the Express and Koa READMEs, and this README's `node:http` blocks, run as
// written against real clients. The only change: `server.listen(3000)` is left to the test (a random
// port on 127.0.0.1), and the block exports its `server`. Every block is also type-checked with the
// repository's strict settings by @cors/smoke.
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { extractBlocks } from '../../smoke/src/readme-blocks.ts'
import { exchange, exchangeSocketIo, handshake, resetAfterAnswer } from './test-client.ts'
import type { Running } from './test-servers.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
// Inside this package, so the blocks' imports resolve as in an application that installed them.
const out = join(root, 'packages/websocket/node_modules/.readme-run')

function block(readme: string, contains: string): string {
  const found = extractBlocks(root, join(root, readme)).find((b) => b.code.includes(contains))
  if (found === undefined) throw new Error(`${readme}: no TypeScript block with ${contains}`)
  return `${found.context}\n${found.code.replace('server.listen(3000)', '')}\nexport { server }\n`
}

const running: Server[] = []
afterAll(async () => {
  for (const server of running) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

async function start(name: string, code: string, path = '/'): Promise<Running> {
  mkdirSync(out, { recursive: true })
  const file = join(out, `${name}.ts`)
  writeFileSync(file, code)
  const { server } = (await import(file)) as { server: Server }
  running.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, path, opened: () => Number.NaN, close: async () => {} }
}

const app = 'https://app.example.com'
const recipes = [
  ['Express README', 'packages/express/README.md', 'websocketGuard(policy).upgrade'],
  ['Koa README', 'packages/koa/README.md', 'websocketGuard(policy).upgrade'],
  ['this README: ws verifyClient', 'packages/websocket/README.md', 'verifyClient: guard.verifyClient'],
  ['this README: noServer upgrade', 'packages/websocket/README.md', 'websocketGuard(policy).upgrade'],
] as const

describe.each(recipes)('%s', (name, readme, contains) => {
  it('lets the allowed origin exchange a message and refuses others with 403, surviving resets', async () => {
    const server = await start(name.replace(/\W+/g, '-'), block(readme, contains))
    expect(await exchange(server, app)).toBe('echo:ping')
    for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example'])
      expect(await handshake(server, { origin })).toBe(403)
    for (let i = 0; i < 5; i++) await resetAfterAnswer(server, 'Origin: https://evil.example\r\n')
    expect(await exchange(server, app)).toBe('echo:ping')
  })
})

describe('this README: Socket.IO', () => {
  it('connects from the allowed origin over both transports; refuses others', async () => {
    const code = block('packages/websocket/README.md', 'io.engine.use(websocketGuard(policy).middleware)')
    const server = await start('socket-io', code, '/socket.io/?EIO=4&transport=websocket')
    expect(await exchangeSocketIo(server, app, ['polling', 'websocket'])).toBe('echo:ping')
    await expect(exchangeSocketIo(server, 'https://evil.example', ['polling'])).rejects.toThrow()
    expect(await handshake(server, { origin: 'https://evil.example' })).toBe(403)
  })
})

describe('the Express recipe with an async origin function, and an onReject written for Express (issue 18.12)', () => {
  it('refuses a cross-site handshake while the async origin function decides', async () => {
    const code = block('packages/express/README.md', 'websocketGuard(policy).upgrade').replace(
      "origin: ['https://app.example.com'],",
      "origin: async (origin: string) => origin === 'https://app.example.com',",
    )
    const server = await start('express-async', code)
    expect(await handshake(server, { origin: 'https://evil.example' })).toBe(403)
    expect(await exchange(server, app)).toBe('echo:ping')
  })

  it('does not end the process when the hook throws on the raw request', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const code = block('packages/express/README.md', 'websocketGuard(policy).upgrade').replace(
      'crossOriginProtection: true })',
      'crossOriginProtection: true, onReject: (_r, req) => (req as unknown as { get(n: string): string }).get("origin") })',
    )
    const server = await start('express-onreject', code)
    expect(await handshake(server, { origin: 'https://evil.example' })).toBe(403)
    expect(await exchange(server, app)).toBe('echo:ping')
    error.mockRestore()
  })
})
