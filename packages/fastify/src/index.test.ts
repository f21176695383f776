import { describeAdversarial, describeConformance } from '@cors/conformance'
import { createCors } from '@cors/core'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { describe, expect, it, vi } from 'vitest'
import { makeClient } from '../test/app.ts'
import defaultExport, { CorsConfigError, cors, type FastifyCorsOptions } from './index.ts'

// createCors, counted: policies are compiled at registration and when a route is added, never per request.
vi.mock('@cors/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@cors/core')>()
  return { ...core, createCors: vi.fn(core.createCors) }
})

describeConformance('@cors/fastify', makeClient)
// app.inject has no socket: no header size limit in front of the plugin.
// Fastify's plugin loader turns a falsy options value into {} before the plugin sees it.
describeAdversarial('@cors/fastify', makeClient, { falsyOptionsMeanNone: true })

const app = 'https://app.example.com'
const partner = 'https://partner.example'
const evil = 'https://evil.example'

const preflight = (url: string, origin: string, method: string, requestHeaders?: string) => ({
  method: 'OPTIONS' as const,
  url,
  headers: {
    origin,
    'access-control-request-method': method,
    ...(requestHeaders === undefined ? {} : { 'access-control-request-headers': requestHeaders }),
  },
})

async function build(
  options: FastifyCorsOptions,
  routes: (app: FastifyInstance) => void,
): Promise<FastifyInstance> {
  const server = Fastify()
  await server.register(cors, options)
  routes(server)
  await server.ready()
  return server
}

