/**
 * @module
 * `@cors/fetch`: Fetch-standard CORS for any Web Fetch handler `(request, ...rest) => Response`,
 * on Deno, Bun, Cloudflare Workers, Next.js route handlers or Node. The policy is validated and
 * compiled once, when `withCors` is called.
 */
import type { CorsPolicy } from '@cors/core'
import { type FetchCorsOptions, type FetchHandler, split, wrap } from './wrap.ts'

// createCors too: one policy shared by several handlers (withCors, withCorsRoutes, @cors/next's proxy)
// without installing @cors/core beside this package.
export { createCors } from '@cors/core'
// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'
export {
  type CorsRouteHandler,
  type CorsRoutes,
  type RouteHandler,
  type RouteHandlers,
  type RouteMethod,
  withCorsRoutes,
} from './routes.ts'
export type { FetchCorsOptions, FetchHandler } from './wrap.ts'

/**
 * Wraps a Fetch handler with a CORS policy (options, or a policy from `createCors`). Preflights are
 * answered without calling the handler; every other response, errors and redirects included, gets
 * the CORS headers. Throws a `CorsConfigError` at once when the options are invalid.
 *
 * @example
 * export default { fetch: withCors(handler, { origin: 'https://app.example.com' }) }
 */
export function withCors<Rest extends unknown[] = []>(
  handler: FetchHandler<Rest>,
  options: FetchCorsOptions | CorsPolicy<Request> = {},
): (request: Request, ...rest: Rest) => Promise<Response> {
  const [policy, onError] = split(options)
  return wrap(handler, policy, onError)
}
