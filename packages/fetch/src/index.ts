/**
 * @module
 * `@cors/fetch`: Fetch-standard CORS for any Web Fetch handler `(request, ...rest) => Response`,
 * on Deno, Bun, Cloudflare Workers, Next.js route handlers or Node. The policy is validated and
 * compiled once, when `withCors` is called.
 */
import {
  type CorsOptions,
  type CorsPolicy,
  createCors,
  createCorsWriter,
  decorateResponse,
  isCorsPolicy,
  isPlainObject,
  toCorsRequest,
} from '@cors/core'

// createCors too: one policy shared by several handlers (withCors, withCorsRoutes, @cors/next's proxy)
// without installing @cors/core beside this package.
export { createCors } from '@cors/core'
// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

/** Options of `withCors`: every core option (the hooks receive the `Request`), plus `onError`. */
export type FetchCorsOptions = CorsOptions<Request> & {
  /**
   * Turns an error thrown by the handler into a `Response`, which then gets the CORS headers like
   * any other (return a `Response`, or re-throw). By default the error is written to `console.error`
   * and answered with a plain `500` carrying the CORS headers, so the page sees the 500 and not a
   * misleading "CORS error".
   */
  onError?: (error: unknown, request: Request) => Response | Promise<Response>
}

/** A Web Fetch handler; extra arguments (a Workers `env` and `ctx`, say) pass through. */
export type FetchHandler<Rest extends unknown[] = []> = (
  request: Request,
  ...rest: Rest
) => Response | Promise<Response>

// Responses from fetch() and Response.redirect() have immutable headers: those are re-wrapped (the body
// passed on as a stream, never buffered) before the CORS headers are added. Every other response keeps
// its identity and gets its headers in place.
const rewrap = (response: Response): Response => new Response(response.body, response)

// An answered preflight's headers, as a record: servers that optimize for it (@hono/node-server) keep
// headers passed at construction as they are, where touching response.headers would build a Headers.
const record = createCorsWriter<Record<string, string>>({
  get: (headers, name) => (Object.hasOwn(headers, name) ? headers[name] : undefined),
  set: (headers, name, value) => {
    headers[name] = value
  },
  delete: (headers, name) => {
    delete headers[name]
  },
})

function internalError(error: unknown): Response {
  console.error(error)
  return new Response('Internal Server Error', {
    status: 500,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}

// `onError` is this adapter's own option: taken out (read once) before the rest goes to the core,
// which refuses options that are not a plain object and validates the others.
function split(
  options: FetchCorsOptions | CorsPolicy<Request>,
): [CorsPolicy<Request>, FetchCorsOptions['onError']] {
  if (isCorsPolicy(options) || !isPlainObject(options))
    return [createCors<Request>(options as CorsOptions<Request>), undefined]
  const { onError, ...cors } = options
  if (onError !== undefined && typeof onError !== 'function')
    throw new TypeError('@cors/fetch: onError must be a function (error, request) => Response')
  return [createCors<Request>(cors as CorsOptions<Request>), onError]
}

/** The per-request function shared by `withCors` and `withCorsRoutes`. */
function wrap<Rest extends unknown[]>(
  handler: FetchHandler<Rest>,
  policy: CorsPolicy<Request>,
  onError: FetchCorsOptions['onError'],
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    const pending = policy.decide(
      toCorsRequest(request.method, (name) => request.headers.get(name)),
      request,
    )
    // Only an async origin function makes the decision a promise: the common path awaits nothing.
    const decision = pending instanceof Promise ? await pending : pending
    if (decision.respond) {
      const headers: Record<string, string> = {}
      record.write(headers, decision)
      return new Response(null, { status: decision.status, headers })
    }
    let response: Response
    try {
      response = await handler(request, ...rest)
    } catch (error) {
      response = onError === undefined ? internalError(error) : await onError(error, request)
    }
    // Bun's server.upgrade() has the handler return undefined: there is no response to decorate.
    if (response === undefined) return response
    return decorateResponse(response, decision, rewrap)
  }
}

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
