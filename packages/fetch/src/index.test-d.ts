import { describe, expectTypeOf, it } from 'vitest'
import { type CorsDecision, type FetchCorsOptions, withCors } from './index.ts'

interface Env {
  DB: { query(sql: string): Promise<unknown> }
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

describe('withCors types', () => {
  it('keeps the handler signature, extra arguments included', () => {
    const handler = withCors((_request: Request, env: Env, ctx: ExecutionContext) => {
      ctx.waitUntil(env.DB.query('select 1'))
      return new Response('ok')
    })
    expectTypeOf(handler).parameters.toEqualTypeOf<[Request, Env, ExecutionContext]>()
    expectTypeOf(handler).returns.toEqualTypeOf<Promise<Response>>()
  })

  it('accepts a plain (request) => Response handler', () => {
    expectTypeOf(withCors(() => new Response())).toEqualTypeOf<(request: Request) => Promise<Response>>()
  })

  it('gives the hooks the Request', () => {
    const options: FetchCorsOptions = {
      origin: (origin, request) => {
        expectTypeOf(origin).toBeString()
        expectTypeOf(request).toEqualTypeOf<Request>()
        return true
      },
      onReject: (rejection, request) => {
        expectTypeOf(rejection.reason).not.toEqualTypeOf<'allowed'>()
        expectTypeOf(request).toEqualTypeOf<Request>()
      },
      onError: (error, request) => {
        expectTypeOf(error).toBeUnknown()
        expectTypeOf(request).toEqualTypeOf<Request>()
        return new Response(null, { status: 500 })
      },
    }
    expectTypeOf(options).toMatchTypeOf<FetchCorsOptions>()
    expectTypeOf<CorsDecision['kind']>().toEqualTypeOf<'preflight' | 'actual' | 'non-cors'>()
  })

  it('refuses common mistakes', () => {
    // @ts-expect-error credentials need an explicit origin
    withCors(() => new Response(), { credentials: true })
    // @ts-expect-error origin: true (reflect any origin) is never allowed with credentials
    withCors(() => new Response(), { origin: true, credentials: true })
    // @ts-expect-error unknown option (hono/cors spelling)
    withCors(() => new Response(), { allowHeaders: ['X-Foo'] })
    // @ts-expect-error the handler must return a Response
    withCors(() => 'ok')
  })
})
