import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import express, { type Request, Router } from 'express'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type CorsRejection,
  cors,
  type ExpressCorsMiddleware,
  type ExpressCorsOptions,
  validateCorsOptions,
} from './index.ts'

describe('@cors/express types', () => {
  it('returns middleware that apps, routers and routes accept', () => {
    const app = express()
    app.use(cors())
    app.use('/api', cors({ origin: 'https://app.example.com' }))
    app.get('/x', cors(), (_req, res) => void res.send('ok'))
    Router().use(cors<Request>({ origin: (_origin, req) => req.path.startsWith('/public') }))
    expectTypeOf(cors()).toEqualTypeOf<ExpressCorsMiddleware<IncomingMessage>>()
  })

  it('runs on plain node:http, with the request typed as IncomingMessage', () => {
    const middleware = cors({
      origin: (origin, req) => {
        expectTypeOf(req).toEqualTypeOf<IncomingMessage>()
        return origin.endsWith('.example.com') && req.headers.host !== undefined
      },
    })
    createServer((req, res) => middleware(req, res, () => res.end()))
    expectTypeOf(middleware).parameter(1).toEqualTypeOf<ServerResponse>()
    expectTypeOf(middleware).parameter(2).toEqualTypeOf<(error?: unknown) => void>()
  })

  it("gives the origin function and onReject Express's Request with cors<Request>()", () => {
    cors<Request>({
      origin: async (origin, req) => {
        expectTypeOf(origin).toEqualTypeOf<string>()
        expectTypeOf(req).toEqualTypeOf<Request>()
        return req.get('x-tenant') === 'a'
      },
      onReject: (rejection, req) => {
        expectTypeOf(rejection).toEqualTypeOf<CorsRejection>()
        expectTypeOf(req.originalUrl).toEqualTypeOf<string>()
      },
    })
    // Inside app.use(), TypeScript infers Request from where the middleware goes.
    express().use(
      cors({
        origin: (_origin, req) => {
          expectTypeOf(req).toEqualTypeOf<Request>()
          return req.path.startsWith('/public')
        },
      }),
    )
    expectTypeOf<ExpressCorsOptions<Request>>().toEqualTypeOf<CorsOptions<Request>>()
    expectTypeOf<ExpressCorsOptions>().toEqualTypeOf<CorsOptions<IncomingMessage>>()
  })

  it('accepts a policy in place of options', () => {
    expectTypeOf(cors<Request>)
      .parameter(0)
      .toEqualTypeOf<ExpressCorsOptions<Request> | CorsPolicy<Request> | undefined>()
  })

  it('refuses a request type that is not a Node request', () => {
    // @ts-expect-error the middleware reads req.method and req.headers
    cors<{ path: string }>()
  })

  it('refuses a reflected or missing origin with credentials at compile time', () => {
    // @ts-expect-error origin: true reflects any origin and may not be combined with credentials
    cors({ origin: true, credentials: true })
    // @ts-expect-error credentials need an explicit origin
    cors({ credentials: true })
    cors({ origin: ['https://app.example.com'], credentials: true, maxAge: 600 })
  })

  it('refuses misspelled or mistyped options', () => {
    // @ts-expect-error the option is allowedHeaders
    cors({ allowHeaders: ['X-A'] })
    // @ts-expect-error maxAge is a number of seconds
    cors({ maxAge: '600' })
  })

  it('re-exports the core API and types', () => {
    expectTypeOf(validateCorsOptions).toBeFunction()
    expectTypeOf<CorsDecision['kind']>().toEqualTypeOf<'preflight' | 'actual' | 'non-cors'>()
  })
})
