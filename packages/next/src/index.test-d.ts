import type { NextFetchEvent, NextRequest } from 'next/server'
import { NextResponse } from 'next/server'
import { describe, expectTypeOf, it } from 'vitest'
import { cors, type NextCorsOptions, type NextCorsProxy, withCorsRoutes } from './index.ts'

interface RouteContext {
  params: Promise<{ id: string }>
}

describe('@cors/next types', () => {
  it('cors() is a Next proxy: (NextRequest, NextFetchEvent) => Promise<Response>', () => {
    const proxy = cors({ origin: 'https://app.example.com' })
    expectTypeOf(proxy).toEqualTypeOf<NextCorsProxy>()
    expectTypeOf(proxy).parameters.toEqualTypeOf<[NextRequest, NextFetchEvent]>()
    expectTypeOf(proxy).returns.toEqualTypeOf<Promise<Response>>()
  })

  it('composes with logic returning a response, NextResponse helpers or nothing', () => {
    cors({}, (request) => {
      if (request.nextUrl.pathname === '/old') return NextResponse.redirect(new URL('/new', request.url))
      if (request.cookies.get('session') === undefined) return new Response(null, { status: 401 })
    })
    cors({}, async () => NextResponse.next())
    cors({}, () => {})
    // @ts-expect-error the logic returns a Response or nothing
    cors({}, () => 'ok')
  })

  it('gives the hooks the NextRequest', () => {
    const options: NextCorsOptions = {
      origin: (origin, request) => {
        expectTypeOf(origin).toBeString()
        expectTypeOf(request).toEqualTypeOf<NextRequest>()
        return request.nextUrl.pathname.startsWith('/api')
      },
      onReject: (_rejection, request) => expectTypeOf(request).toEqualTypeOf<NextRequest>(),
      onError: (_error, request) => {
        expectTypeOf(request).toEqualTypeOf<NextRequest>()
        return new Response(null, { status: 500 })
      },
    }
    cors(options)
  })

  it('types withCorsRoutes by the handlers given (issue 19.8)', () => {
    const { GET, OPTIONS } = withCorsRoutes({
      GET: (request: NextRequest, context: RouteContext) =>
        Response.json({ path: request.nextUrl.pathname, context }),
    })
    expectTypeOf(GET).parameters.toEqualTypeOf<[request: NextRequest, context: RouteContext]>()
    expectTypeOf(GET).returns.toEqualTypeOf<Promise<Response>>()
    expectTypeOf(OPTIONS).returns.toEqualTypeOf<Promise<Response>>()
    // @ts-expect-error PUT was not given
    const { PUT } = withCorsRoutes({ GET: () => new Response() })
    void PUT
  })

  it('refuses the mistakes the core refuses', () => {
    // @ts-expect-error credentials need an explicit origin
    cors({ credentials: true })
    // @ts-expect-error unknown option (the hono/cors spelling)
    withCorsRoutes({ GET: () => new Response() }, { allowHeaders: ['X-Foo'] })
  })
})
