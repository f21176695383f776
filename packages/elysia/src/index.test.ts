import { createServer } from 'node:net'
import { initFrom, preflightInit } from '@cors/conformance'
import { createCors } from '@cors/core'
import { cors as elysiaCors } from '@elysiajs/cors'
import { node } from '@elysiajs/node'
import { Elysia, t } from 'elysia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CorsConfigError, cors, type ElysiaCorsContext } from './index.ts'

const origin = 'https://app.example.com'
const request = (path: string, init?: RequestInit) =>
  new Request(`http://localhost${path}`, initFrom(origin, init))
const preflight = (path: string, method = 'POST', requestHeaders?: string) =>
  new Request(`http://localhost${path}`, preflightInit(origin, method, requestHeaders))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('cors', () => {
  it('validates the options when it is called, not on the first request', () => {
    expect(() => cors({ origin: '*', credentials: true } as never)).toThrow(CorsConfigError)
    const error = (() => {
      try {
        cors({ exposeHeaders: 'X-Total' } as never)
      } catch (thrown) {
        return thrown
      }
    })()
    expect((error as CorsConfigError).issues[0]?.hint).toContain('exposedHeaders')
  })

  it('answers preflights in onRequest, before routing, validation, guards and derive', async () => {
    const ran: string[] = []
    const app = new Elysia()
      .use(cors({ origin, maxAge: 60 }))
      .derive(() => {
        ran.push('derive')
        return { user: 'u' }
      })
      .guard({ beforeHandle: () => void ran.push('guard') }, (guarded) =>
        guarded.post('/items', ({ body }) => body, { body: t.Object({ name: t.String() }) }),
      )
    const answered = await app.handle(preflight('/items', 'POST', 'content-type'))
    expect(answered.status).toBe(204)
    expect(await answered.text()).toBe('')
    expect(answered.headers.get('access-control-allow-origin')).toBe(origin)
    expect(answered.headers.get('access-control-allow-headers')).toBe('content-type')
    expect(answered.headers.get('access-control-max-age')).toBe('60')
    expect(ran).toEqual([])
    const refused = await app.handle(
      request('/items', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      }),
    )
    expect(refused.status).toBe(403)
    expect([...refused.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([])
  })

  it('keeps the headers on status() answers, validation errors, thrown errors and 404s', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const app = new Elysia()
      .use(cors({ origin, exposedHeaders: 'X-Total' }))
      .get('/teapot', ({ status }) => status(418, 'teapot'))
      .get('/guarded', () => 'secret', { beforeHandle: ({ status }) => status(401, 'sign in') })
      .post('/items', ({ body }) => body, { body: t.Object({ name: t.String() }) })
      .get('/fail', () => {
        throw new Error('boom')
      })
    const cases: [Request, number][] = [
      [request('/teapot'), 418],
      [request('/guarded'), 401],
      [
        request('/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
        422,
      ],
      [request('/fail'), 500],
      [request('/nothing'), 404],
    ]
    for (const [sent, status] of cases) {
      const response = await app.handle(sent)
      expect(response.status).toBe(status)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
      expect(response.headers.get('access-control-expose-headers')).toBe('x-total')
      expect(response.headers.get('vary')).toBe('Origin')
    }
  })

  it('owns Access-Control-* and merges Vary on an onError Response, a raw Response and set.headers', async () => {
    const app = new Elysia()
      .use(cors({ origin: [origin] }))
      .onError(
        ({ code }) =>
          new Response(`custom ${code}`, {
            status: 503,
            headers: { vary: 'Accept', 'access-control-allow-origin': '*' },
          }),
      )
      .get('/fail', () => {
        throw new Error('boom')
      })
      .get(
        '/raw',
        () => new Response('raw', { headers: { vary: 'Accept-Encoding', 'access-control-max-age': '1' } }),
      )
      .get('/set', ({ set }) => {
        set.headers['vary'] = 'Accept-Language'
        set.headers['access-control-allow-origin'] = '*'
        return 'set'
      })
    const failed = await app.handle(request('/fail'))
    expect(failed.status).toBe(503)
    expect(await failed.text()).toBe('custom UNKNOWN')
    expect(failed.headers.get('access-control-allow-origin')).toBe(origin)
    expect(failed.headers.get('vary')).toBe('Accept, Origin')
    const raw = await app.handle(request('/raw'))
    expect(raw.headers.get('vary')).toBe('Accept-Encoding, Origin')
    expect(raw.headers.has('access-control-max-age')).toBe(false)
    const set = await app.handle(request('/set'))
    expect(set.headers.get('vary')).toBe('Accept-Language, Origin')
    expect(set.headers.get('access-control-allow-origin')).toBe(origin)
    const refused = await app.handle(request('/set', { headers: { origin: 'https://evil.example' } }))
    expect(refused.headers.has('access-control-allow-origin')).toBe(false)
    expect(refused.headers.get('vary')).toBe('Accept-Language, Origin')
  })

  it('copies a response with immutable headers, keeping its body', async () => {
    const app = new Elysia()
      .use(cors({ origin }))
      .get('/immutable', () => fetch('data:text/plain,immutable body'))
    const response = await app.handle(request('/immutable'))
    expect(await response.text()).toBe('immutable body')
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('covers the routes of sub-apps and groups used after it', async () => {
    const api = new Elysia({ prefix: '/api' })
      .get('/items', () => [])
      .get('/fail', ({ status }) => status(409, 'conflict'))
    const app = new Elysia()
      .use(cors({ origin }))
      .use(api)
      .group('/v2', (v2) => v2.get('/items', () => []))
    for (const [path, status] of [
      ['/api/items', 200],
      ['/api/fail', 409],
      ['/v2/items', 200],
    ] as const) {
      const response = await app.handle(request(path))
      expect(response.status).toBe(status)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    }
    expect((await app.handle(preflight('/api/items', 'DELETE'))).status).toBe(204)
  })

  it('gives an origin function and onReject the context the handler then gets', async () => {
    const seen: { reason: string; context: ElysiaCorsContext }[] = []
    const handled: unknown[] = []
    const app = new Elysia()
      .state('tenant', 'acme')
      .use(
        cors({
          origin: async (_origin, context) => new URL(context.request.url).pathname.startsWith('/public'),
          onReject: ({ reason }, context) => seen.push({ reason, context }),
        }),
      )
      .get('/*', (context) => {
        handled.push(context)
        return String(context.store.tenant)
      })
    const open = await app.handle(request('/public/x'))
    expect(open.headers.get('access-control-allow-origin')).toBe(origin)
    expect(await open.text()).toBe('acme')
    const closed = await app.handle(request('/private'))
    expect(closed.headers.get('access-control-allow-origin')).toBeNull()
    expect(seen).toHaveLength(1)
    expect(seen[0]?.reason).toBe('origin-not-allowed')
    expect(seen[0]?.context).toBe(handled[1])
    expect(seen[0]?.context.store).toEqual({ tenant: 'acme' })
  })
})

describe("Elysia's plugin de-duplication", () => {
  it('never merges two cors() whose options differ only by a function or a RegExp: it fails loudly', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const [a, b] of [
      [() => true, () => false],
      [/^https:\/\/app\.example\.com$/, /^https:\/\/admin\.example\.com$/],
    ] as const) {
      const admin = new Elysia({ prefix: '/admin' }).use(cors({ origin: b })).get('/users', () => 'users')
      const app = new Elysia().use(cors({ origin: a })).use(admin)
      const response = await app.handle(request('/admin/users'))
      expect(response.status).toBe(500)
      expect(await response.text()).toContain('two CORS policies apply to this request')
    }
  })

  it('@elysiajs/cors, for comparison, silently keeps the first of two such configurations', async () => {
    const admin = new Elysia({ prefix: '/admin' })
      .use(elysiaCors({ origin: /^https:\/\/admin\.example\.com$/ }))
      .get('/users', () => 'users')
    const app = new Elysia().use(elysiaCors({ origin: /^https:\/\/app\.example\.com$/ })).use(admin)
    const response = await app.handle(
      request('/admin/users', { headers: { origin: 'https://admin.example.com' } }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).not.toBe('https://admin.example.com')
  })

  it('applies equal options, or one policy used twice, once', async () => {
    const policy = createCors<ElysiaCorsContext>({ origin })
    for (const [a, b] of [
      [cors({ origin, methods: 'GET' }), cors({ methods: ['GET'], origin: [origin] })],
      [cors(policy), cors(policy)],
    ]) {
      const sub = new Elysia().use(b!).get('/sub', () => 'sub')
      const app = new Elysia()
        .use(a!)
        .use(sub)
        .get('/main', () => 'main')
      for (const path of ['/sub', '/main']) {
        const response = await app.handle(request(path))
        expect(response.status).toBe(200)
        expect(response.headers.get('access-control-allow-origin')).toBe(origin)
        expect(response.headers.get('vary')).toBe('Origin')
      }
    }
  })
})

describe('on Node through @elysiajs/node', () => {
  it('answers preflights and decorates responses over HTTP', async () => {
    const app = new Elysia({ adapter: node() })
      .use(cors({ origin, credentials: true }))
      .post('/items', () => ({ created: true }))
      .get('/fail', ({ status }) => status(400, 'bad'))
    const port = await freePort()
    await new Promise<void>((resolve) => app.listen({ port, hostname: '127.0.0.1' }, () => resolve()))
    try {
      const base = `http://127.0.0.1:${port}`
      const answered = await fetch(`${base}/items`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      })
      expect(answered.status).toBe(204)
      expect(answered.headers.get('access-control-allow-credentials')).toBe('true')
      const created = await fetch(`${base}/items`, { method: 'POST', headers: { origin } })
      expect(await created.json()).toEqual({ created: true })
      expect(created.headers.get('access-control-allow-origin')).toBe(origin)
      const failed = await fetch(`${base}/fail`, { headers: { origin } })
      expect(failed.status).toBe(400)
      expect(failed.headers.get('access-control-allow-origin')).toBe(origin)
    } finally {
      // app.stop() goes to Elysia's web-standard adapter here (elysia 1.4.30, @elysiajs/node 1.4.5) and
      // throws "Elysia isn't running"; the server the node adapter returns closes itself.
      await app.server?.stop()
    }
  })
})

// @elysiajs/node reports the port it was asked for: port 0 would leave the real one unknown.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
    server.once('error', reject)
  })
}
