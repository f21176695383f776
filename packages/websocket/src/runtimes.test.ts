// guard.check(request) on the Fetch runtimes it is documented for: Bun.serve and Deno.upgradeWebSocket
// (both runtimes come from the npm registry, as in @cors/smoke), asked from Node with real clients.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchange, handshake, resetAfterAnswer } from './test-client.ts'
import type { Running } from './test-servers.ts'

const fixture = resolve(import.meta.dirname, '../test/runtime-server.mjs')
const bin = (name: string) => resolve(import.meta.dirname, '../../../node_modules/.bin', name)

const runtimes = [
  ['bun', [fixture]],
  ['deno', ['run', '--allow-net', '--allow-read', '--allow-env', fixture]],
] as const

describe.each(runtimes)('%s', (name, args) => {
  let child: ChildProcess
  let server: Running
  beforeAll(async () => {
    child = spawn(bin(name), [...args], { stdio: ['ignore', 'pipe', 'ignore'] })
    const lines = createInterface({ input: child.stdout! })
    const [line] = (await once(lines, 'line')) as [string]
    lines.close()
    const { runtime, port } = JSON.parse(line) as { runtime: string; port: number }
    expect(runtime).toMatch(new RegExp(`^${name} \\d`))
    server = {
      origin: `http://127.0.0.1:${port}`,
      path: '/',
      opened: () => Number.NaN,
      close: async () => {},
    }
  }, 60_000)
  afterAll(async () => {
    const exited = once(child, 'exit')
    child.kill()
    await exited
  })

  it('an allowed origin exchanges a message; others get 403; resets end nothing', async () => {
    expect(await exchange(server, 'https://app.example.com')).toBe('echo:ping')
    expect(await exchange(server)).toBe('echo:ping')
    for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example'])
      expect(await handshake(server, { origin })).toBe(403)
    for (let i = 0; i < 5; i++) await resetAfterAnswer(server, 'Origin: https://evil.example\r\n')
    expect(await handshake(server, { origin: server.origin, 'sec-fetch-site': 'same-origin' })).toBe(101)
    expect(child.exitCode).toBeNull()
  })
})
