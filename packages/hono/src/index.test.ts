import { createServer, type Server } from 'node:http'
import { describeAdversarial, describeConformance, initFrom, preflightInit } from '@cors/conformance'
import { type CorsOptions, createCors } from '@cors/core'
import { type Context, Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { makeClient } from '../test/app.ts'
import { CorsConfigError, cors } from './index.ts'

// Hono's default error handler logs the error of the /throw route; keep the test output clean.
beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterAll(() => {
  vi.restoreAllMocks()
})

for (const style of ['context', 'raw'] as const) {
  const name = `@cors/hono (${style === 'raw' ? 'raw Response' : 'c.text/c.json'} handlers)`
  describeConformance(name, makeClient(style))
  // app.request has no socket: no header size limit in front of the middleware.
  describeAdversarial(name, makeClient(style))
}

const origin = 'https://app.example.com'
const fromOrigin = (init?: RequestInit): RequestInit => initFrom(origin, init)
const preflightFrom = (method = 'PUT', requestHeaders?: string): RequestInit =>
  preflightInit(origin, method, requestHeaders)

describe('cors', () => {
  it('validates the options when it is called, not on the first request', () => {
    expect(() => cors({ origin: '*', credentials: true } as never)).toThrow(CorsConfigError)
  })

  it("points hono/cors's option names to ours", () => {
    const error = (() => {
      try {
        cors({ allowHeaders: ['Content-Type'] } as never)
      } catch (thrown) {
        return thrown
      }
    })()
    expect(error).toBeInstanceOf(CorsConfigError)
    expect((error as CorsConfigError).issues[0]?.hint).toContain('allowedHeaders')
  })

  it('keeps the CORS headers on the response of a custom app.onError', async () => {
    const app = new Hono()
    app.use('*', cors({ origin, exposedHeaders: 'X-Request-Id' }))
    app.get('/json', () => {
      throw new Error('boom')
    })
    app.get('/http', () => {
      throw new HTTPException(418, { message: 'teapot' })
    })
    app.onError((error, c) =>
      error instanceof HTTPException ? error.getResponse() : c.json({ error: error.message }, 503),
    )
    const json = await app.request('/json', fromOrigin())
    expect(json.status).toBe(503)
    expect(await json.json()).toEqual({ error: 'boom' })
    expect(json.headers.get('access-control-allow-origin')).toBe(origin)
    expect(json.headers.get('access-control-expose-headers')).toBe('x-request-id')
    const http = await app.request('/http', fromOrigin())
    expect(http.status).toBe(418)
    expect(await http.text()).toBe('teapot')
    expect(http.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it("keeps the CORS headers on a sub-app's own onError response", async () => {
    const api = new Hono()
    api.get('/fail', () => {
      throw new Error('boom')
    })
    api.onError((_error, c) => c.text('api failed', 502))
    const app = new Hono()
    app.use('*', cors({ origin }))
    app.route('/api', api)
    const response = await app.request('/api/fail', fromOrigin())
    expect(response.status).toBe(502)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('keeps the CORS headers on the response of a custom app.notFound, and answers preflights first', async () => {
    const app = new Hono()
    app.use('*', cors({ origin }))
    app.get('/known', (c) => c.notFound())
    app.notFound(() => new Response('nothing here', { status: 404, headers: { vary: 'Accept' } }))
    for (const path of ['/known', '/unknown']) {
      const response = await app.request(path, fromOrigin())
      expect(response.status).toBe(404)
      expect(await response.text()).toBe('nothing here')
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
      expect(response.headers.get('vary')).toBe('Accept, Origin')
    }
    const preflight = await app.request('/unknown', preflightFrom())
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('applies only to the paths it is registered for, routed or not', async () => {
    const app = new Hono()
    app.use('/api/*', cors({ origin, maxAge: 60 }))
    app.get('/api/items', (c) => c.json([]))
    app.get('/page', (c) => c.text('page'))
    const api = await app.request('/api/items', fromOrigin())
    expect(api.headers.get('access-control-allow-origin')).toBe(origin)
    const page = await app.request('/page', fromOrigin())
    expect(page.status).toBe(200)
    expect(page.headers.get('access-control-allow-origin')).toBeNull()
    // Middleware runs for every path its pattern matches, even one without a route: the preflight is answered.
    const unrouted = await app.request('/api/nothing/here', preflightFrom())
    expect(unrouted.status).toBe(204)
    expect(unrouted.headers.get('access-control-max-age')).toBe('60')
    // Outside the pattern nothing answers the OPTIONS request: Hono's 404, without CORS headers.
    const outside = await app.request('/page', preflightFrom())
    expect(outside.status).toBe(404)
    expect(outside.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('lets two scopes have two policies', async () => {
    const app = new Hono()
    app.use('/public/*', cors())
    app.use('/api/*', cors({ origin, credentials: true }))
    app.get('/public/logo', (c) => c.text('logo'))
    app.get('/api/me', (c) => c.json({ name: 'me' }))
    const logo = await app.request('/public/logo', fromOrigin())
    expect(logo.headers.get('access-control-allow-origin')).toBe('*')
    expect(logo.headers.get('vary')).toBeNull()
    const me = await app.request('/api/me', fromOrigin())
    expect(me.headers.get('access-control-allow-origin')).toBe(origin)
    expect(me.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('gives onReject the rejection and the Hono Context', async () => {
    type AppEnv = { Variables: { requestId: string } }
    const contexts: Context<AppEnv>[] = []
    const seen: { reason: string; kind: string; context: Context<AppEnv>; requestId: string }[] = []
    const app = new Hono<AppEnv>()
    app.use('*', async (c, next) => {
      contexts.push(c)
      c.set('requestId', `r-${contexts.length}`)
      await next()
    })
    app.use(
      '*',
      cors<AppEnv>({
        origin: 'https://other.example',
        onReject: ({ reason, kind }, c) =>
          seen.push({ reason, kind, context: c, requestId: c.var.requestId }),
      }),
    )
    app.get('/ok', (c) => c.text('ok'))
    expect((await app.request('/ok', fromOrigin())).status).toBe(200)
    expect((await app.request('/ok', preflightFrom())).status).toBe(403)
    expect(seen).toEqual([
      { reason: 'origin-not-allowed', kind: 'actual', context: contexts[0], requestId: 'r-1' },
      { reason: 'origin-not-allowed', kind: 'preflight', context: contexts[1], requestId: 'r-2' },
    ])
    expect(seen[0]?.context).toBe(contexts[0])
  })

  it('gives an origin function the Hono Context', async () => {
    const app = new Hono()
    app.use('*', cors({ origin: (_origin, c) => c.req.path.startsWith('/public') }))
    app.get('*', (c) => c.text('ok'))
    const open = await app.request('/public/x', fromOrigin())
    expect(open.headers.get('access-control-allow-origin')).toBe(origin)
    const closed = await app.request('/private', fromOrigin())
    expect(closed.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('keeps the Response object a handler returns and changes its headers in place', async () => {
    const original = new Response('ok', { headers: { 'x-app': '1' } })
    const app = new Hono()
    app.use('*', cors({ origin }))
    app.get('/', () => original)
    const response = await app.request('/', fromOrigin())
    expect(response).toBe(original)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('x-app')).toBe('1')
  })

  it('copies a response with immutable headers, keeping its status, headers and body', async () => {
    const app = new Hono()
    app.use('*', cors({ origin }))
    app.get('/', () => fetch('data:text/plain,immutable body'))
    const response = await app.request('/', fromOrigin())
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('vary')).toBe('Origin')
    expect(await response.text()).toBe('immutable body')
  })

  it('leaves a WebSocket upgrade response with immutable headers as it is', async () => {
    // What Deno.upgradeWebSocket returns: status 101 and immutable headers. Node cannot build a 101
    // Response, so a fetch() response (immutable headers) stands in, with its status overridden.
    const upgrade = await fetch('data:text/plain,')
    Object.defineProperty(upgrade, 'status', { value: 101 })
    const app = new Hono()
    app.use('*', cors({ origin }))
    app.get('/ws', () => upgrade)
    const response = await app.request('/ws', fromOrigin({ headers: { upgrade: 'websocket' } }))
    expect(response).toBe(upgrade)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('merges the preflight Vary with headers an earlier middleware prepared', async () => {
    const app = new Hono()
    app.use('*', async (c, next) => {
      c.header('Vary', 'Accept-Encoding')
      c.header('X-Request-Id', 'r-1')
      await next()
    })
    app.use('*', cors({ origin }))
    const response = await app.request('/anything', preflightFrom('PUT', 'x-a'))
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    expect(response.headers.get('x-request-id')).toBe('r-1')
    expect(response.headers.get('vary')).toBe(
      'Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    )
  })

  it('adds the headers to HEAD responses', async () => {
    const app = new Hono()
    app.use('*', cors({ origin }))
    app.get('/', (c) => c.text('ok'))
    const response = await app.request('/', fromOrigin({ method: 'HEAD' }))
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('leaves a response alone when the policy has nothing to add (CORS off)', async () => {
    const original = new Response('ok')
    const app = new Hono()
    app.use('*', cors({ origin: false }))
    app.get('/', () => original)
    const response = await app.request('/')
    expect(response).toBe(original)
    expect([...response.headers.keys()]).toEqual(['content-type'])
  })
})

describe('proxies, scopes and option shapes', () => {
  const app = 'https://app.example.com'
  let upstream: Server
  let upstreamUrl = ''
  beforeAll(async () => {
    upstream = createServer((_req, res) => {
      res.setHeader('access-control-allow-origin', '*')
      res.setHeader('access-control-expose-headers', 'x-secret')
      res.setHeader('vary', 'Accept-Encoding')
      res.end('upstream')
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const address = upstream.address()
    upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`
  })
  afterAll(() => upstream.close())

  const proxy = (options: CorsOptions) => {
    const hono = new Hono()
    hono.use('*', cors(options))
    hono.get('/proxy', () => fetch(upstreamUrl))
    return hono
  }

  it("a proxied fetch() response keeps the policy's headers and Vary: Origin, never the upstream's", async () => {
    const response = await proxy({ origin: [app] }).request('/proxy', { headers: { origin: app } })
    expect(await response.text()).toBe('upstream')
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
    expect(response.headers.has('access-control-expose-headers')).toBe(false)
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Origin')
  })

  it("a refused origin gets none of the upstream's Access-Control-* headers", async () => {
    const response = await proxy({ origin: [app] }).request('/proxy', {
      headers: { origin: 'https://evil.example' },
    })
    expect(response.headers.has('access-control-allow-origin')).toBe(false)
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Origin')
  })

  it('with two matching scopes, the last one decides and the other stands aside', async () => {
    const hono = new Hono()
    hono.use('*', cors({ origin: 'https://public.example' }))
    hono.use('/admin/*', cors({ origin: 'https://admin.example', methods: ['DELETE'] }))
    hono.delete('/admin/users', (c) => c.text('deleted'))
    hono.get('/public', (c) => c.text('public'))
    const preflight = (path: string, origin: string) =>
      hono.request(path, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'DELETE' },
      })
    expect((await preflight('/admin/users', 'https://public.example')).status).toBe(403)
    const admin = await preflight('/admin/users', 'https://admin.example')
    expect(admin.status).toBe(204)
    expect(admin.headers.get('access-control-allow-methods')).toBe('DELETE')
    const actual = await hono.request('/admin/users', {
      method: 'DELETE',
      headers: { origin: 'https://public.example' },
    })
    expect(actual.headers.has('access-control-allow-origin')).toBe(false)
    const outer = await hono.request('/public', { headers: { origin: 'https://public.example' } })
    expect(outer.headers.get('access-control-allow-origin')).toBe('https://public.example')
  })

  it('a later cors() behind a route still governs that route: the first to run applies its policy', async () => {
    // Issue 18.4: B comes after the route's handler and never runs; A used to defer to it, so no policy
    // ran (a cross-site POST reached the handler, allowed origins got no CORS headers).
    const hono = new Hono()
    let reached = 0
    hono.use('*', cors({ origin: 'https://public.example', crossOriginProtection: true }))
    hono.post('/admin/users', (c) => {
      reached++
      return c.text('created')
    })
    hono.use('/admin/*', cors({ origin: 'https://admin.example', crossOriginProtection: true }))
    const post = (origin: string, site: string) =>
      hono.request('/admin/users', { method: 'POST', headers: { origin, 'sec-fetch-site': site } })

    expect((await post('https://evil.example', 'cross-site')).status).toBe(403)
    expect((await post('https://public.example', 'cross-site')).status).toBe(403)
    expect(reached).toBe(0)
    const admin = await post('https://admin.example', 'cross-site')
    expect(admin.status).toBe(200)
    expect(admin.headers.get('access-control-allow-origin')).toBe('https://admin.example')
    expect(reached).toBe(1)
    // The preflight (no method route matches it) is governed by the same policy.
    const preflight = await hono.request('/admin/users', {
      method: 'OPTIONS',
      headers: { origin: 'https://admin.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://admin.example')
  })

  it('exactly one policy decides each request, whatever the registration order', async () => {
    const asked: string[] = []
    const policy = (name: string, allowed: string) =>
      cors({
        origin: (origin: string) => {
          asked.push(name)
          return origin === allowed
        },
      })
    const a = () => policy('A', 'https://a.example')
    const b = () => policy('B', 'https://b.example')
    const route = (hono: Hono) => hono.get('/x/y', (c) => c.text('y'))
    // [registration, the policy that governs /x/y]: the last matching cors() in Hono's order, even when
    // the route comes between the two and the last one never runs.
    const setups: [(hono: Hono) => unknown, string][] = [
      [(hono) => route(hono.use('*', a()).use('/x/*', b())), 'B'],
      [(hono) => route(hono.use('/x/*', b()).use('*', a())), 'A'],
      [(hono) => route(hono.use('*', a())).use('/x/*', b()), 'B'],
      [(hono) => route(hono.use('/x/*', b())).use('*', a()), 'A'],
    ]
    for (const [register, last] of setups) {
      const hono = new Hono()
      register(hono)
      const origin = `https://${last.toLowerCase()}.example`
      asked.length = 0
      const response = await hono.request('/x/y', { headers: { origin } })
      expect(asked).toEqual([last])
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    }
  })

  it.each([
    ['a function (an options factory)', () => ({ origin: '*' })],
    ['null', null],
    ['a string', app],
  ])('refuses %s as options with a CorsConfigError', (_, options) => {
    expect(() => cors(options as CorsOptions)).toThrow(CorsConfigError)
  })

  it('accepts a policy from createCors in place of options', async () => {
    const hono = new Hono()
    hono.use('*', cors(createCors<Context>({ origin: app })))
    hono.get('/', (c) => c.text('ok'))
    const response = await hono.request('/', { headers: { origin: app } })
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
  })
})
