import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from './app.ts'

const origin = 'https://app.example.com'
const send = (path: string, init: RequestInit = {}) =>
  createApp().handle(new Request(`http://localhost${path}`, init))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('elysia example', () => {
  it('answers the preflight of the POST route before validation', async () => {
    const response = await send('/todos', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, authorization')
    expect(response.headers.get('access-control-max-age')).toBe('600')
    expect(await response.text()).toBe('')
  })

  it('lets an allowed origin read the todos and the total count', async () => {
    const response = await send('/todos', { headers: { origin } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-expose-headers')).toBe('x-total-count')
    expect(response.headers.get('x-total-count')).toBe('1')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(await response.json()).toEqual([{ id: 1, title: 'Try @cors/elysia' }])
  })

  it('keeps the CORS headers on validation errors, thrown errors and 404s', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const invalid = await send('/todos', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(invalid.status).toBe(422)
    for (const [path, status] of [
      ['/error', 500],
      ['/todos/99', 404],
      ['/nothing', 404],
    ] as const) {
      const response = await send(path, {
        method: path.startsWith('/todos') ? 'DELETE' : 'GET',
        headers: { origin },
      })
      expect(response.status).toBe(status)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    }
  })

  it('gives another origin no CORS headers', async () => {
    const response = await send('/todos', { headers: { origin: 'https://evil.example' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
})

// The server as users start it: `npm start` (Node, through @elysiajs/node) and `bun src/server.ts`.
const root = resolve(import.meta.dirname, '../../..')
const runtimes = [
  ['node', resolve(root, 'node_modules/.bin/tsx')],
  ['bun', resolve(root, 'node_modules/.bin/bun')],
] as const

describe.each(runtimes)('the example server on %s', (_name, bin) => {
  let child: ChildProcess | undefined
  afterEach(() => {
    child?.kill()
  })

  it('answers a preflight and an actual request over HTTP', async () => {
    const port = await freePort()
    child = spawn(bin, [resolve(import.meta.dirname, 'server.ts')], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await listening(child)
    const base = `http://127.0.0.1:${port}`
    const preflight = await fetch(`${base}/todos`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization')
    const created = await fetch(`${base}/todos`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Over HTTP' }),
    })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ id: 2, title: 'Over HTTP' })
    expect(created.headers.get('access-control-allow-origin')).toBe(origin)
    const missing = await fetch(`${base}/nothing`, { headers: { origin } })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe(origin)
  })
})

function listening(child: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('listening on')) done()
    })
    child.once('exit', (code) => fail(new Error(`the server exited (${code}): ${output}`)))
  })
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0))
    })
    server.once('error', fail)
  })
}
