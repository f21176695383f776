/**
 * @module
 * `@cors/next`: Fetch-standard CORS for Next.js 15 and 16 (App Router). `cors(options)` is a proxy
 * (`proxy.ts` in Next 16, `middleware.ts` in Next 15) that covers every matched path;
 * `withCorsRoutes(handlers, options)` wraps the handlers of one route file. The policy is validated
 * and compiled once, when either is called.
 */
import type { CorsOptions, CorsPolicy } from '@cors/core'
import {
  type CorsRoutes,
  type FetchCorsOptions,
  type RouteHandlers,
  withCorsRoutes as routes,
  withCors,
} from '@cors/fetch'
import type { NextFetchEvent, NextRequest } from 'next/server'

// createCors too: one policy shared by proxy.ts and the route files that use withCorsRoutes.
export { createCors } from '@cors/core'
// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'
export type { CorsRouteHandler, CorsRoutes, RouteHandler, RouteHandlers, RouteMethod } from '@cors/fetch'

/** Options of `cors` and `withCorsRoutes`: every core option (the hooks receive the `NextRequest`), plus `onError`. */
export type NextCorsOptions = CorsOptions<NextRequest> & {
  /**
   * Turns an error thrown by your proxy logic or route handler into a `Response`, which then gets the
   * CORS headers like any other (return a `Response`, or re-throw). By default the error is written
   * to `console.error` and answered with a plain `500` carrying the CORS headers.
   */
  onError?: (error: unknown, request: NextRequest) => Response | Promise<Response>
}

/** What a proxy (middleware) may return: a response, or nothing to continue to the route. */
// biome-ignore lint/suspicious/noConfusingVoidType: logic that ends without `return` returns void, as Next's own NextMiddlewareResult allows
export type NextProxyResult = Response | null | undefined | void

/** Your own proxy logic, run after the CORS decision for every request that is not an answered preflight. */
export type NextProxyLogic = (
  request: NextRequest,
  event: NextFetchEvent,
) => NextProxyResult | Promise<NextProxyResult>

/** The proxy `cors` returns: export it as `proxy` (Next 16, `proxy.ts`) or `middleware` (Next 15). */
export type NextCorsProxy = (request: NextRequest, event: NextFetchEvent) => Promise<Response>

// What `NextResponse.next()` returns in Next 15 and 16: an empty response carrying the header that
// tells Next to continue to the route, with every other header of it copied onto the final response.
// Built here so the package imports nothing from `next` at run time (the app's own `next` decides).
const next = (): Response => new Response(null, { headers: { 'x-middleware-next': '1' } })

/**
 * A Next.js proxy (middleware) applying one CORS policy (options, or a policy from `createCors`) to
 * every path its `matcher` covers. Preflights are answered here, before any route (so a route that
 * only exports `POST` still gets its preflight). Other requests go on to `logic` when given (auth,
 * rewrites, redirects: return a response, or nothing for `NextResponse.next()`), and the CORS
 * headers and `Vary` land on whatever is returned; Next copies them onto the route's response.
 * Throws a `CorsConfigError` at once when the options are invalid.
 *
 * @example
 * // proxy.ts (Next 16); in Next 15, middleware.ts: export const middleware = cors(...)
 * export const proxy = cors({ origin: 'https://app.example.com' })
 * export const config = { matcher: '/api/:path*' }
 */
export function cors(
  options: NextCorsOptions | CorsPolicy<NextRequest> = {},
  logic?: NextProxyLogic,
): NextCorsProxy {
  const handler =
    logic === undefined
      ? next
      : async (request: NextRequest, event: NextFetchEvent) => (await logic(request, event)) ?? next()
  return withCors(
    handler as (request: Request, event: NextFetchEvent) => Promise<Response>,
    options as FetchCorsOptions,
  ) as NextCorsProxy
}

/**
 * One policy for the handlers of one route file (`app/.../route.ts`): each exported method is
 * wrapped (`HEAD` too when exported), and an `OPTIONS` export answers preflights; an `OPTIONS`
 * request that is not a preflight goes to your own `OPTIONS` handler, or gets `204` with `Allow`
 * listing the exported methods. Without a `methods` option, preflights may ask for the exported
 * methods only (and `HEAD` with `GET`). A thrown error becomes a plain `500` with the CORS headers.
 *
 * @example
 * export const { GET, POST, OPTIONS } = withCorsRoutes({ GET, POST }, { origin: 'https://app.example.com' })
 */
export const withCorsRoutes: <const H extends RouteHandlers>(
  handlers: H & { readonly [K in Exclude<keyof H, RouteHandlerName>]: never },
  options?: NextCorsOptions | CorsPolicy<NextRequest>,
) => CorsRoutes<H> = routes as never

type RouteHandlerName = keyof RouteHandlers
