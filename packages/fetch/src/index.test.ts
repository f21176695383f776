import { describeAdversarial, describeConformance } from '@cors/conformance'
import { createCors } from '@cors/core'
import { describe, expect, it, vi } from 'vitest'
import { makeClient } from '../test/app.ts'
import { CorsConfigError, type FetchCorsOptions, withCors, withCorsRoutes } from './index.ts'

describeConformance('@cors/fetch', makeClient)
// A direct handler call has no socket: no header size limit in front of withCors.
describeAdversarial('@cors/fetch', makeClient)

const origin = 'https://app.example.com'
const get = (path = '/', init: RequestInit = {}) =>
  new Request(`http://api.test${path}`, { ...init, headers: { origin, ...(init.headers as object) } })

describe('withCors', () => {
  it('validates the options when it is called, not on the first request', () => {
    expect(() => withCors(() => new Response('ok'), { origin: '*', credentials: true } as never)).toThrow(
      CorsConfigError,
    )
  })

  it('answers a thrown error with a plain 500 that carries the CORS headers, and logs it', async () => {
    const boom = new Error('boom')
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const handler = withCors(
        () => {
          throw boom
        },
        { origin },
      )
      const response = await handler(get())
      expect(response.status).toBe(500)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
      expect(log).toHaveBeenCalledWith(boom)
    } finally {
      log.mockRestore()
    }
  })

  it('lets onError replace the default 500, and re-throw', async () => {
    const boom = new Error('boom')
    const throwing = () => {
      throw boom
    }
    const teapot = withCors(throwing, { onError: () => new Response('tea', { status: 418 }) })
    expect((await teapot(get())).status).toBe(418)
    const rethrow = withCors(throwing, {
      onError: (error) => {
        throw error
      },
    })
    await expect(rethrow(get())).rejects.toBe(boom)
  })

  it.each([
    ['a function (an options factory)', () => ({ origin: '*' })],
    ['null', null],
    ['a string', 'https://app.example.com'],
    ['an array', [origin]],
  ])('refuses %s as options with a CorsConfigError', (_, options) => {
    expect(() => withCors(() => new Response('ok'), options as FetchCorsOptions)).toThrow(CorsConfigError)
  })

  it('accepts a policy from createCors in place of options, shared by two handlers', async () => {
    const policy = createCors<Request>({ origin: 'https://a.example' })
    const one = withCors(() => new Response('1'), policy)
    const two = withCors(() => new Response('2'), policy)
    const from = (o: string) => new Request('http://api.test/', { headers: { origin: o } })
    expect((await one(from('https://a.example'))).headers.get('access-control-allow-origin')).toBe(
      'https://a.example',
    )
    policy.update({ origin: 'https://b.example' })
    expect((await two(from('https://a.example'))).headers.get('access-control-allow-origin')).toBeNull()
    expect((await one(from('https://b.example'))).headers.get('access-control-allow-origin')).toBe(
      'https://b.example',
    )
  })

  it('reads Workers env in an origin function by creating the handler once per env (documented pattern)', async () => {
    type Env = { ALLOWED_ORIGINS: string }
    let cached: ((request: Request, env: Env) => Promise<Response>) | undefined
    const worker = {
      fetch(request: Request, env: Env) {
        cached ??= withCors<[Env]>(() => new Response('ok'), { origin: env.ALLOWED_ORIGINS.split(',') })
        return cached(request, env)
      },
    }
    const response = await worker.fetch(get(), { ALLOWED_ORIGINS: `${origin},https://b.example` })
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('passes extra arguments (Workers env and ctx) through', async () => {
    const inner = vi.fn(
      (_request: Request, env: { name: string }, _ctx: { waitUntil(): void }) => new Response(env.name),
    )
    const handler = withCors(inner)
    const ctx = { waitUntil() {} }
    const response = await handler(get(), { name: 'env' }, ctx)
    expect(await response.text()).toBe('env')
    expect(inner.mock.calls[0]?.[2]).toBe(ctx)
  })

  it('passes through the undefined a Bun handler returns after server.upgrade()', async () => {
    const handler = withCors((() => undefined) as unknown as () => Response)
    expect(await handler(get())).toBeUndefined()
  })

  it('keeps a mutable response object and decorates it in place', async () => {
    const original = new Response('ok')
    const response = await withCors(() => original)(get())
    expect(response).toBe(original)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('re-wraps a response with immutable headers without buffering its stream', async () => {
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new TextEncoder().encode(`chunk${pulled}`))
        if (pulled === 3) controller.close()
      },
    })
    const immutable = Response.redirect('http://api.test/elsewhere', 302)
    const streaming = new Response(stream)
    const handler = withCors((request) =>
      new URL(request.url).pathname === '/redirect' ? immutable : streaming,
    )
    const redirected = await handler(get('/redirect'))
    expect(redirected).not.toBe(immutable)
    expect(redirected.status).toBe(302)
    expect(redirected.headers.get('location')).toBe('http://api.test/elsewhere')
    expect(redirected.headers.get('access-control-allow-origin')).toBe('*')
    const streamed = await handler(get('/stream'))
    expect(pulled).toBeLessThan(3)
    expect(await streamed.text()).toBe('chunk1chunk2chunk3')
  })

  it('returns a WebSocket upgrade with immutable headers as it is', async () => {
    // Deno and Workers answer an upgrade with status 101 and immutable headers; Node cannot build a
    // 101 Response, so a fetch() response (immutable headers) stands in with its status overridden.
    const upgrade = await fetch('data:text/plain,')
    Object.defineProperty(upgrade, 'status', { value: 101 })
    const response = await withCors(() => upgrade)(get('/ws', { headers: { upgrade: 'websocket' } }))
    expect(response).toBe(upgrade)
  })

  it('calls onReject with the decision and the Request', async () => {
    const onReject = vi.fn()
    const handler = withCors(() => new Response('ok'), { origin: 'https://other.example', onReject })
    const request = get()
    await handler(request)
    expect(onReject).toHaveBeenCalledTimes(1)
    expect(onReject.mock.calls[0]?.[0]).toMatchObject({ allowed: false, reason: 'origin-not-allowed' })
    expect(onReject.mock.calls[0]?.[1]).toBe(request)
  })

  it('gives the origin function the Request', async () => {
    const handler = withCors(() => new Response('ok'), {
      origin: (_origin, request) => new URL(request.url).pathname.startsWith('/public'),
    })
    expect((await handler(get('/public/x'))).headers.get('access-control-allow-origin')).toBe(origin)
    expect((await handler(get('/private'))).headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('withCorsRoutes (Next.js App Router route handlers)', () => {
  const routes = withCorsRoutes(
    { GET: () => Response.json([1]), POST: () => new Response(null, { status: 201 }) },
    { origin, methods: ['GET', 'POST'] },
  )
  const preflightTo = (method: string) =>
    new Request('http://api.test/todos', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method },
    })

  it('wraps every exported method with the one policy', async () => {
    expect((await routes.GET!(get('/todos'))).headers.get('access-control-allow-origin')).toBe(origin)
    const created = await routes.POST!(get('/todos', { method: 'POST' }))
    expect(created.status).toBe(201)
    expect(created.headers.get('access-control-allow-origin')).toBe(origin)
    expect('PUT' in routes).toBe(false)
  })

  it('adds an OPTIONS export that answers preflights', async () => {
    const answer = await routes.OPTIONS(preflightTo('POST'))
    expect(answer.status).toBe(204)
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET, POST')
    const refused = await routes.OPTIONS(
      new Request('http://api.test/todos', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      }),
    )
    expect(refused.status).toBe(403)
  })

  it('answers an OPTIONS request that is not a preflight with 204 and Allow, or your own OPTIONS', async () => {
    const plain = await routes.OPTIONS(new Request('http://api.test/todos', { method: 'OPTIONS' }))
    expect(plain.status).toBe(204)
    expect(plain.headers.get('allow')).toBe('OPTIONS, GET, POST')
    const own = withCorsRoutes({ OPTIONS: () => new Response('mine') }, { origin })
    expect(await (await own.OPTIONS(new Request('http://api.test/', { method: 'OPTIONS' }))).text()).toBe(
      'mine',
    )
  })
})
