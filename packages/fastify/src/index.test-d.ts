import Fastify, { type FastifyContextConfig, type FastifyPluginAsync, type FastifyRequest } from 'fastify'
import { describe, expectTypeOf, it } from 'vitest'
import defaultExport, {
  type CorsDecision,
  type CorsOptions,
  type CorsRejection,
  type CorsRequest,
  cors,
  type FastifyCorsOptions,
  type FastifyCorsPluginOptions,
  type FastifyCorsRouteOptions,
} from './index.ts'

describe('cors types', () => {
  it('is a Fastify plugin taking the core options with the FastifyRequest', () => {
    expectTypeOf(cors).toEqualTypeOf<FastifyPluginAsync<FastifyCorsPluginOptions>>()
    expectTypeOf(defaultExport).toEqualTypeOf(cors)
    expectTypeOf<FastifyCorsOptions>().toEqualTypeOf<CorsOptions<FastifyRequest>>()
  })

  it('registers with the core options and Fastify register options', async () => {
    const app = Fastify()
    await app.register(cors)
    await app.register(cors, { origin: ['https://app.example.com'], credentials: true, maxAge: 600 })
    await app.register(cors, { origin: 'https://app.example.com', prefix: '/api', logLevel: 'warn' })
  })

  it('gives the hooks the FastifyRequest', async () => {
    const app = Fastify()
    await app.register(cors, {
      origin: (origin, request) => {
        expectTypeOf(origin).toEqualTypeOf<string>()
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
        return request.url.startsWith('/public')
      },
      onReject: (rejection, request) => {
        expectTypeOf(rejection).toEqualTypeOf<CorsRejection>()
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
        request.log.warn(rejection.message)
      },
    })
  })

  it('rejects what the core rejects in types', async () => {
    const app = Fastify()
    // @ts-expect-error origin: true reflects any origin, never with credentials
    await app.register(cors, { origin: true, credentials: true })
    // @ts-expect-error @fastify/cors's hook option does not exist: preflights are answered in onRequest
    await app.register(cors, { hook: 'preHandler' })
    // @ts-expect-error maxAge is a number of seconds
    await app.register(cors, { maxAge: '600' })
  })

  it('types config.cors on routes through the FastifyContextConfig augmentation', () => {
    expectTypeOf<FastifyContextConfig['cors']>().toEqualTypeOf<FastifyCorsRouteOptions | false | undefined>()
    const app = Fastify()
    app.get('/public', { config: { cors: { origin: '*', credentials: false } } }, () => 'ok')
    app.get('/partner', { config: { cors: { origin: 'https://partner.example' } } }, () => 'ok')
    // Merged over the plugin options: credentials alone is fine when the plugin sets the origin.
    app.get('/private', { config: { cors: { credentials: true } } }, () => 'ok')
    app.post('/webhook', { config: { cors: false } }, () => 'ok')
    app.get('/typed', (request) => {
      expectTypeOf(request.routeOptions.config.cors).toEqualTypeOf<
        FastifyCorsRouteOptions | false | undefined
      >()
    })
    // Fastify infers a route's config type from the literal, so the checks below use the declared type.
    // @ts-expect-error cors is options or false, never true
    const wrong: FastifyContextConfig = { cors: true }
    // @ts-expect-error unknown option names are refused
    const typo: FastifyContextConfig = { cors: { allowHeaders: ['x-a'] } }
    expectTypeOf(wrong).toEqualTypeOf(typo)
  })

  it('re-exports the core types, so users install one package', () => {
    expectTypeOf<CorsRequest['origin']>().toEqualTypeOf<string | null>()
    expectTypeOf<CorsDecision['kind']>().toEqualTypeOf<'preflight' | 'actual' | 'non-cors'>()
  })
})
