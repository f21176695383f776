import { type NextFetchEvent, NextRequest, NextResponse } from 'next/server'
import { describe, expect, it, vi } from 'vitest'
import { throughNext } from '../test/app.ts'
import { CorsConfigError, cors, createCors, withCorsRoutes } from './index.ts'

const app = 'https://app.example.com'
const event = { waitUntil() {} } as unknown as NextFetchEvent
const request = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(`http://api.test${path}`, init)
const preflight = (path: string, origin = app) =>
  request(path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } })

describe('cors(): the proxy', () => {
  it('continues the way NextResponse.next() does, with the CORS headers for Next to copy', async () => {
    const answer = await cors({ origin: [app] })(request('/api', { headers: { origin: app } }), event)
    // The header Next 15 and 16 read to continue to the route (their NextResponse.next() sets it).
    expect(answer.headers.get('x-middleware-next')).toBe(NextResponse.next().headers.get('x-middleware-next'))
    expect(answer.headers.get('access-control-allow-origin')).toBe(app)
    expect(answer.headers.get('vary')).toBe('Origin')
  })

  it('answers a preflight before the logic runs (auth never sees it)', async () => {
    const logic = vi.fn(() => new Response('unauthorized', { status: 401 }))
    const proxy = cors({ origin: [app] }, logic)
    const answer = await proxy(preflight('/api/upload'), event)
    expect(answer.status).toBe(204)
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST')
    expect((await proxy(preflight('/api/upload', 'https://evil.example'), event)).status).toBe(403)
    expect(logic).not.toHaveBeenCalled()
  })

  it('puts the decision on whatever the logic returns: its own answer, a redirect, a rewrite, next()', async () => {
    const proxy = cors({ origin: [app], exposedHeaders: ['X-Total'] }, (req) => {
      const path = req.nextUrl.pathname
      if (path === '/denied') return Response.json({ error: 'no' }, { status: 401 })
      if (path === '/old') return NextResponse.redirect(new URL('/new', req.url))
      if (path === '/immutable') return Response.redirect('http://api.test/new', 308)
      if (path === '/v1') return NextResponse.rewrite(new URL('/v2', req.url))
      if (path === '/tagged') return NextResponse.next({ headers: { 'x-tag': '1' } })
      return undefined
    })
    for (const path of ['/denied', '/old', '/immutable', '/v1', '/tagged', '/plain']) {
      const answer = await proxy(request(path, { headers: { origin: app } }), event)
      expect(answer.headers.get('access-control-allow-origin'), path).toBe(app)
      expect(answer.headers.get('access-control-expose-headers'), path).toBe('x-total')
    }
    const rewrite = await proxy(request('/v1', { headers: { origin: app } }), event)
    expect(rewrite.headers.get('x-middleware-rewrite')).toBe('http://api.test/v2')
    expect((await proxy(request('/immutable', { headers: { origin: app } }), event)).status).toBe(308)
  })

  it('turns an error thrown by the logic into a plain 500 with the CORS headers, logged; onError replaces it', async () => {
    const boom = new Error('boom')
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const answer = await cors({ origin: [app] }, () => {
        throw boom
      })(request('/x', { headers: { origin: app } }), event)
      expect(answer.status).toBe(500)
      expect(answer.headers.get('access-control-allow-origin')).toBe(app)
      expect(log).toHaveBeenCalledWith(boom)
    } finally {
      log.mockRestore()
    }
    const teapot = cors({ origin: [app], onError: () => new Response('tea', { status: 418 }) }, () => {
      throw boom
    })
    expect((await teapot(request('/x', { headers: { origin: app } }), event)).status).toBe(418)
  })

  it('gives origin functions and onReject the NextRequest', async () => {
    const seen: string[] = []
    const proxy = cors({
      origin: (_origin, req) => {
        seen.push(req.nextUrl.pathname)
        return req.nextUrl.pathname.startsWith('/public')
      },
      onReject: (_rejection, req) => seen.push(`refused ${req.nextUrl.pathname}`),
    })
    await proxy(request('/public/a', { headers: { origin: app } }), event)
    await proxy(request('/private', { headers: { origin: app } }), event)
    expect(seen).toEqual(['/public/a', '/private', 'refused /private'])
  })

  it('validates the options when it is called', () => {
    expect(() => cors({ origin: '*', credentials: true } as never)).toThrow(CorsConfigError)
    expect(() => withCorsRoutes({ GET: () => new Response() }, { origin: 'https://a.example/' })).toThrow(
      CorsConfigError,
    )
  })
})

describe('withCorsRoutes: route files', () => {
  it('shares one createCors policy with the proxy; update() reaches both', async () => {
    const policy = createCors<NextRequest>({ origin: ['https://a.example'] })
    const proxy = cors(policy)
    const { GET } = withCorsRoutes({ GET: () => new Response('ok') }, policy)
    const from = (origin: string) => request('/x', { headers: { origin } })
    policy.update({ origin: ['https://b.example'] })
    expect((await proxy(from('https://b.example'), event)).headers.get('access-control-allow-origin')).toBe(
      'https://b.example',
    )
    expect((await GET(from('https://b.example'))).headers.get('access-control-allow-origin')).toBe(
      'https://b.example',
    )
  })

  it('passes the route context on, and answers a thrown error with a 500 that has the CORS headers', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { GET, POST } = withCorsRoutes(
        {
          GET: async (_req: NextRequest, ctx: { params: Promise<{ id: string }> }) =>
            Response.json(await ctx.params),
          POST: () => {
            throw new Error('boom')
          },
        },
        { origin: [app] },
      )
      const got = await GET(request('/items/7', { headers: { origin: app } }), {
        params: Promise.resolve({ id: '7' }),
      })
      expect(await got.json()).toEqual({ id: '7' })
      const failed = await POST(request('/items', { method: 'POST', headers: { origin: app } }))
      expect(failed.status).toBe(500)
      expect(failed.headers.get('access-control-allow-origin')).toBe(app)
    } finally {
      log.mockRestore()
    }
  })
})

describe('a path covered by the proxy and a withCorsRoutes route file (composed as next start does)', () => {
  const upstream = () =>
    new Response('ok', { headers: { 'access-control-allow-origin': '*', 'access-control-max-age': '1' } })

  it('with one shared policy, the response carries that policy once, the upstream headers replaced', async () => {
    const policy = createCors<NextRequest>({ origin: [app], credentials: true })
    const { GET } = withCorsRoutes({ GET: upstream }, policy)
    const allowed = await throughNext(cors(policy), GET, request('/x', { headers: { origin: app } }))
    expect(allowed.headers.get('access-control-allow-origin')).toBe(app)
    expect(allowed.headers.get('access-control-max-age')).toBeNull()
    expect(allowed.headers.get('vary')).toBe('Origin, Origin')
    const refused = await throughNext(
      cors(policy),
      GET,
      request('/x', { headers: { origin: 'https://evil.example' } }),
    )
    expect([...refused.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([])
  })

  it("with two policies, the proxy's headers win where both set one (the README says: one per path)", async () => {
    const { GET } = withCorsRoutes({ GET: upstream }, { origin: '*' })
    const proxy = cors({ origin: [app], credentials: true })
    const answer = await throughNext(proxy, GET, request('/x', { headers: { origin: app } }))
    expect(answer.headers.get('access-control-allow-origin')).toBe(app)
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true')
    // The preflight never reaches the route file: the proxy answers it.
    const preflighted = await throughNext(proxy, GET, preflight('/x'))
    expect(preflighted.headers.get('access-control-allow-origin')).toBe(app)
  })
})
