import { describeAdversarial, describeConformance } from '@cors/conformance'
import { createCors } from '@cors/core'
import Router from '@koa/router'
import Koa, { type Context, type Middleware } from 'koa'
import supertest from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { type Headers, makeClient, send } from '../test/app.ts'
import { CorsConfigError, type CorsRejection, cors, type KoaCorsOptions } from './index.ts'

describeConformance('@cors/koa', makeClient)
// supertest goes through a real Node HTTP server, which answers 431 to more than 16 KiB of headers.
describeAdversarial('@cors/koa', makeClient, { maxHeaderBytes: 16 * 1024 })

const origin = 'https://app.example.com'
const preflight = (method = 'PUT', extra: Headers = {}): Headers => ({
  origin,
  'access-control-request-method': method,
  ...extra,
})

function appWith(options: KoaCorsOptions, ...middleware: Middleware[]): Koa {
  const app = new Koa()
  app.silent = true
  app.use(cors(options))
  for (const m of middleware) app.use(m)
  return app
}

describe('cors', () => {
  it('validates the options when it is called, listing every problem', () => {
    let error: unknown
    try {
      cors({ origin: '*', credentials: true, allowHeaders: ['X-A'] } as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(CorsConfigError)
    const { issues } = error as CorsConfigError
    expect(issues.find((issue) => issue.option === 'allowHeaders')?.hint).toContain('allowedHeaders')
    expect(issues.map((issue) => issue.option)).toEqual(expect.arrayContaining(['origin', 'allowHeaders']))
  })

  it('answers a preflight with an empty body and no content type', async () => {
    const handler = vi.fn()
    const res = await send(
      appWith({ origin, optionsSuccessStatus: 200 }, handler),
      'OPTIONS',
      '/',
      preflight(),
    )
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
    expect(res.headers['content-length']).toBe('0')
    expect(res.headers['content-type']).toBeUndefined()
    expect(res.headers['access-control-allow-origin']).toBe(origin)
    expect(handler).not.toHaveBeenCalled()
  })

  it("answers a preflight with the policy's headers only: what earlier middleware set is removed", async () => {
    const app = new Koa()
    app.use((ctx, next) => {
      ctx.set('Access-Control-Allow-Origin', '*')
      ctx.set('Access-Control-Expose-Headers', 'X-Secret')
      return next()
    })
    app.use(cors({ origin }))
    const allowed = await send(app, 'OPTIONS', '/', preflight())
    expect(allowed.status).toBe(204)
    expect(allowed.headers['access-control-allow-origin']).toBe(origin)
    expect(allowed.headers['access-control-expose-headers']).toBeUndefined()
    const refused = await send(app, 'OPTIONS', '/', { ...preflight(), origin: 'https://evil.example' })
    expect(refused.status).toBe(403)
    expect(Object.keys(refused.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
  })

  it('keeps the CORS headers on ctx.throw, with its status and exposed message', async () => {
    const app = appWith({ origin, credentials: true }, (ctx) => ctx.throw(403, 'not yours'))
    const res = await send(app, 'GET', '/', { origin })
    expect(res.status).toBe(403)
    expect(res.text).toBe('not yours')
    expect(res.headers['access-control-allow-origin']).toBe(origin)
    expect(res.headers['access-control-allow-credentials']).toBe('true')
    expect(res.headers['vary']).toBe('Origin')
  })

  it("merges the CORS headers into the error's own headers, Vary included", async () => {
    const app = appWith({ origin, exposedHeaders: ['Retry-After'] }, (ctx) =>
      ctx.throw(429, { headers: { 'Retry-After': '5', Vary: 'Accept-Language, origin' } }),
    )
    const res = await send(app, 'GET', '/', { origin })
    expect(res.status).toBe(429)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.headers['access-control-allow-origin']).toBe(origin)
    expect(res.headers['access-control-expose-headers']).toBe('retry-after')
    expect(res.headers['vary']).toBe('Accept-Language, origin')
  })

  it('rethrows the same error object, so error listeners and upstream handlers see it', async () => {
    const boom = new Error('boom')
    const seen = vi.fn()
    const app = new Koa()
    app.use(async (ctx, next) => {
      try {
        await next()
      } catch (error) {
        seen(error)
        ctx.status = 502
        ctx.body = { error: 'upstream failed' }
      }
    })
    app.use(cors({ origin }))
    app.use(() => {
      throw boom
    })
    const res = await send(app, 'GET', '/', { origin })
    expect(seen).toHaveBeenCalledWith(boom)
    expect(res.status).toBe(502)
    expect(res.headers['access-control-allow-origin']).toBe(origin)
  })

  it('rethrows an error whose headers cannot be replaced as it is', async () => {
    const locked = Object.assign(new Error('locked'), { status: 418, expose: true })
    Object.defineProperty(locked, 'headers', { value: { 'x-locked': 'yes' }, writable: false })
    const errors: unknown[] = []
    const app = appWith({ origin }, () => {
      throw locked
    })
    app.on('error', (error) => errors.push(error))
    const res = await send(app, 'GET', '/', { origin })
    expect(res.status).toBe(418)
    expect(res.headers['x-locked']).toBe('yes')
    expect(errors).toEqual([locked])
  })

  it('keeps the CORS headers when authentication answers 401 by setting the status', async () => {
    const handler = vi.fn()
    const auth: Middleware = async (ctx, next) => {
      if (ctx.get('authorization') === '') {
        ctx.status = 401
        ctx.body = { error: 'sign in' }
        return
      }
      await next()
    }
    const app = appWith({ origin, allowedHeaders: ['Authorization'] }, auth, handler)
    const refused = await send(app, 'GET', '/', { origin })
    expect(refused.status).toBe(401)
    expect(refused.headers['access-control-allow-origin']).toBe(origin)
    const answered = await send(
      app,
      'OPTIONS',
      '/',
      preflight('GET', { 'access-control-request-headers': 'authorization' }),
    )
    expect(answered.status).toBe(204)
    expect(answered.headers['access-control-allow-headers']).toBe('authorization')
    expect(handler).not.toHaveBeenCalled()
  })

  it('gives onReject the rejection and the Koa context', async () => {
    const onReject = vi.fn<(rejection: CorsRejection, ctx: Context) => void>()
    const app = appWith({ origin, onReject }, (ctx) => {
      ctx.body = 'ok'
    })
    await send(app, 'GET', '/reports?x=1', { origin: 'https://evil.example' })
    expect(onReject).toHaveBeenCalledTimes(1)
    const [rejection, ctx] = onReject.mock.calls[0]!
    expect(rejection).toMatchObject({ kind: 'actual', allowed: false, reason: 'origin-not-allowed' })
    expect(ctx.app).toBe(app)
    expect(ctx.path).toBe('/reports')
    expect(ctx.querystring).toBe('x=1')
  })

  it('waits for an async origin function, which receives the Koa context', async () => {
    const allowed = new Map([['tenant-a', 'https://a.example']])
    const app = appWith(
      {
        origin: async (requestOrigin, ctx) => {
          await new Promise((resolve) => setTimeout(resolve, 5))
          return allowed.get(ctx.get('x-tenant')) === requestOrigin
        },
      },
      (ctx) => {
        ctx.body = 'ok'
      },
    )
    const yes = await send(app, 'GET', '/', { origin: 'https://a.example', 'x-tenant': 'tenant-a' })
    expect(yes.headers['access-control-allow-origin']).toBe('https://a.example')
    const no = await send(app, 'GET', '/', { origin: 'https://a.example', 'x-tenant': 'tenant-b' })
    expect(no.status).toBe(200)
    expect(no.headers['access-control-allow-origin']).toBeUndefined()
    const answered = await send(app, 'OPTIONS', '/', {
      ...preflight(),
      origin: 'https://a.example',
      'x-tenant': 'tenant-a',
    })
    expect(answered.status).toBe(204)
    expect(answered.headers['access-control-allow-origin']).toBe('https://a.example')
  })

  it('merges Vary set by middleware that runs before it', async () => {
    const app = new Koa()
    app.use(async (ctx, next) => {
      ctx.vary('Accept-Encoding')
      await next()
    })
    app.use(cors({ origin }))
    app.use((ctx) => {
      ctx.body = 'ok'
    })
    const res = await send(app, 'GET', '/', { origin })
    expect(res.headers['vary']).toBe('Accept-Encoding, Origin')
  })
})

describe('cors on @koa/router routers', () => {
  const publicOrigin = 'https://www.example.com'
  const adminOrigin = 'https://admin.example.com'

  // Two routers, two policies. A router's middleware runs only when one of its routes matches the
  // path and the method, so each router gets a catch-all OPTIONS route for its preflights.
  function twoRouters(withPreflightRoute: boolean): Koa {
    const app = new Koa()
    const open = new Router({ prefix: '/public' })
    open.use(cors({ origin: '*' }))
    const admin = new Router({ prefix: '/admin' })
    admin.use(cors({ origin: adminOrigin, credentials: true, allowedHeaders: ['Authorization'] }))
    if (withPreflightRoute) {
      open.options('{/*rest}', (_ctx, next) => next())
      admin.options('{/*rest}', (_ctx, next) => next())
    }
    open.get('/items', (ctx) => {
      ctx.body = ['item']
    })
    admin.delete('/items/:id', (ctx) => {
      ctx.status = 204
    })
    app.use(open.routes()).use(open.allowedMethods())
    app.use(admin.routes()).use(admin.allowedMethods())
    return app
  }

  it('applies each router its own policy on actual requests', async () => {
    const app = twoRouters(true)
    const open = await send(app, 'GET', '/public/items', { origin: adminOrigin })
    expect(open.headers['access-control-allow-origin']).toBe('*')
    expect(open.headers['access-control-allow-credentials']).toBeUndefined()
    const admin = await send(app, 'DELETE', '/admin/items/1', { origin: adminOrigin })
    expect(admin.status).toBe(204)
    expect(admin.headers['access-control-allow-origin']).toBe(adminOrigin)
    expect(admin.headers['access-control-allow-credentials']).toBe('true')
    const outsider = await send(app, 'DELETE', '/admin/items/1', { origin: publicOrigin })
    expect(outsider.status).toBe(204)
    expect(outsider.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers preflights to router paths through a catch-all OPTIONS route', async () => {
    const app = twoRouters(true)
    const admin = await send(app, 'OPTIONS', '/admin/items/1', {
      origin: adminOrigin,
      'access-control-request-method': 'DELETE',
      'access-control-request-headers': 'authorization',
    })
    expect(admin.status).toBe(204)
    expect(admin.headers['access-control-allow-origin']).toBe(adminOrigin)
    expect(admin.headers['access-control-allow-headers']).toBe('authorization')
    const refused = await send(app, 'OPTIONS', '/admin/items/1', {
      origin: publicOrigin,
      'access-control-request-method': 'DELETE',
    })
    expect(refused.status).toBe(403)
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
    const open = await send(app, 'OPTIONS', '/public/items', {
      origin: publicOrigin,
      'access-control-request-method': 'PUT',
    })
    expect(open.status).toBe(204)
    expect(open.headers['access-control-allow-origin']).toBe('*')
    // A plain OPTIONS request still reaches allowedMethods().
    const plain = await send(app, 'OPTIONS', '/admin/items/1')
    expect(plain.status).toBe(200)
    expect(plain.headers['allow']).toBe('OPTIONS, DELETE')
  })

  it('without that route, a preflight never reaches router middleware (allowedMethods answers it)', async () => {
    const res = await send(twoRouters(false), 'OPTIONS', '/admin/items/1', {
      origin: adminOrigin,
      'access-control-request-method': 'DELETE',
    })
    expect(res.status).toBe(200)
    expect(res.headers['allow']).toBe('DELETE')
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('also leaves 404s under a router without CORS headers; scoping on the app covers them', async () => {
    expect(
      (await send(twoRouters(true), 'GET', '/admin/missing', { origin: adminOrigin })).headers,
    ).not.toHaveProperty('access-control-allow-origin')
    const app = new Koa()
    const adminCors = cors({ origin: adminOrigin, credentials: true })
    app.use((ctx, next) => (ctx.path.startsWith('/admin/') ? adminCors(ctx, next) : next()))
    const admin = new Router({ prefix: '/admin' })
    admin.delete('/items/:id', (ctx) => {
      ctx.status = 204
    })
    app.use(admin.routes()).use(admin.allowedMethods())
    const missing = await send(app, 'GET', '/admin/missing', { origin: adminOrigin })
    expect(missing.status).toBe(404)
    expect(missing.headers['access-control-allow-origin']).toBe(adminOrigin)
    const answered = await send(app, 'OPTIONS', '/admin/items/1', {
      origin: adminOrigin,
      'access-control-request-method': 'DELETE',
    })
    expect(answered.status).toBe(204)
    expect(answered.headers['access-control-allow-origin']).toBe(adminOrigin)
    expect((await send(app, 'GET', '/public', { origin: adminOrigin })).headers).not.toHaveProperty(
      'access-control-allow-origin',
    )
  })
})

describe('option shapes and scopes that must never widen a policy', () => {
  it.each([
    ['a function (an options factory)', () => ({ origin: '*' })],
    ['null', null],
    ['a string', 'https://app.example.com'],
    ['an array', ['https://app.example.com']],
  ])('refuses %s as options at construction', (_, options) => {
    expect(() => cors(options as KoaCorsOptions)).toThrow(CorsConfigError)
  })

  it('accepts a policy from createCors in place of options', async () => {
    const policy = createCors<Context>({ origin: 'https://app.example.com' })
    const app = new Koa()
    app.use(cors(policy))
    app.use((ctx) => {
      ctx.body = 'ok'
    })
    const response = await supertest(app.callback()).get('/').set('origin', 'https://app.example.com')
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com')
  })

  it('lets one policy mounted twice on a request work once', async () => {
    const policy = createCors<Context>({ origin: 'https://app.example.com' })
    const app = new Koa()
    app.use(cors(policy))
    const router = new Router()
    router.use(cors(policy))
    router.get('/x', (ctx) => {
      ctx.body = 'ok'
    })
    app.use(router.routes())
    const response = await supertest(app.callback()).get('/x').set('origin', 'https://app.example.com')
    expect(response.status).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com')
  })

  // Issue 19.5: two cors() calls with equal options are one policy, whatever object holds them.
  it('lets an app-level and a router-level cors() with equal options work as one policy', async () => {
    const app = new Koa()
    const onReject = () => {}
    app.use(cors({ origin: ['https://app.example.com'], credentials: true, onReject }))
    const router = new Router()
    router.use(cors({ origin: 'https://app.example.com', credentials: true, onReject }))
    router.get('/x', (ctx) => {
      ctx.body = 'ok'
    })
    app.use(router.routes())
    const response = await supertest(app.callback()).get('/x').set('origin', 'https://app.example.com')
    expect(response.status).toBe(200)
    expect(response.headers['access-control-allow-credentials']).toBe('true')
  })

  it('fails loudly when an app-level and a router-level policy both apply to one request', async () => {
    const app = new Koa()
    app.silent = true
    const errors: Error[] = []
    app.on('error', (error: Error) => errors.push(error))
    app.use(cors({ origin: 'https://app.example.com' }))
    const router = new Router()
    router.use(cors({ origin: 'https://admin.example.com' }))
    router.get('/admin', (ctx) => {
      ctx.body = 'secret'
    })
    app.use(router.routes())
    const response = await supertest(app.callback()).get('/admin').set('origin', 'https://app.example.com')
    expect(response.status).toBe(500)
    expect(errors[0]?.message).toMatch(/two CORS policies apply to this request.*one policy per path/s)
  })
})
