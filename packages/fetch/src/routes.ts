import { type CorsPolicy, isCorsPolicy, isPlainObject } from '@cors/core'
import { type FetchCorsOptions, type FetchHandler, split, wrap } from './wrap.ts'

// withCorsRoutes: one policy for the handlers of one route file (Next.js App Router `route.ts`).

/** HTTP methods a Next.js App Router route file can export. */
export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'

/** A route handler of any request type and arguments (a Next.js `NextRequest` and route context, say). */
export type RouteHandler = (request: never, ...rest: never[]) => Response | Promise<Response>

/** The handlers a route file exports, by method. */
export type RouteHandlers = { readonly [M in RouteMethod]?: RouteHandler }

/**
 * A handler wrapped by `withCorsRoutes`: the same parameters (at least the request, which the policy
 * reads), always a promise of a `Response`.
 */
export type CorsRouteHandler<H> = H extends (...args: infer A) => unknown
  ? (...args: A extends [] ? [request: Request] : A) => Promise<Response>
  : never

/**
 * What `withCorsRoutes` returns: each handler given, wrapped, plus `OPTIONS` (yours, wrapped, or the
 * one that answers preflights). No other method: `export const { PUT } = withCorsRoutes({ GET })`
 * does not compile.
 */
export type CorsRoutes<H extends RouteHandlers> = {
  readonly [M in Exclude<keyof H, 'OPTIONS'>]-?: CorsRouteHandler<H[M]>
} & {
  readonly OPTIONS: CorsRouteHandler<'OPTIONS' extends keyof H ? H['OPTIONS'] : H[keyof H]>
}

// The order methods are listed in, in `Allow` and in the default `Access-Control-Allow-Methods`.
const routeMethods: readonly RouteMethod[] = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS']

// Without `methods`, preflights may ask for what the route exports, HEAD with GET (Next.js answers HEAD
// with the GET handler); never OPTIONS, as in the core's default (list it in `methods` to allow it).
function routeOptions(
  options: FetchCorsOptions | CorsPolicy<Request>,
  exported: readonly RouteMethod[],
): FetchCorsOptions | CorsPolicy<Request> {
  if (isCorsPolicy(options) || !isPlainObject(options) || options.methods !== undefined) return options
  const methods = routeMethods.filter(
    (m) => m !== 'OPTIONS' && (exported.includes(m) || (m === 'HEAD' && exported.includes('GET'))),
  )
  return { ...options, methods }
}

/**
 * One policy for every method a route exports (Next.js App Router `route.ts`, or any router that
 * takes a handler per method). Each handler is wrapped, and an `OPTIONS` handler is added so
 * preflights are answered; an `OPTIONS` request that is not a preflight goes to your own `OPTIONS`
 * handler, or gets `204` with `Allow`. Without a `methods` option, preflights may ask for the
 * exported methods only (and HEAD when GET is exported).
 *
 * @example
 * export const { GET, POST, OPTIONS } = withCorsRoutes({ GET: list, POST: create }, { origin: 'https://app.example.com' })
 */
export function withCorsRoutes<const H extends RouteHandlers>(
  handlers: H & { readonly [K in Exclude<keyof H, RouteMethod>]: never },
  options: FetchCorsOptions | CorsPolicy<Request> = {},
): CorsRoutes<H> {
  const exported = routeMethods.filter((m) => typeof (handlers as RouteHandlers)[m] === 'function')
  const [policy, onError] = split(routeOptions(options, exported))
  const allow = ['OPTIONS', ...exported.filter((m) => m !== 'OPTIONS')].join(', ')
  const options204: FetchHandler = () => new Response(null, { status: 204, headers: { allow } })
  const routes: Partial<Record<RouteMethod, FetchHandler<unknown[]>>> = {}
  for (const method of exported)
    routes[method] = wrap(handlers[method] as FetchHandler<unknown[]>, policy, onError)
  routes.OPTIONS ??= wrap(options204, policy, onError)
  return routes as unknown as CorsRoutes<H>
}
