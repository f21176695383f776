import type { OutgoingHttpHeaders } from 'node:http'
import { createCors } from '@cors/core'
import Fastify, { type FastifyInstance, type RouteHandlerMethod } from 'fastify'
import fp from 'fastify-plugin'
import { describe, expect, it, vi } from 'vitest'
import { CorsConfigError, cors, type FastifyCorsOptions } from './index.ts'

const app = 'https://app.example.com'
const partner = 'https://partner.example'
const evil = 'https://evil.example'
const ok: RouteHandlerMethod = () => 'ok'

const preflight = (url: string, origin: string, method: string, headers: Record<string, string> = {}) => ({
  method: 'OPTIONS' as const,
  url,
  headers: { origin, 'access-control-request-method': method, ...headers },
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

async function refusal(register: (server: FastifyInstance) => unknown): Promise<CorsConfigError> {
  const server = Fastify()
  try {
    await register(server)
    await server.ready()
  } catch (error) {
    if (error instanceof CorsConfigError) return error
    throw error
  }
  throw new Error('expected a CorsConfigError')
}

describe('registered inside an encapsulated plugin', () => {
  for (const prefix of ['/subsystem', '']) {
    it(`answers preflights to that plugin's routes (prefix ${JSON.stringify(prefix)}), and only to them`, async () => {
      const server = Fastify()
      server.setNotFoundHandler((_request, reply) => reply.code(404).send('root 404'))
      server.register(
        async (child) => {
          await child.register(cors, { origin: app })
          child.put('/hello', ok)
          child.get('/items/:id', ok)
        },
        { prefix },
      )
      server.put('/outside', ok)
      await server.ready()
      const answered = await server.inject(preflight(`${prefix}/hello`, app, 'PUT'))
      expect(answered.statusCode).toBe(204)
      expect(answered.headers['access-control-allow-origin']).toBe(app)
      const param = await server.inject(
        preflight(`${prefix}/items/7`, app, 'GET', { 'access-control-request-headers': 'x-a' }),
      )
      expect(param.statusCode).toBe(204)
      const refused = await server.inject(preflight(`${prefix}/hello`, evil, 'PUT'))
      expect(refused.statusCode).toBe(403)
      // Not a preflight: the root's not-found handler, as without the plugin.
      const plain = await server.inject({
        method: 'OPTIONS',
        url: `${prefix}/hello`,
        headers: { origin: app },
      })
      expect(plain.statusCode).toBe(404)
      expect(plain.body).toBe('root 404')
      // A route outside the plugin is not covered.
      const outside = await server.inject(preflight('/outside', app, 'PUT'))
      expect(outside.statusCode).toBe(404)
      expect(outside.headers['access-control-allow-origin']).toBeUndefined()
    })
  }
})

describe('routes with constraints', () => {
  it('lets the own policy of a route with a RegExp host constraint govern its preflights', async () => {
    const server = await build({ origin: '*' }, (root) => {
      root.put(
        '/hello',
        { constraints: { host: /^.*\.example\.com$/ }, config: { cors: { origin: partner } } },
        ok,
      )
    })
    const host = { host: 'api.example.com' }
    const refused = await server.inject(preflight('/hello', evil, 'PUT', host))
    expect(refused.statusCode).toBe(403)
    const allowed = await server.inject(preflight('/hello', partner, 'PUT', host))
    expect(allowed.statusCode).toBe(204)
    expect(allowed.headers['access-control-allow-origin']).toBe(partner)
  })

  it('lets the own policy of a version-constrained route govern its preflights, which carry no Accept-Version', async () => {
    const server = await build({ origin: '*' }, (root) => {
      root.put('/hello', { constraints: { version: '2.0.0' }, config: { cors: { origin: partner } } }, ok)
    })
    const refused = await server.inject(preflight('/hello', evil, 'PUT'))
    expect(refused.statusCode).toBe(403)
    const allowed = await server.inject(preflight('/hello', partner, 'PUT'))
    expect(allowed.headers['access-control-allow-origin']).toBe(partner)
  })

  it('lets the own policy of a route with a custom header-derived constraint govern its preflights', async () => {
    // A strategy deriving its value from a header, which a preflight never carries.
    const tenant = new Map<unknown, unknown>()
    const server = Fastify()
    server.addConstraintStrategy({
      name: 'tenant',
      storage: () => ({ get: (k) => (tenant.get(k) as never) ?? null, set: (k, v) => void tenant.set(k, v) }),
      deriveConstraint: (req) => req.headers['x-tenant'] as string,
    })
    await server.register(cors, { origin: '*' })
    server.put('/hello', { constraints: { tenant: 'acme' }, config: { cors: { origin: partner } } }, ok)
    await server.ready()
    expect((await server.inject(preflight('/hello', evil, 'PUT'))).statusCode).toBe(403)
    expect((await server.inject(preflight('/hello', partner, 'PUT'))).statusCode).toBe(204)
  })

  it('decides with the strictest policy among the routes a preflight may be aimed at', async () => {
    const server = await build({ origin: '*' }, (root) => {
      root.put(
        '/doc',
        { constraints: { version: '1.0.0' }, config: { cors: { origin: [app, partner] } } },
        ok,
      )
      root.put(
        '/doc',
        { constraints: { version: '2.0.0' }, config: { cors: { origin: app, credentials: true } } },
        ok,
      )
      root.put('/doc', ok)
    })
    // partner is refused by the version 2 route's policy, so its preflight is refused.
    expect((await server.inject(preflight('/doc', partner, 'PUT'))).statusCode).toBe(403)
    const both = await server.inject(preflight('/doc', app, 'PUT'))
    expect(both.statusCode).toBe(204)
    // Answered as a policy without credentials would answer it.
    expect(both.headers['access-control-allow-credentials']).toBeUndefined()
    // Actual requests carry the header: each route's own policy.
    const v2 = await server.inject({
      method: 'PUT',
      url: '/doc',
      headers: { origin: app, 'accept-version': '2.0.0' },
    })
    expect(v2.headers['access-control-allow-credentials']).toBe('true')
  })
})

describe('options that are not a plain object', () => {
  it("refuses Fastify's async options-function form, which would leave every option at its default", async () => {
    const error = await refusal((server) =>
      server.register(cors, (async () => ({ origin: app })) as unknown as FastifyCorsOptions),
    )
    expect(error.issues[0]).toMatchObject({ code: 'invalid-type', option: 'options' })
    expect(error.message).toMatch(/origin function/)
  })

  it("refuses @fastify/cors's delegator, (instance) => (req, cb) => ...", async () => {
    const delegator = () => (_request: unknown, callback: (e: null, o: object) => void) => callback(null, {})
    const error = await refusal((server) => server.register(cors, delegator as unknown as FastifyCorsOptions))
    expect(error.issues[0]).toMatchObject({ code: 'invalid-type', option: 'options' })
  })
})

describe('route options errors', () => {
  it('names the route whose config.cors is wrong', async () => {
    const error = await refusal(async (server) => {
      await server.register(cors, { origin: app })
      server.put('/orders/:id', { config: { cors: { maxAge: -1 } } }, ok)
    })
    expect(error.message).toMatch(/PUT \/orders\/:id/)
    expect(error.message).not.toMatch(/inherited/)
  })

  it('says when the bad value was inherited from the plugin options', async () => {
    const error = await refusal(async (server) => {
      await server.register(cors, { origin: '*' })
      server.get('/me', { config: { cors: { credentials: true } } }, ok)
    })
    expect(error.message).toMatch(/GET \/me/)
    expect(error.issues[0]).toMatchObject({ code: 'credentials-with-any-origin', option: 'origin' })
    expect(error.issues[0]?.message).toMatch(/inherited from the plugin options/)
  })
})

describe('overlapping scopes', () => {
  it('lets the innermost registration decide, the outer one standing aside', async () => {
    const server = Fastify()
    await server.register(cors, { origin: app, credentials: true, exposedHeaders: ['x-total'] })
    server.register(
      async (child) => {
        await child.register(cors, { origin: partner })
        child.put('/inner', ok)
      },
      { prefix: '/child' },
    )
    server.put('/outer', ok)
    await server.ready()
    const inner = await server.inject({ method: 'PUT', url: '/child/inner', headers: { origin: partner } })
    expect(inner.headers['access-control-allow-origin']).toBe(partner)
    expect(inner.headers['access-control-allow-credentials']).toBeUndefined()
    expect(inner.headers['access-control-expose-headers']).toBeUndefined()
    const innerPreflight = await server.inject(preflight('/child/inner', partner, 'PUT'))
    expect(innerPreflight.statusCode).toBe(204)
    expect(innerPreflight.headers['access-control-allow-origin']).toBe(partner)
    expect((await server.inject(preflight('/child/inner', app, 'PUT'))).statusCode).toBe(403)
    const outer = await server.inject({ method: 'PUT', url: '/outer', headers: { origin: app } })
    expect(outer.headers['access-control-allow-origin']).toBe(app)
    expect((await server.inject(preflight('/outer', partner, 'PUT'))).statusCode).toBe(403)
  })

  it('fails at start-up when registered twice in one scope', async () => {
    const server = Fastify()
    await server.register(cors, { origin: app })
    await expect(
      server.register(fp(async (scope) => scope.register(cors, { origin: partner }))),
    ).rejects.toThrow(/already registered in this scope/)
  })

  // Issue 19.5: two registrations with equal options are one policy: the second stands aside.
  it('lets a second registration with equal options in one scope stand aside', async () => {
    const server = Fastify()
    const onReject = () => {}
    await server.register(cors, { origin: app, credentials: true, onReject })
    await server.register(
      fp(async (scope) => scope.register(cors, { origin: [app], credentials: true, onReject })),
    )
    server.put('/x', async () => 'ok')
    const answered = await server.inject(preflight('/x', app, 'PUT'))
    expect(answered.statusCode).toBe(204)
    expect(answered.headers['access-control-allow-origin']).toBe(app)
    const put = await server.inject({ method: 'PUT', url: '/x', headers: { origin: app } })
    expect(put.headers['access-control-allow-credentials']).toBe('true')
    expect(put.headers.vary).toBe('Origin')
  })
})

describe('the policy owns the Access-Control-* response headers', () => {
  const routes = (root: FastifyInstance) => {
    root.get('/stale', (_request, reply) =>
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-credentials', 'true')
        .send('ok'),
    )
  }

  it("replaces the application's values for an allowed origin and removes them for a refused one", async () => {
    const server = await build({ origin: app }, routes)
    const allowed = await server.inject({ url: '/stale', headers: { origin: app } })
    expect(allowed.headers['access-control-allow-origin']).toBe(app)
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined()
    const refused = await server.inject({ url: '/stale', headers: { origin: evil } })
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
    expect(refused.headers['access-control-allow-credentials']).toBeUndefined()
  })
})

describe('policies', () => {
  it('accepts a policy from createCors as the plugin options, with routes merging over its options', async () => {
    const policy = createCors<never>({ origin: app, credentials: true })
    const server = await build(policy as never, (root) => {
      root.get('/plain', ok)
      root.put('/partner', { config: { cors: { origin: partner } } }, ok)
    })
    const plain = await server.inject({ url: '/plain', headers: { origin: app } })
    expect(plain.headers['access-control-allow-origin']).toBe(app)
    const merged = await server.inject({ method: 'PUT', url: '/partner', headers: { origin: partner } })
    expect(merged.headers['access-control-allow-origin']).toBe(partner)
    expect(merged.headers['access-control-allow-credentials']).toBe('true')
    policy.update({ origin: partner })
    const updated = await server.inject({ url: '/plain', headers: { origin: partner } })
    expect(updated.headers['access-control-allow-origin']).toBe(partner)
  })

  it("reads the plugin's origin list once, however many routes have their own config.cors", async () => {
    const list = [app, 'https://b.example.com']
    const get = vi.fn((target: string[], key: string | symbol) => Reflect.get(target, key))
    const origin = new Proxy(list, { get })
    const server = Fastify()
    await server.register(cors, { origin })
    const reads = get.mock.calls.length
    for (let i = 0; i < 5; i++) server.get(`/r${i}`, { config: { cors: { maxAge: i } } }, ok)
    await server.ready()
    expect(get.mock.calls.length).toBe(reads)
  })
})

describe('reply.hijack()', () => {
  it('carries the CORS headers when the handler writes reply.getHeaders() into writeHead (the README recipe)', async () => {
    const server = await build({ origin: app }, (root) => {
      root.get('/stream', (_request, reply) => {
        reply.hijack()
        reply.raw.writeHead(200, {
          ...reply.getHeaders(),
          'content-type': 'text/plain',
        } as OutgoingHttpHeaders)
        reply.raw.end('streamed')
      })
    })
    const response = await server.inject({ url: '/stream', headers: { origin: app } })
    expect(response.body).toBe('streamed')
    expect(response.headers['access-control-allow-origin']).toBe(app)
    expect(response.headers.vary).toBe('Origin')
  })
})
