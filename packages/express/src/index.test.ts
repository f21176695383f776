import { execFileSync } from 'node:child_process'
import { createServer, type IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { createCors } from '@cors/core'
import express5, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express'
import express4 from 'express4'
import supertest from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { type Headers, type Listener, send } from '../test/app.ts'
import corsDefault, {
  CorsConfigError,
  type CorsRejection,
  cors,
  type ExpressCorsMiddleware,
  type ExpressCorsOptions,
} from './index.ts'

const origin = 'https://app.example.com'
const evil = 'https://evil.example'
const preflight = (method = 'PUT', extra: Headers = {}): Headers => ({
  origin,
  'access-control-request-method': method,
  ...extra,
})

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

  it.each([null, 'https://app.example.com', () => true, []])(
    'refuses options that are not an object: %j',
    (options) => {
      expect(() => cors(options as never)).toThrow(CorsConfigError)
    },
  )

  it('accepts a policy made with createCors, and follows its updates', async () => {
    const policy = createCors<IncomingMessage>({ origin })
    const app = express5()
    app.use(cors(policy))
    app.get('/', (_req, res) => void res.send('ok'))
    expect((await send(app, 'GET', '/', { origin })).headers['access-control-allow-origin']).toBe(origin)
    policy.update({ origin: evil })
    expect((await send(app, 'GET', '/', { origin })).headers['access-control-allow-origin']).toBeUndefined()
    expect((await send(app, 'GET', '/', { origin: evil })).headers['access-control-allow-origin']).toBe(evil)
  })

  it('is also the default export', () => {
    expect(corsDefault).toBe(cors)
  })
})

