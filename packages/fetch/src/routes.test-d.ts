import { describe, expectTypeOf, it } from 'vitest'
import { withCorsRoutes } from './index.ts'

// A request subclass and a route context, as Next.js passes them (NextRequest, { params }).
class AppRequest extends Request {
  readonly nextUrl: URL = new URL(this.url)
}
interface RouteContext {
  params: Promise<{ id: string }>
}

describe('withCorsRoutes types (issue 19.8)', () => {
  it('types the result by the handlers given, plus OPTIONS', () => {
    const routes = withCorsRoutes({ GET: () => Response.json([]), POST: async () => new Response() })
    expectTypeOf(routes.GET).toEqualTypeOf<(request: Request) => Promise<Response>>()
    expectTypeOf(routes.OPTIONS).toBeFunction()
    // Not "possibly undefined":
    void routes.GET(new Request('http://api.test/'))
    // @ts-expect-error PUT was not given
    routes.PUT
  })

  it('refuses destructuring a method that was not given, and unknown keys', () => {
    // @ts-expect-error no PUT in { GET }
    const { PUT } = withCorsRoutes({ GET: () => new Response() })
    void PUT
    // @ts-expect-error method names are upper case
    withCorsRoutes({ get: () => new Response() })
  })

  it("keeps each handler's own parameters (a request subclass and a route context)", () => {
    const { GET, OPTIONS } = withCorsRoutes({
      GET: (request: AppRequest, context: RouteContext) =>
        Response.json({ path: request.nextUrl.pathname, context }),
    })
    expectTypeOf(GET).parameters.toEqualTypeOf<[request: AppRequest, context: RouteContext]>()
    expectTypeOf(OPTIONS).parameters.toEqualTypeOf<[request: AppRequest, context: RouteContext]>()
  })

  it('requires handlers to return a Response', () => {
    // @ts-expect-error a string is not a Response
    withCorsRoutes({ GET: () => 'ok' })
  })
})
