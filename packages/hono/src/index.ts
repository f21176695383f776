/**
 * @module
 * `@cors/hono`: Fetch-standard CORS as a Hono middleware, on every runtime Hono runs on (Node through
 * `@hono/node-server`, Deno, Bun, Cloudflare Workers, Vercel, ...). Uses Web APIs only. The policy is
 * validated and compiled once, when `cors()` is called.
 */
import { type CorsOptions, type CorsPolicy, createCors, decorateResponse, toCorsRequest } from '@cors/core'
import type { Context, Env, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { StatusCode } from 'hono/utils/http-status'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

/** Options of `cors()`: every core option; an `origin` function and `onReject` receive the Hono `Context`. */
export type HonoCorsOptions<E extends Env = Env> = CorsOptions<Context<E>>

// Why the headers are written into `c.res.headers` after `await next()` (read in hono 4.13 context.js and
// compose.js, @hono/node-server 2.1 response.ts):
// - `c.header()` before `next()` only fills Hono's prepared headers. c.json/c.text/c.redirect copy them,
//   but a raw `new Response()` from a handler never gets them, and a `Vary` passed to `c.text(.., headers)`
//   replaces the prepared one instead of extending it.
// - Touching `c.res` before `next()` makes `set res` rebuild the handler's response from its `.body`, and
//   `c.header()` after `next()` rebuilds the response on every call: both make @hono/node-server turn its
//   lightweight Response into a real one, off its fast path. Reading or changing `c.res.headers` does not.
// - compose stores app.onError's and app.notFound's responses in `c.res` before `next()` resolves, so
//   errors and 404s (also on paths with no route, where this middleware is the only match) pass here.
// - Headers of `fetch()` responses (and of `Response.redirect()` outside node-server) are immutable and
//   throw a TypeError: only then is the response copied, passing the body stream on unbuffered. Changing
//   headers in place also keeps the Response object a handler returned (WebSocket helpers rely on that).
const rewrap = (response: Response): Response => new Response(response.body, response)

// Overlapping scopes (`app.use('*', cors(A))` then `app.use('/admin/*', cors(B))`): when several of
// these middlewares match one request, the last one in Hono's order decides and the others stand
// aside, so one policy answers the preflight and the same one decorates the response.
const middlewares = new WeakSet<object>()
let created = 0
type Matched = { handler: { __COMPOSED_HANDLER?: unknown } }

function standsAside(c: Context): boolean {
  const routes = c.req.matchedRoutes as unknown as readonly Matched[]
  for (let i = c.req.routeIndex + 1; i < routes.length; i++) {
    const handler = routes[i]!.handler
    if (middlewares.has(handler) || middlewares.has(handler.__COMPOSED_HANDLER as object)) return true
  }
  return false
}

/**
 * Creates a Hono middleware that applies a CORS policy. Allowed preflights are answered at once, before
 * any later middleware (authentication, validation) runs; every other response, errors, 404s and
 * redirects included, gets the CORS headers. Throws a `CorsConfigError` at once when the options are
 * invalid.
 *
 * @example
 * app.use('*', cors({ origin: ['https://app.example.com'], credentials: true }))
 */
export function cors<E extends Env = Env>(
  options: HonoCorsOptions<E> | CorsPolicy<Context<E>> = {},
): MiddlewareHandler<E> {
  const policy = createCors<Context<E>>(options)
  const middleware = createMiddleware<E>(async (c, next) => {
    // Only looked for once a second middleware exists in the process: one comparison otherwise.
    if (created > 1 && standsAside(c)) return next()
    const pending = policy.decide(
      toCorsRequest(c.req.method, (name) => c.req.header(name)),
      c,
    )
    const decision = pending instanceof Promise ? await pending : pending
    if (decision.respond) {
      return decorateResponse(c.body(null, decision.status as StatusCode), decision, rewrap)
    }
    await next()
    // Assigning c.res makes Hono rebuild the response: only done when an immutable one had to be copied.
    // Hono's `set res` would copy the old response's headers over the new one (an upstream's
    // Access-Control-Allow-Origin and Vary back over the policy's): clearing it first prevents that.
    const response = decorateResponse(c.res, decision, rewrap)
    if (response !== c.res) {
      c.res = undefined
      c.res = response
    }
  })
  middlewares.add(middleware)
  created++
  return middleware
}