describe.each([
  ['Express 5', express5],
  ['Express 4', express4],
] as const)('on %s', (_name, express) => {
  function appWith(options: ExpressCorsOptions<Request>, ...handlers: RequestHandler[]): Express {
    const app = express()
    app.use(cors<Request>(options))
    if (handlers.length > 0) app.use(...handlers)
    return app
  }

  describe('preflights', () => {
    it('answers an allowed preflight with the status, an empty body and no content type', async () => {
      const handler = vi.fn()
      for (const status of [200, 204]) {
        const res = await send(
          appWith({ origin, optionsSuccessStatus: status }, handler),
          'OPTIONS',
          '/any/path',
          preflight(),
        )
        expect(res.status).toBe(status)
        expect(res.text).toBe('')
        expect(res.headers['content-type']).toBeUndefined()
        expect(res.headers['access-control-allow-origin']).toBe(origin)
        expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, PUT, PATCH, POST, DELETE')
      }
      expect(handler).not.toHaveBeenCalled()
    })

    it('refuses a preflight with 403, an empty body and no CORS header, before any handler', async () => {
      const handler = vi.fn()
      const res = await send(appWith({ origin }, handler), 'OPTIONS', '/', { ...preflight(), origin: evil })
      expect(res.status).toBe(403)
      expect(res.text).toBe('')
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
      expect(res.headers['vary']).toBe(
        'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      )
      expect(handler).not.toHaveBeenCalled()
    })

    it('answers preflights before authentication, and keeps the headers on its 401', async () => {
      const handler = vi.fn((_req, res) => res.send('ok'))
      const auth: RequestHandler = (req, res, next) => {
        if (req.get('authorization') === undefined) res.status(401).json({ error: 'sign in' })
        else next()
      }
      const app = appWith({ origin, allowedHeaders: ['Authorization'] }, auth, handler)
      const answered = await send(
        app,
        'OPTIONS',
        '/',
        preflight('GET', { 'access-control-request-headers': 'authorization' }),
      )
      expect(answered.status).toBe(204)
      expect(answered.headers['access-control-allow-headers']).toBe('authorization')
      const refused = await send(app, 'GET', '/', { origin })
      expect(refused.status).toBe(401)
      expect(refused.headers['access-control-allow-origin']).toBe(origin)
      expect(handler).not.toHaveBeenCalled()
    })

    it('passes an OPTIONS request that is not a preflight on to the app', async () => {
      const app = appWith({ origin })
      app.options('/things', (_req, res) => void res.set('Allow', 'GET, OPTIONS').send('options'))
      const res = await send(app, 'OPTIONS', '/things', { origin })
      expect(res.status).toBe(200)
      expect(res.text).toBe('options')
      expect(res.headers['access-control-allow-origin']).toBe(origin)
    })

    it('with preflightContinue, hands an allowed preflight to the route with the headers set', async () => {
      const app = appWith({ origin, preflightContinue: true })
      app.options('/things', (_req, res) => void res.status(200).send('mine'))
      const res = await send(app, 'OPTIONS', '/things', preflight())
      expect(res.status).toBe(200)
      expect(res.text).toBe('mine')
      expect(res.headers['access-control-allow-origin']).toBe(origin)
      expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, PUT, PATCH, POST, DELETE')
    })
  })

  describe('every response an allowed origin gets carries the CORS headers', () => {
    const options = { origin, credentials: true, exposedHeaders: ['X-Request-Id'] } as const
    const expectCors = (res: { headers: Record<string, string> }) => {
      expect(res.headers['access-control-allow-origin']).toBe(origin)
      expect(res.headers['access-control-allow-credentials']).toBe('true')
      expect(res.headers['access-control-expose-headers']).toBe('x-request-id')
      expect(res.headers['vary']).toMatch(/\bOrigin\b/)
    }

    it('a synchronous throw, answered by the final handler', async () => {
      const app = appWith(options)
      app.get('/', () => {
        throw Object.assign(new Error('nope'), { status: 422 })
      })
      const res = await send(app, 'GET', '/', { origin })
      expect(res.status).toBe(422)
      expectCors(res)
    })

    it('next(err), answered by the final handler', async () => {
      const app = appWith(options, (_req, _res, next) => next(new Error('failed')))
      const res = await send(app, 'GET', '/', { origin })
      expect(res.status).toBe(500)
      expectCors(res)
    })

    it('a custom error handler that sets its own headers, Vary and Access-Control-Allow-Origin', async () => {
      const app = appWith(options, (_req, _res, next) => next(new Error('failed')))
      const onError: ErrorRequestHandler = (_error, _req, res, _next) => {
        res.set({ Vary: 'Accept-Language', 'Access-Control-Allow-Origin': '*', 'X-Error': 'yes' })
        res.status(503).json({ error: 'try later' })
      }
      app.use(onError)
      const res = await send(app, 'GET', '/', { origin })
      expect(res.status).toBe(503)
      expect(res.headers['x-error']).toBe('yes')
      expectCors(res)
      expect(res.headers['vary']).toBe('Accept-Language, Origin')
    })

    it("the final handler's 404", async () => {
      const res = await send(appWith(options), 'GET', '/missing', { origin })
      expect(res.status).toBe(404)
      expectCors(res)
    })

    it('res.redirect, whose Accept negotiation adds to Vary', async () => {
      const app = appWith(options)
      app.get('/old', (_req, res) => res.redirect(301, '/new'))
      const res = await send(app, 'GET', '/old', { origin })
      expect(res.status).toBe(301)
      expect(res.headers['location']).toBe('/new')
      expectCors(res)
      expect(res.headers['vary']).toBe('Origin, Accept')
    })

    it('res.sendFile', async () => {
      const app = appWith(options)
      app.get('/file', (_req, res) => res.sendFile(fileURLToPath(import.meta.url)))
      const res = await send(app, 'GET', '/file', { origin })
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toMatch(/typescript|video\/mp2t|text/)
      expectCors(res)
    })

    it('a stream piped into the response', async () => {
      const app = appWith(options)
      app.get('/stream', (_req, res) => {
        res.type('text')
        Readable.from(['a', 'b', 'c']).pipe(res)
      })
      const res = await send(app, 'GET', '/stream', { origin })
      expect(res.text).toBe('abc')
      expectCors(res)
    })

    it('res.writeHead with its own headers, which cannot replace Vary or the CORS headers', async () => {
      const app = appWith(options)
      app.get('/raw', (_req, res) => {
        res.writeHead(200, {
          Vary: 'Accept',
          'Access-Control-Allow-Origin': '*',
          'Content-Type': 'text/plain',
        })
        res.end('raw')
      })
      app.get('/raw-message', (_req, res) => {
        res.writeHead(202, 'Later', ['Vary', 'Cookie', 'X-Raw', '1'])
        res.end()
      })
      const res = await send(app, 'GET', '/raw', { origin })
      expect(res.text).toBe('raw')
      expectCors(res)
      expect(res.headers['vary']).toBe('Accept, Origin')
      const message = await send(app, 'GET', '/raw-message', { origin })
      expect(message.status).toBe(202)
      expect(message.headers['x-raw']).toBe('1')
      expectCors(message)
      // A flat list replaces the names it gives, as Node's writeHead does to headers already set (Express
      // set X-Powered-By): Vary is Cookie, and the policy merges Origin into it.
      expect(message.headers['vary']).toBe('Cookie, Origin')
    })

    it('Vary set by the application after the middleware is merged, never lost', async () => {
      const app = appWith({ origin })
      app.get('/replace', (_req, res) => void res.set('Vary', 'Accept-Encoding').send('ok'))
      app.get('/append', (_req, res) => void res.vary('Accept').vary('origin').send('ok'))
      app.get('/star', (_req, res) => void res.set('Vary', '*').send('ok'))
      app.get('/removed', (_req, res) => {
        res.removeHeader('Vary')
        res.send('ok')
      })
      expect((await send(app, 'GET', '/replace', { origin })).headers['vary']).toBe('Accept-Encoding, Origin')
      expect((await send(app, 'GET', '/append', { origin })).headers['vary']).toBe('Origin, Accept')
      expect((await send(app, 'GET', '/star', { origin })).headers['vary']).toBe('*')
      expect((await send(app, 'GET', '/removed')).headers['vary']).toBe('Origin')
      expect((await send(app, 'GET', '/replace', { origin: evil })).headers['vary']).toBe(
        'Accept-Encoding, Origin',
      )
    })

    it('merges Vary set by middleware that runs before it', async () => {
      const app = express()
      app.use((_req, res, next) => {
        res.vary('Accept-Encoding')
        next()
      })
      app.use(cors({ origin }))
      app.get('/', (_req, res) => void res.send('ok'))
      expect((await send(app, 'GET', '/', { origin })).headers['vary']).toBe('Accept-Encoding, Origin')
    })

    if (express === express5) {
      it('a rejected promise from an async handler (Express 5)', async () => {
        const app = appWith(options)
        app.get('/', async () => {
          await new Promise((resolve) => setTimeout(resolve, 1))
          throw new Error('async failure')
        })
        const res = await send(app, 'GET', '/', { origin })
        expect(res.status).toBe(500)
        expectCors(res)
      })
    }
  })

  describe('the policy owns the Access-Control-* response headers', () => {
    const setsItsOwn: RequestHandler = (_req, res) => {
      res.set({
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'PURGE',
      })
      res.send('ok')
    }

    it("replaces the application's values for an allowed origin", async () => {
      const res = await send(appWith({ origin }, setsItsOwn), 'GET', '/', { origin })
      expect(res.headers['access-control-allow-origin']).toBe(origin)
      expect(res.headers['access-control-allow-credentials']).toBeUndefined()
      expect(res.headers['access-control-allow-methods']).toBeUndefined()
    })

    it('removes them for a refused origin', async () => {
      const res = await send(appWith({ origin }, setsItsOwn), 'GET', '/', { origin: evil })
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
      expect(res.headers['vary']).toBe('Origin')
    })

    it('leaves a request without Origin alone: it is not a CORS request', async () => {
      const res = await send(appWith({ origin }, setsItsOwn), 'GET', '/')
      expect(res.headers['access-control-allow-methods']).toBe('PURGE')
      expect(res.headers['vary']).toBe('Origin')
    })

    it('removes what middleware before it set, also on an answered preflight', async () => {
      const app = express()
      app.use((_req, res, next) => {
        res.setHeader('Access-Control-Allow-Origin', '*')
        res.setHeader('Access-Control-Max-Age', '86400')
        next()
      })
      app.use(cors({ origin }))
      const refused = await send(app, 'OPTIONS', '/', { ...preflight(), origin: evil })
      expect(refused.status).toBe(403)
      expect(Object.keys(refused.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
      const answered = await send(app, 'OPTIONS', '/', preflight())
      expect(answered.headers['access-control-allow-origin']).toBe(origin)
      expect(answered.headers['access-control-max-age']).toBeUndefined()
    })
  })

  describe('origin functions', () => {
    it('a throwing or rejecting origin function denies and never becomes a 500', async () => {
      for (const fail of [
        () => {
          throw new Error('database down')
        },
        () => Promise.reject(new Error('database down')),
      ]) {
        const onReject = vi.fn()
        const handler = vi.fn((_req, res) => res.send('ok'))
        const app = appWith({ origin: fail, onReject }, handler)
        const actual = await send(app, 'GET', '/', { origin })
        expect(actual.status).toBe(200)
        expect(actual.headers['access-control-allow-origin']).toBeUndefined()
        const refused = await send(app, 'OPTIONS', '/', preflight())
        expect(refused.status).toBe(403)
        expect(handler).toHaveBeenCalledTimes(1)
        expect(onReject).toHaveBeenCalledTimes(2)
        expect(onReject.mock.calls[0]![0]).toMatchObject({ reason: 'origin-check-failed' })
      }
    })

    it('waits for an async origin function, which receives the Express request', async () => {
      const tenants = new Map([['tenant-a', 'https://a.example']])
      const app = appWith(
        {
          origin: async (requestOrigin, req) => {
            await new Promise((resolve) => setTimeout(resolve, 2))
            return tenants.get(req.get('x-tenant') ?? '') === requestOrigin
          },
        },
        (_req, res) => void res.send('ok'),
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
    })

    it('gives onReject the rejection and the Express request', async () => {
      const onReject = vi.fn<(rejection: CorsRejection, req: Request) => void>()
      const app = appWith({ origin, onReject }, (_req, res) => void res.send('ok'))
      await send(app, 'GET', '/reports?x=1', { origin: evil })
      expect(onReject).toHaveBeenCalledTimes(1)
      const [rejection, req] = onReject.mock.calls[0]!
      expect(rejection).toMatchObject({ kind: 'actual', allowed: false, reason: 'origin-not-allowed' })
      expect(req.app).toBe(app)
      expect(req.path).toBe('/reports')
      expect(req.query).toEqual({ x: '1' })
    })
  })

  describe('scopes', () => {
    const publicOrigin = 'https://www.example.com'
    const adminOrigin = 'https://admin.example.com'

    it('applies one policy per mount path, 404s and preflights included', async () => {
      const app = express()
      app.use('/public', cors({ origin: '*' }))
      app.use('/admin', cors({ origin: adminOrigin, credentials: true }))
      const admin = express.Router()
      admin.delete('/items/:id', (_req, res) => void res.sendStatus(204))
      app.use('/admin', admin)
      app.get('/public/items', (_req, res) => void res.json(['item']))
      const open = await send(app, 'GET', '/public/items', { origin: adminOrigin })
      expect(open.headers['access-control-allow-origin']).toBe('*')
      const deleted = await send(app, 'DELETE', '/admin/items/1', { origin: adminOrigin })
      expect(deleted.status).toBe(204)
      expect(deleted.headers['access-control-allow-credentials']).toBe('true')
      const missing = await send(app, 'GET', '/admin/missing', { origin: adminOrigin })
      expect(missing.status).toBe(404)
      expect(missing.headers['access-control-allow-origin']).toBe(adminOrigin)
      const answered = await send(app, 'OPTIONS', '/admin/items/1', {
        origin: adminOrigin,
        'access-control-request-method': 'DELETE',
      })
      expect(answered.status).toBe(204)
      const refused = await send(app, 'OPTIONS', '/admin/items/1', {
        origin: publicOrigin,
        'access-control-request-method': 'DELETE',
      })
      expect(refused.status).toBe(403)
    })

    it("on a router, covers the router's preflights and 404s (router.use runs for every path under it)", async () => {
      const app = express()
      const admin = express.Router()
      admin.use(cors({ origin: adminOrigin }))
      admin.delete('/items/:id', (_req, res) => void res.sendStatus(204))
      app.use('/admin', admin)
      const answered = await send(app, 'OPTIONS', '/admin/items/1', {
        origin: adminOrigin,
        'access-control-request-method': 'DELETE',
      })
      expect(answered.status).toBe(204)
      expect(answered.headers['access-control-allow-origin']).toBe(adminOrigin)
      const missing = await send(app, 'GET', '/admin/missing', { origin: adminOrigin })
      expect(missing.status).toBe(404)
      expect(missing.headers['access-control-allow-origin']).toBe(adminOrigin)
      const outside = await send(app, 'GET', '/public', { origin: adminOrigin })
      expect(outside.headers['access-control-allow-origin']).toBeUndefined()
    })

    it('works per route; the route needs an OPTIONS entry for its preflights', async () => {
      const app = express()
      const partner = cors({ origin: 'https://partner.example' })
      app.options('/partner/orders', partner)
      app.put('/partner/orders', partner, (_req, res) => void res.send('saved'))
      const answered = await send(app, 'OPTIONS', '/partner/orders', {
        origin: 'https://partner.example',
        'access-control-request-method': 'PUT',
      })
      expect(answered.status).toBe(204)
      expect(answered.headers['access-control-allow-origin']).toBe('https://partner.example')
      const saved = await send(app, 'PUT', '/partner/orders', { origin: 'https://partner.example' })
      expect(saved.text).toBe('saved')
      expect(saved.headers['access-control-allow-origin']).toBe('https://partner.example')
    })

    it('refuses two different policies on one request with an error that says how to fix it', async () => {
      const app = express()
      app.use(cors({ origin: publicOrigin }))
      const admin = express.Router()
      admin.use(cors({ origin: adminOrigin }))
      admin.get('/users', (_req, res) => void res.send('users'))
      app.use('/admin', admin)
      let seen: unknown
      app.use(((error, _req, res, _next) => {
        seen = error
        res.status(500).send('misconfigured')
      }) as ErrorRequestHandler)
      const res = await send(app, 'GET', '/admin/users', { origin: publicOrigin })
      expect(res.status).toBe(500)
      expect(res.headers['access-control-allow-origin']).toBe(publicOrigin)
      expect((seen as Error).message).toMatch(/two CORS policies apply to this request/)
      expect((seen as Error).message).toContain("app.use('/public', cors(A))")
    })

    it('lets the same middleware (or the same policy) run twice without an error', async () => {
      const app = express()
      const middleware = cors({ origin })
      const shared = createCors<IncomingMessage>({ origin })
      app.use(middleware)
      // The pattern the cors package's README shows for preflights: harmless here.
      app.options('/things', middleware, (_req, res) => void res.send('options'))
      const res = await send(app, 'OPTIONS', '/things', { origin })
      expect(res.status).toBe(200)
      expect(res.text).toBe('options')
      expect(res.headers['access-control-allow-origin']).toBe(origin)
      expect((await send(express().use(cors(shared), cors(shared)), 'GET', '/', { origin })).status).toBe(404)
    })

    // Issue 19.5: every cors tutorial has app.options('*', cors(opts)) beside app.use(cors(opts)); a
    // plain OPTIONS (no Access-Control-Request-Method) then got a 500 "two CORS policies apply".
    it("lets a leftover app.options('*', cors(opts)) with equal options stand aside: a plain OPTIONS is no 500", async () => {
      const app = express()
      const onReject = () => {}
      const opts = { origin: [origin], credentials: true as const, onReject }
      app.use(cors(opts))
      // Express 5's router spells the catch-all '/{*splat}'.
      app.options(express === express4 ? '*' : '/{*splat}', cors({ ...opts, origin }))
      app.options('/things', (_req, res) => void res.send('options'))
      const plain = await send(app, 'OPTIONS', '/things', { origin })
      expect(plain.status).toBe(200)
      expect(plain.text).toBe('options')
      expect(plain.headers['access-control-allow-origin']).toBe(origin)
      const preflight = await send(app, 'OPTIONS', '/things', {
        origin,
        'access-control-request-method': 'PUT',
      })
      expect(preflight.status).toBe(204)
    })

    it('names the leftover app.options from the cors package when the two policies really differ', async () => {
      const app = express()
      app.use(cors({ origin }))
      app.options(express === express4 ? '*' : '/{*splat}', cors({ origin: '*' }))
      let seen: unknown
      app.use(((error, _req, res, _next) => {
        seen = error
        res.status(500).send('misconfigured')
      }) as ErrorRequestHandler)
      expect((await send(app, 'OPTIONS', '/things', { origin })).status).toBe(500)
      expect((seen as Error).message).toContain("a leftover app.options('*', cors()) from the cors package")
    })
  })
})

describe('on node:http', () => {
  it('runs as (req, res, next) with a callback that serves the request', async () => {
    const middleware: ExpressCorsMiddleware = cors({ origin, exposedHeaders: ['X-Total-Count'] })
    const listener: Listener = (req, res) =>
      middleware(req, res, (error) => {
        if (error !== undefined) {
          res.statusCode = 500
          res.end()
          return
        }
        res.setHeader('x-total-count', '1')
        res.setHeader('content-type', 'application/json')
        res.end('[1]')
      })
    const actual = await send(listener, 'GET', '/todos', { origin })
    expect(actual.status).toBe(200)
    expect(actual.text).toBe('[1]')
    expect(actual.headers['access-control-allow-origin']).toBe(origin)
    expect(actual.headers['access-control-expose-headers']).toBe('x-total-count')
    expect(actual.headers['vary']).toBe('Origin')
    const answered = await send(listener, 'OPTIONS', '/todos', preflight())
    expect(answered.status).toBe(204)
    expect(answered.headers['access-control-allow-origin']).toBe(origin)
    const refused = await send(listener, 'OPTIONS', '/todos', { ...preflight(), origin: evil })
    expect(refused.status).toBe(403)
  })

  it('keeps working on a server made with createServer', async () => {
    const middleware = cors()
    const server = createServer((req, res) => middleware(req, res, () => res.end('ok')))
    const res = await supertest(server).get('/').set('origin', origin)
    expect(res.headers['access-control-allow-origin']).toBe('*')
  })
})

describe('CommonJS', () => {
  it("require('@cors/express') works from a CommonJS Express 4 app", () => {
    const fixture = fileURLToPath(new URL('../test/require.cjs', import.meta.url))
    const output = execFileSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 20_000 })
    expect(JSON.parse(output)).toEqual({
      sameFunction: true,
      status: 204,
      allowOrigin: 'https://app.example.com',
      actualAllowOrigin: 'https://app.example.com',
    })
  })
})
