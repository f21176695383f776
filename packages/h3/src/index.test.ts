import { initFrom, preflightInit } from '@cors/conformance'
import { createCors } from '@cors/core'
import { defineHandler, H3, type H3Event, HTTPError, onError } from 'h3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CorsConfigError, cors } from './index.ts'

const origin = 'https://app.example.com'
const fromOrigin = (init?: RequestInit): RequestInit => initFrom(origin, init)
const preflightFrom = (method = 'PUT', requestHeaders?: string): RequestInit =>
  preflightInit(origin, method, requestHeaders)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('cors', () => {
  it('validates the options when it is called, not on the first request', () => {
    expect(() => cors({ origin: '*', credentials: true } as never)).toThrow(CorsConfigError)
    expect(() => cors((() => ({})) as never)).toThrow(CorsConfigError)
  })

  it("points handleCors's option names to ours", () => {
    const error = (() => {
      try {
        cors({ methods: ['GET'], allowHeaders: ['Content-Type'] } as never)
      } catch (thrown) {
        return thrown
      }
    })()
    expect(error).toBeInstanceOf(CorsConfigError)
    expect((error as CorsConfigError).issues[0]?.hint).toContain('allowedHeaders')
  })

  it('answers the preflight of a POST-only route before routing, and never calls the route', async () => {
    const calls: string[] = []
    const app = new H3().use(cors({ origin, maxAge: 60 }))
    app.post('/items', () => {
      calls.push('post')
      return { created: true }
    })
    const preflight = await app.request('/items', preflightFrom('POST', 'content-type'))
    expect(preflight.status).toBe(204)
    expect(await preflight.text()).toBe('')
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type')
    expect(preflight.headers.get('access-control-max-age')).toBe('60')
    expect(calls).toEqual([])
    const post = await app.request('/items', fromOrigin({ method: 'POST' }))
    expect(post.status).toBe(200)
    expect(post.headers.get('access-control-allow-origin')).toBe(origin)
    expect(calls).toEqual(['post'])
  })

  it("keeps the CORS headers on a thrown HTTPError, merging the error's own headers and Vary", async () => {
    const app = new H3({ silent: true }).use(cors({ origin, exposedHeaders: 'X-Request-Id' }))
    app.get('/teapot', () => {
      throw new HTTPError({ status: 418, message: 'teapot', headers: { vary: 'Accept', 'x-kind': 'tea' } })
    })
    const response = await app.request('/teapot', fromOrigin())
    expect(response.status).toBe(418)
    expect(((await response.json()) as { message: string }).message).toBe('teapot')
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id')
    expect(response.headers.get('x-kind')).toBe('tea')
    expect(response.headers.get('vary')).toBe('Accept, Origin')
  })

  it("keeps the CORS headers on the Response of the app's onError, called once", async () => {
    const seen: number[] = []
    const app = new H3({
      onError: (error) => {
        seen.push(error.status)
        return new Response(`custom ${error.status}`, { status: error.status, headers: { vary: 'Accept' } })
      },
    }).use(cors({ origin }))
    app.get('/fail', () => {
      throw new Error('boom')
    })
    const failed = await app.request('/fail', fromOrigin())
    expect(failed.status).toBe(500)
    expect(await failed.text()).toBe('custom 500')
    expect(failed.headers.get('access-control-allow-origin')).toBe(origin)
    expect(failed.headers.get('vary')).toBe('Accept, Origin')
    const missing = await app.request('/missing', fromOrigin())
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('custom 404')
    expect(missing.headers.get('access-control-allow-origin')).toBe(origin)
    expect(seen).toEqual([500, 404])
  })

  it("keeps the CORS headers on h3's own 404 and on an onError() middleware's answer", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const app = new H3()
      .use(cors({ origin }))
      .use(onError((error) => Response.json({ failed: error.message }, { status: 503 })))
    app.get('/fail', () => {
      throw new Error('boom')
    })
    const failed = await app.request('/fail', fromOrigin())
    expect(failed.status).toBe(503)
    expect(await failed.json()).toEqual({ failed: 'boom' })
    expect(failed.headers.get('access-control-allow-origin')).toBe(origin)
    const missing = await new H3().use(cors({ origin })).request('/nowhere', fromOrigin())
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe(origin)
    expect(missing.headers.get('vary')).toBe('Origin')
  })

  it("calls the app's onResponse once, with the CORS headers already on the response", async () => {
    const seen: (string | null)[] = []
    const app = new H3({
      onResponse: (response) => void seen.push(response.headers.get('access-control-allow-origin')),
    })
    app.use(cors({ origin }))
    app.get('/', () => 'ok')
    expect((await app.request('/', fromOrigin())).status).toBe(200)
    expect((await app.request('/', preflightFrom())).status).toBe(204)
    expect(seen).toEqual([origin, origin])
  })

  it('merges Vary with headers an earlier middleware prepared on event.res, preflights included', async () => {
    const app = new H3()
      .use((event) => {
        event.res.headers.set('vary', 'Accept-Encoding')
        event.res.headers.set('x-request-id', 'r-1')
      })
      .use(cors({ origin }))
    app.get('/', () => ({ ok: true }))
    const preflight = await app.request('/', preflightFrom('PUT', 'x-a'))
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('x-request-id')).toBe('r-1')
    expect(preflight.headers.get('vary')).toBe(
      'Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    )
    const actual = await app.request('/', fromOrigin())
    expect(actual.headers.get('vary')).toBe('Accept-Encoding, Origin')
    expect(await actual.json()).toEqual({ ok: true })
  })

  it('applies only to the paths it is registered for, routed or not', async () => {
    const app = new H3().use('/api/**', cors({ origin, maxAge: 60 }))
    app.get('/api/items', () => [])
    app.get('/page', () => 'page')
    expect((await app.request('/api/items', fromOrigin())).headers.get('access-control-allow-origin')).toBe(
      origin,
    )
    const page = await app.request('/page', fromOrigin())
    expect(page.headers.get('access-control-allow-origin')).toBeNull()
    const unrouted = await app.request('/api/nothing/here', preflightFrom())
    expect(unrouted.status).toBe(204)
    expect(unrouted.headers.get('access-control-max-age')).toBe('60')
    const outside = await app.request('/page', preflightFrom())
    expect(outside.status).toBe(404)
    expect(outside.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('on one route: app.use(path, cors()) covers its preflight; route middleware only its own method', async () => {
    const app = new H3().use('/one', cors({ origin }))
    app.post('/one', () => 'one')
    app.post('/two', () => 'two', { middleware: [cors({ origin })] })
    const one = await app.request('/one', preflightFrom('POST'))
    expect(one.status).toBe(204)
    expect(one.headers.get('access-control-allow-origin')).toBe(origin)
    const two = await app.request('/two', fromOrigin({ method: 'POST' }))
    expect(two.headers.get('access-control-allow-origin')).toBe(origin)
    // A route's own middleware runs only when the route matches: OPTIONS never reaches a POST route.
    expect((await app.request('/two', preflightFrom('POST'))).status).toBe(404)
  })

  it('works in a handler defined with defineHandler({ middleware })', async () => {
    const app = new H3()
    app.all('/handler', defineHandler({ middleware: [cors({ origin })], handler: () => 'handled' }))
    const preflight = await app.request('/handler', preflightFrom())
    expect(preflight.status).toBe(204)
    const actual = await app.request('/handler', fromOrigin())
    expect(await actual.text()).toBe('handled')
    expect(actual.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it("covers a mounted sub-app's routes, its 404s and its errors", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const api = new H3().use(cors({ origin }))
    api.get('/items', () => [])
    api.get('/fail', () => {
      throw new Error('boom')
    })
    const app = new H3().mount('/api', api)
    app.get('/', () => 'home')
    for (const [path, status] of [
      ['/api/items', 200],
      ['/api/fail', 500],
      ['/api/nothing', 404],
    ] as const) {
      const response = await app.request(path, fromOrigin())
      expect(response.status).toBe(status)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    }
    expect((await app.request('/', fromOrigin())).headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses two different policies on one request; the same policy, or equal options, works once', async () => {
    const errors: unknown[] = []
    const app = new H3({ silent: true, onError: (error) => void errors.push(error.cause) })
      .use(cors({ origin }))
      .use('/admin/**', cors({ origin: 'https://admin.example' }))
    app.get('/admin/users', () => 'users')
    const response = await app.request('/admin/users', fromOrigin())
    expect(response.status).toBe(500)
    expect(String(errors[0])).toContain('two CORS policies apply to this request')
    const policy = createCors<H3Event>({ origin })
    // One policy object twice, or two cors() with equal options (here written differently): one policy.
    for (const [a, b] of [
      [cors(policy), cors(policy)],
      [cors({ origin, methods: 'GET' }), cors({ methods: ['GET'], origin: [origin] })],
    ]) {
      const shared = new H3().use(a!).use('/admin/**', b!)
      shared.get('/admin/users', () => 'users')
      const ok = await shared.request('/admin/users', fromOrigin())
      expect(await ok.text()).toBe('users')
      expect(ok.headers.get('access-control-allow-origin')).toBe(origin)
      expect(ok.headers.get('vary')).toBe('Origin')
    }
  })

  it('gives an origin function, onReject and the route the same H3Event', async () => {
    const events: H3Event[] = []
    const rejected: { reason: string; event: H3Event }[] = []
    const app = new H3()
      .use((event) => {
        events.push(event)
        event.context['tenant'] = 'acme'
      })
      .use(
        cors({
          origin: async (_origin, event) => event.url.pathname.startsWith('/public'),
          onReject: ({ reason }, event) => rejected.push({ reason, event }),
        }),
      )
    app.get('/**', (event) => String(event.context['tenant']))
    const open = await app.request('/public/x', fromOrigin())
    expect(open.headers.get('access-control-allow-origin')).toBe(origin)
    expect(await open.text()).toBe('acme')
    const closed = await app.request('/private', fromOrigin())
    expect(closed.headers.get('access-control-allow-origin')).toBeNull()
    expect(rejected).toEqual([{ reason: 'origin-not-allowed', event: events[1] }])
  })

  it('owns the Access-Control-* headers a handler set, and copies immutable responses', async () => {
    const app = new H3().use(cors({ origin: [origin] }))
    app.get('/own', (event) => {
      event.res.headers.set('access-control-allow-origin', '*')
      event.res.headers.set('access-control-expose-headers', 'x-secret')
      return 'ok'
    })
    app.get('/immutable', () => fetch('data:text/plain,immutable body'))
    const own = await app.request('/own', fromOrigin())
    expect(own.headers.get('access-control-allow-origin')).toBe(origin)
    expect(own.headers.has('access-control-expose-headers')).toBe(false)
    const refused = await app.request('/own', { headers: { origin: 'https://evil.example' } })
    expect(refused.headers.has('access-control-allow-origin')).toBe(false)
    const immutable = await app.request('/immutable', fromOrigin())
    expect(await immutable.text()).toBe('immutable body')
    expect(immutable.headers.get('access-control-allow-origin')).toBe(origin)
    expect(immutable.headers.get('content-type')).toBe('text/plain')
  })

  it('adds the headers to HEAD responses and keeps a returned Response object', async () => {
    const original = new Response('ok', { headers: { 'x-app': '1' } })
    const app = new H3().use(cors({ origin }))
    app.get('/', () => original)
    const head = await app.request('/', fromOrigin({ method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(head.headers.get('access-control-allow-origin')).toBe(origin)
    expect(await head.text()).toBe('')
    const get = await app.request('/', fromOrigin())
    expect(get).toBe(original)
    expect(get.headers.get('x-app')).toBe('1')
  })

  it('hands h3 a Response it accepts after another library replaced the global Response', async () => {
    // What @hono/node-server does in a process that also serves h3 (the playground does both).
    const original = globalThis.Response
    globalThis.Response = class Replaced extends original {}
    try {
      const app = new H3().use(cors({ origin }))
      app.get('/json', () => ({ ok: true }))
      const response = await app.request('/json', fromOrigin())
      expect(await response.json()).toEqual({ ok: true })
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    } finally {
      globalThis.Response = original
    }
  })
})