describe('registration', () => {
  it('exports exactly the plugin and the core error helpers at runtime', async () => {
    expect(Object.keys(await import('./index.ts')).sort()).toEqual([
      'CorsConfigError',
      'cors',
      'default',
      'validateCorsOptions',
    ])
  })

  it('exports the plugin as the default and as `cors`, named for fastify-plugin', () => {
    expect(defaultExport).toBe(cors)
    expect((cors as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')]).toBe(
      '@cors/fastify',
    )
  })

  it('fails with a CorsConfigError listing every problem when the options are invalid', async () => {
    const server = Fastify()
    let error: unknown
    try {
      await server.register(cors, { origin: '*', credentials: true, maxAge: -1 } as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(CorsConfigError)
    expect((error as CorsConfigError).issues.map((issue) => issue.option)).toEqual(
      expect.arrayContaining(['origin', 'maxAge']),
    )
  })

  it("ignores Fastify's own register options (prefix, logLevel, logSerializers)", async () => {
    const server = Fastify()
    await server.register(cors, { origin: app, prefix: '/api', logLevel: 'warn', logSerializers: {} })
    server.get('/', () => 'ok')
    const response = await server.inject({ url: '/', headers: { origin: app } })
    expect(response.headers['access-control-allow-origin']).toBe(app)
  })

  it('accepts options given as a function of the instance, as Fastify allows', async () => {
    const server = Fastify()
    await server.register(cors, () => ({ origin: partner }))
    server.get('/', () => 'ok')
    const response = await server.inject({ url: '/', headers: { origin: partner } })
    expect(response.headers['access-control-allow-origin']).toBe(partner)
  })

  it('applies app-wide when registered on the root, to encapsulated plugins and their 404s', async () => {
    const server = await build({ origin: app }, (root) => {
      root.register(
        async (child) => {
          child.addHook('onRequest', async (_request, reply) => {
            reply.header('x-child', 'yes')
          })
          child.get('/items', () => ['a'])
        },
        { prefix: '/v1' },
      )
    })
    const routed = await server.inject({ url: '/v1/items', headers: { origin: app } })
    expect(routed.statusCode).toBe(200)
    expect(routed.headers['x-child']).toBe('yes')
    expect(routed.headers['access-control-allow-origin']).toBe(app)
    const missing = await server.inject({ url: '/v1/missing', headers: { origin: app } })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['access-control-allow-origin']).toBe(app)
    const answered = await server.inject(preflight('/v1/items', app, 'PUT'))
    expect(answered.statusCode).toBe(204)
    expect(answered.headers['x-child']).toBeUndefined()
  })

  it('applies only inside the encapsulated context it is registered in', async () => {
    const server = Fastify()
    server.register(async (scoped) => {
      await scoped.register(cors, { origin: app })
      scoped.get('/scoped', () => 'ok')
    })
    server.get('/outside', () => 'ok')
    await server.ready()
    const scoped = await server.inject({ url: '/scoped', headers: { origin: app } })
    expect(scoped.headers['access-control-allow-origin']).toBe(app)
    const outside = await server.inject({ url: '/outside', headers: { origin: app } })
    expect(outside.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('hooks and replies', () => {
  it('answers a preflight before any authentication hook, and runs the hook for actual requests', async () => {
    const authenticate = vi.fn(
      async (request: FastifyRequest, reply: { code(n: number): { send(): void } }) => {
        if (request.headers.authorization === undefined) reply.code(401).send()
      },
    )
    const server = await build({ origin: app, allowedHeaders: ['Authorization'] }, (root) => {
      root.addHook('onRequest', authenticate)
      root.put('/account', () => 'saved')
    })
    const answered = await server.inject(preflight('/account', app, 'PUT', 'authorization'))
    expect(answered.statusCode).toBe(204)
    expect(answered.headers['access-control-allow-headers']).toBe('authorization')
    expect(authenticate).not.toHaveBeenCalled()
    const refused = await server.inject({ method: 'PUT', url: '/account', headers: { origin: app } })
    expect(authenticate).toHaveBeenCalledTimes(1)
    expect(refused.statusCode).toBe(401)
    expect(refused.headers['access-control-allow-origin']).toBe(app)
  })

  it("puts the headers on the app's own not-found handler reply", async () => {
    const server = await build({ origin: app, credentials: true }, (root) => {
      root.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'no such thing' }))
    })
    const response = await server.inject({ url: '/missing', headers: { origin: app } })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ error: 'no such thing' })
    expect(response.headers['access-control-allow-origin']).toBe(app)
    expect(response.headers['access-control-allow-credentials']).toBe('true')
    expect(response.headers.vary).toBe('Origin')
  })

  it('puts the headers on a schema validation failure', async () => {
    const server = await build({ origin: app }, (root) => {
      root.post(
        '/todos',
        {
          schema: {
            body: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
          },
        },
        () => 'created',
      )
    })
    const response = await server.inject({
      method: 'POST',
      url: '/todos',
      headers: { origin: app, 'content-type': 'application/json' },
      payload: { name: 'no title' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' })
    expect(response.headers['access-control-allow-origin']).toBe(app)
  })

  it('merges the Vary an error handler sets', async () => {
    const server = await build({ origin: app }, (root) => {
      root.setErrorHandler((_error, _request, reply) => reply.code(503).header('vary', 'Accept').send('down'))
      root.get('/fail', () => {
        throw new Error('down')
      })
    })
    const response = await server.inject({ url: '/fail', headers: { origin: app } })
    expect(response.statusCode).toBe(503)
    expect(response.headers.vary).toBe('Accept, Origin')
    expect(response.headers['access-control-allow-origin']).toBe(app)
  })

  it("answers preflights to unrouted paths and leaves other OPTIONS requests to the prefix's not-found handler", async () => {
    const server = await build({ origin: app }, (root) => {
      root.setNotFoundHandler((_request, reply) => reply.code(404).send('root 404'))
      root.register(
        async (api) => {
          api.setNotFoundHandler((_request, reply) => reply.code(404).send('api 404'))
          api.get('/items', () => ['a'])
        },
        { prefix: '/api' },
      )
    })
    const answered = await server.inject(preflight('/api/missing', app, 'PUT'))
    expect(answered.statusCode).toBe(204)
    expect(answered.headers['access-control-allow-origin']).toBe(app)
    const onRoute = await server.inject(preflight('/api/items', app, 'DELETE'))
    expect(onRoute.statusCode).toBe(204)
    const plain = await server.inject({ method: 'OPTIONS', url: '/api/items', headers: { origin: app } })
    expect(plain.statusCode).toBe(404)
    expect(plain.body).toBe('api 404')
    expect(plain.headers['access-control-allow-origin']).toBe(app)
  })

  it('lets a non-preflight OPTIONS request reach the not-found handler, or the route that has one', async () => {
    const server = await build({}, (root) => {
      root.get('/plain', () => 'ok')
      root.options('/own', () => 'own options')
    })
    const plain = await server.inject({ method: 'OPTIONS', url: '/plain', headers: { origin: app } })
    expect(plain.statusCode).toBe(404)
    expect(plain.headers['access-control-allow-origin']).toBe('*')
    const own = await server.inject({ method: 'OPTIONS', url: '/own' })
    expect(own.statusCode).toBe(200)
    expect(own.body).toBe('own options')
  })

  it('sends allowed preflights with preflightContinue to the route, and to the not-found handler without one', async () => {
    const server = await build({ origin: app, preflightContinue: true }, (root) => {
      root.options('/own', () => 'own options')
      root.get('/get-only', () => 'ok')
    })
    const own = await server.inject(preflight('/own', app, 'PUT'))
    expect(own.statusCode).toBe(200)
    expect(own.body).toBe('own options')
    expect(own.headers['access-control-allow-methods']).toBe('GET, HEAD, PUT, PATCH, POST, DELETE')
    const none = await server.inject(preflight('/get-only', app, 'PUT'))
    expect(none.statusCode).toBe(404)
    expect(none.headers['access-control-allow-origin']).toBe(app)
  })
})

describe('the Fastify request as context', () => {
  it('passes the FastifyRequest to onReject', async () => {
    const onReject = vi.fn()
    let seen: FastifyRequest | undefined
    const server = await build({ origin: app, onReject }, (root) => {
      root.get('/items', (request) => {
        seen = request
        return 'ok'
      })
    })
    await server.inject({ url: '/items?page=2', headers: { origin: evil } })
    expect(onReject).toHaveBeenCalledTimes(1)
    expect(onReject.mock.calls[0]?.[0]).toMatchObject({ allowed: false, reason: 'origin-not-allowed' })
    expect(onReject.mock.calls[0]?.[1]).toBe(seen)
    expect(seen?.url).toBe('/items?page=2')
  })

  it('awaits an async origin function, which receives the FastifyRequest', async () => {
    const origin = vi.fn(async (requestOrigin: string, request: FastifyRequest) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      return requestOrigin === partner && request.url.startsWith('/public')
    })
    const server = await build({ origin }, (root) => {
      root.get('/public/page', () => 'ok')
      root.get('/private/page', () => 'ok')
    })
    const allowed = await server.inject({ url: '/public/page', headers: { origin: partner } })
    expect(allowed.headers['access-control-allow-origin']).toBe(partner)
    const denied = await server.inject({ url: '/private/page', headers: { origin: partner } })
    expect(denied.statusCode).toBe(200)
    expect(denied.headers['access-control-allow-origin']).toBeUndefined()
    const answered = await server.inject(preflight('/public/page', partner, 'PUT'))
    expect(answered.statusCode).toBe(204)
    expect(origin.mock.calls.at(-1)?.[1].method).toBe('OPTIONS')
  })
})

describe('per-route options (config.cors)', () => {
  const plugin: FastifyCorsOptions = {
    origin: app,
    credentials: true,
    exposedHeaders: ['X-Total-Count'],
    allowedHeaders: ['Content-Type'],
  }
  const routes = (root: FastifyInstance) => {
    root.get('/items/:id', () => 'item')
    root.put('/items/:id', { config: { cors: { origin: partner } } }, () => 'saved')
    root.delete('/items/:id', { config: { cors: false } }, () => 'deleted')
    root.get('/items/mine', () => 'mine')
    root.put('/items/mine/:tag', { config: { cors: { origin: partner } } }, () => 'tagged')
  }

  it("merges the route's options over the plugin's", async () => {
    const server = await build(plugin, routes)
    const response = await server.inject({ method: 'PUT', url: '/items/7', headers: { origin: partner } })
    expect(response.headers['access-control-allow-origin']).toBe(partner)
    expect(response.headers['access-control-allow-credentials']).toBe('true')
    expect(response.headers['access-control-expose-headers']).toBe('x-total-count')
    const other = await server.inject({ method: 'PUT', url: '/items/7', headers: { origin: app } })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    const plain = await server.inject({ url: '/items/7', headers: { origin: app } })
    expect(plain.headers['access-control-allow-origin']).toBe(app)
  })

  it('governs the preflights aimed at the route, on a parametric path too', async () => {
    const server = await build(plugin, routes)
    const allowed = await server.inject(preflight('/items/7?draft=1', partner, 'PUT', 'content-type'))
    expect(allowed.statusCode).toBe(204)
    expect(allowed.headers['access-control-allow-origin']).toBe(partner)
    expect(allowed.headers['access-control-allow-headers']).toBe('content-type')
    const refused = await server.inject(preflight('/items/7', app, 'PUT'))
    expect(refused.statusCode).toBe(403)
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
    // Another method on the same path follows the plugin's options.
    const get = await server.inject(preflight('/items/7', app, 'GET', 'content-type'))
    expect(get.statusCode).toBe(204)
    expect(get.headers['access-control-allow-origin']).toBe(app)
  })

  it('leaves a more specific route without its own options to the plugin', async () => {
    const server = await build(plugin, (root) => {
      root.get('/users/:id', { config: { cors: { origin: partner } } }, () => 'user')
      root.get('/users/me', () => 'me')
    })
    // The hidden OPTIONS /users/:id route catches the preflight for /users/me (there is no OPTIONS
    // /users/me), but Fastify sends GET /users/me to its own route: the plugin options decide.
    const mine = await server.inject(preflight('/users/me', partner, 'GET', 'content-type'))
    expect(mine.statusCode).toBe(403)
    const fine = await server.inject(preflight('/users/me', app, 'GET', 'content-type'))
    expect(fine.statusCode).toBe(204)
    expect(fine.headers['access-control-allow-origin']).toBe(app)
    const other = await server.inject(preflight('/users/7', partner, 'GET', 'content-type'))
    expect(other.headers['access-control-allow-origin']).toBe(partner)
  })

  it('follows Fastify to the parametric route when the path has no route for that method', async () => {
    const server = await build(plugin, routes)
    // There is no PUT /items/mine: Fastify sends PUT there to /items/:id, and so goes the preflight.
    const put = await server.inject(preflight('/items/mine', partner, 'PUT'))
    expect(put.statusCode).toBe(204)
    expect(put.headers['access-control-allow-origin']).toBe(partner)
  })

  it('turns CORS off for a route with cors: false, its preflights included', async () => {
    const server = await build(plugin, routes)
    const actual = await server.inject({ method: 'DELETE', url: '/items/7', headers: { origin: app } })
    expect(actual.statusCode).toBe(200)
    expect(Object.keys(actual.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
    expect(actual.headers.vary).toBeUndefined()
    const refused = await server.inject(preflight('/items/7', app, 'DELETE'))
    expect(refused.statusCode).toBe(404)
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
  })

  it("keeps the app's own OPTIONS handler, even one registered after the route", async () => {
    const server = await build(plugin, (root) => {
      root.put('/docs/:id', { config: { cors: { origin: partner } } }, () => 'saved')
      root.options('/docs/:id', () => 'docs options')
    })
    const plain = await server.inject({ method: 'OPTIONS', url: '/docs/1' })
    expect(plain.body).toBe('docs options')
    const aimed = await server.inject(preflight('/docs/1', partner, 'PUT'))
    expect(aimed.statusCode).toBe(204)
    expect(aimed.headers['access-control-allow-origin']).toBe(partner)
    const other = await server.inject(preflight('/docs/1', app, 'DELETE'))
    expect(other.statusCode).toBe(204)
    expect(other.headers['access-control-allow-origin']).toBe(app)
  })

  it('works under a prefix, for its root path too', async () => {
    const server = await build(plugin, (root) => {
      root.register(
        async (child) => {
          // GET '/' also brings HEAD '/v2' and HEAD '/v2/', each announced to onRoute.
          child.get('/', { config: { cors: { origin: partner } } }, () => 'list')
          child.post('/', { config: { cors: { origin: partner } } }, () => 'created')
          child.put('/:id', { config: { cors: { origin: partner } } }, () => 'saved')
        },
        { prefix: '/v2' },
      )
    })
    for (const path of ['/v2', '/v2/']) {
      const rootPath = await server.inject(preflight(path, partner, 'POST'))
      expect(rootPath.statusCode, path).toBe(204)
      expect(rootPath.headers['access-control-allow-origin'], path).toBe(partner)
    }
    const param = await server.inject(preflight('/v2/9', partner, 'PUT'))
    expect(param.headers['access-control-allow-origin']).toBe(partner)
  })

  it('validates route options when the route is added', async () => {
    const server = Fastify()
    await server.register(cors, plugin)
    expect(() =>
      server.get('/bad', { config: { cors: { origin: 'https://bad.example/' } } }, () => 'x'),
    ).toThrow(CorsConfigError)
    expect(() => server.get('/wild', { config: { cors: { origin: '*' } } }, () => 'x')).toThrow(/credentials/)
    expect(() =>
      server.get('/wild-ok', { config: { cors: { origin: '*', credentials: false } } }, () => 'x'),
    ).not.toThrow()
  })

  it('compiles each route policy once, not per request', async () => {
    const calls = vi.mocked(createCors).mock.calls
    const before = calls.length
    const server = await build(plugin, routes)
    // The plugin's policy only: route policies extend it (policy.extend), reusing its checked origin list.
    expect(calls.length - before).toBe(1)
    const compiled = calls.length
    for (let i = 0; i < 3; i++) {
      await server.inject({ method: 'PUT', url: `/items/${i}`, headers: { origin: partner } })
      await server.inject(preflight(`/items/${i}`, partner, 'PUT'))
    }
    expect(calls.length).toBe(compiled)
  })

  it('warns when a route with options was added before the plugin loaded (register not awaited)', async () => {
    const lines: string[] = []
    const server = Fastify({
      logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } },
    })
    server.register(cors, plugin)
    server.put('/early/:id', { config: { cors: { origin: partner } } }, () => 'saved')
    await server.ready()
    const response = await server.inject({ method: 'PUT', url: '/early/1', headers: { origin: partner } })
    expect(response.headers['access-control-allow-origin']).toBe(partner)
    await server.inject({ method: 'PUT', url: '/early/2', headers: { origin: partner } })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '{}').msg).toMatch(/\/early\/:id was added before the plugin loaded/)
  })

  it('gives an encapsulated plugin routes of its own options', async () => {
    const server = await build({ origin: app }, (root) => {
      root.register(
        fp(async (child) => {
          child.get('/webhook', { config: { cors: false } }, () => 'ok')
        }),
      )
    })
    const response = await server.inject({ url: '/webhook', headers: { origin: app } })
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
  })
})

// Issue 18.9: route policies made from a shared policy stayed attached to it after app.close(): after
// 300 closed apps update() rebuilt 300 policies, and a closed app's route { credentials: true } kept
// blocking update({ origin: '*' }).
describe('a shared policy and closed apps', () => {
  it('releases the route policies on close: they no longer block or slow its updates', async () => {
    const shared = createCors<FastifyRequest>({ origin: [app] })
    for (let i = 0; i < 300; i++) {
      const server = Fastify()
      await server.register(cors, shared)
      server.get('/private', { config: { cors: { credentials: true } } }, () => 'ok')
      await server.ready()
      await server.close()
    }
    expect(() => shared.update({ origin: '*' })).not.toThrow()
    // An open app's route policy still follows the shared one, and still blocks what it must.
    shared.update({ origin: [app] })
    const open = Fastify()
    await open.register(cors, shared)
    open.get('/private', { config: { cors: { credentials: true } } }, () => 'ok')
    await open.ready()
    expect(() => shared.update({ origin: '*' })).toThrow(CorsConfigError)
    await open.close()
    expect(() => shared.update({ origin: '*' })).not.toThrow()
  })
})
