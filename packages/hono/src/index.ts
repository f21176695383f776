/**
 * @module
 * `@cors/hono`: Fetch-standard CORS as a Hono middleware, on every runtime Hono runs on (Node through
 * `@hono/node-server`, Deno, Bun, Cloudflare Workers, Vercel, ...). Uses Web APIs only. The policy is
 * validated and compiled once, when `cors()` is called.
 */
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  decorateResponse,
  toCorsRequest,
} from '@cors/core'
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

// Overlapping scopes (`app.use('*', cors(A))` and `app.use('/admin/*', cors(B))`): when several of
// these middlewares match one request, the last one in Hono's order governs it, and exactly one does.
// The first of them to run cannot leave the request to a later one: that one may never run (a route
// registered between them answers first: `app.use('*', cors(A))`, the route, then
// `app.use('/admin/*', cors(B))`). So the first to run applies the last matched one's policy at once,
// and marks the context: the others stand aside. The preflight (which matches no method route) and
// the actual request are then governed by the same policy, whatever the registration order.
const policies = new WeakMap<object, CorsPolicy<never>>()
const governed = new WeakSet<Context>()
let created = 0
type Matched = { handler: { __COMPOSED_HANDLER?: unknown } }

// The policy of the last of these middlewares matched for this request (this one's when none follows).
function governing<P>(c: Context, own: P): P {
  const routes = c.req.matchedRoutes as unknown as readonly Matched[] | undefined
  if (routes === undefined) return own
  for (let i = routes.length - 1; i > c.req.routeIndex; i--) {
    const handler = routes[i]!.handler
    const policy = policies.get(handler) ?? policies.get(handler.__COMPOSED_HANDLER as object)
    if (policy !== undefined) return policy as P
  }
  return own
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
    let applied = policy
    if (created > 1) {
      if (governed.has(c)) return next()
      governed.add(c)
      applied = governing(c, policy)
    }
    const pending = applied.decide(
      toCorsRequest(c.req.method, (name) => c.req.header(name)),
      c,
    )
    let decision: CorsDecision
    if (pending instanceof Promise) {
      const answered = c.finalized
      decision = await pending
      // Answered while the origin function decided (hono/timeout's error response): the late decision
      // is dropped, and the route does not run for a request that already has its answer.
      if (!answered && c.finalized) return
    } else decision = pending
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
  policies.set(middleware, policy)
  created++
  return middleware
}
