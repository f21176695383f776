import Router from '@koa/router'
import Koa, { type Context, type Middleware } from 'koa'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type CorsRejection,
  cors,
  type KoaCorsOptions,
  validateCorsOptions,
} from './index.ts'

// An application's own context augmentation, which the hooks must see.
declare module 'koa' {
  interface DefaultContext {
    tenant?: string
  }
}

describe('@cors/koa types', () => {
  it('returns Koa middleware that the app and a router accept', () => {
    expectTypeOf(cors).returns.toEqualTypeOf<Middleware>()
    new Koa().use(cors())
    new Router().use(cors({ origin: 'https://app.example.com' }))
  })

  it('types the options as the core options over the Koa context', () => {
    expectTypeOf<KoaCorsOptions>().toEqualTypeOf<CorsOptions<Context>>()
    expectTypeOf(cors).parameter(0).toEqualTypeOf<KoaCorsOptions | CorsPolicy<Context> | undefined>()
  })

  it('gives the origin function and onReject the Koa context, augmentations included', () => {
    cors({
      origin: (origin, ctx) => {
        expectTypeOf(origin).toEqualTypeOf<string>()
        expectTypeOf(ctx).toEqualTypeOf<Context>()
        expectTypeOf(ctx.tenant).toEqualTypeOf<string | undefined>()
        return Promise.resolve(ctx.get('x-tenant') === 'a')
      },
      onReject: (rejection, ctx) => {
        expectTypeOf(rejection).toEqualTypeOf<CorsRejection>()
        expectTypeOf(ctx).toEqualTypeOf<Context>()
      },
    })
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
    expectTypeOf<NonNullable<KoaCorsOptions['onReject']>>().parameter(1).toEqualTypeOf<Context>()
    expectTypeOf(validateCorsOptions).toBeFunction()
    expectTypeOf<CorsDecision['kind']>().toEqualTypeOf<'preflight' | 'actual' | 'non-cors'>()
  })
})
