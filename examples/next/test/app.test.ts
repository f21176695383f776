import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type App, createApp } from '../src/app.ts'

// createApp(): the app `next build` made (test/global-setup.ts builds it when stale), served from a
// custom server in this test's own process, as the playground (examples/browser) serves it. The
// playground's API, and the proxy's refusals reaching onReject across Next's bundle boundary.

const page = 'http://localhost:5173'
const other = 'http://127.0.0.1:5174'

interface Refusal {
  readonly reason: string
  readonly method: string
  readonly path: string
}
const refusals: Refusal[] = []
let app: App
let server: Server
let base: string

beforeAll(async () => {
  app = await createApp({
    onReject: (rejection, request) =>
      refusals.push({ reason: rejection.reason, method: request.method, path: request.nextUrl.pathname }),
  })
  server = createServer((req, res) => void app.handle(req, res)).listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server?.closeAllConnections()
  server?.close()
  await app?.close()
})

const request = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { origin: page, ...init.headers } })
const token = { authorization: 'Bearer demo-token' }

describe('createApp: the built Next 16 app in this process', () => {
  it('serves the playground API: the list with X-Total-Count, writes with the token only', async () => {
    const list = await request('/todos')
    expect(list.status).toBe(200)
    expect(list.headers.get('x-total-count')).toBe('1')
    expect(list.headers.get('access-control-allow-origin')).toBe(page)
    expect(list.headers.get('access-control-expose-headers')).toBe('x-total-count')
    expect(await list.json()).toEqual([{ id: 1, title: 'Try @cors/next', done: false }])

    const post = (headers: Record<string, string>, body = '{"title":"Write the README"}') =>
      request('/todos', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
    expect((await post({})).status).toBe(401)
    expect((await post(token, '{}')).status).toBe(422)
    const created = await post(token)
    expect(created.status).toBe(201)
    expect(created.headers.get('access-control-allow-origin')).toBe(page)
    expect(await created.json()).toEqual({ id: 2, title: 'Write the README', done: false })

    expect((await request('/todos/2', { method: 'DELETE' })).status).toBe(401)
    expect((await request('/todos/2', { method: 'DELETE', headers: token })).status).toBe(204)
    expect((await request('/todos/2', { method: 'DELETE', headers: token })).status).toBe(404)
    expect((await request('/todos')).headers.get('x-total-count')).toBe('1')
  })

  it('answers /error with a 500 and an unknown path with a 404, both readable by the page', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const error = await request('/error')
      expect(error.status).toBe(500)
      expect(error.headers.get('access-control-allow-origin')).toBe(page)
      expect(logged.mock.calls.map((args) => (args.at(-1) as Error).message)).toEqual(['something broke'])
    } finally {
      logged.mockRestore()
    }
    const missing = await request('/no-such-path')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe(page)
  })

  it("hands the proxy's refusals to onReject, with the reason", async () => {
    refusals.length = 0
    const preflight = await request('/todos/1', {
      method: 'OPTIONS',
      headers: { origin: other, 'access-control-request-method': 'DELETE' },
    })
    expect(preflight.status).toBe(403)
    // A simple POST from a site the policy does not allow: crossOriginProtection answers 403 before
    // the route runs (the list keeps its one todo).
    const post = await request('/todos', {
      method: 'POST',
      headers: { origin: other, 'sec-fetch-site': 'same-site', 'content-type': 'text/plain', ...token },
      body: '{"title":"Sent without a preflight"}',
    })
    expect(post.status).toBe(403)
    expect((await request('/todos')).headers.get('x-total-count')).toBe('1')
    expect(refusals).toEqual([
      { reason: 'origin-not-allowed', method: 'OPTIONS', path: '/todos/1' },
      { reason: 'origin-not-allowed', method: 'POST', path: '/todos' },
      { reason: 'cross-origin-request-refused', method: 'POST', path: '/todos' },
    ])
  })
})
