/**
 * @module
 * `@cors/hono`: Fetch-standard CORS as a Hono middleware, on every runtime Hono runs on (Node through
 * `@hono/node-server`, Deno, Bun, Cloudflare Workers, Vercel, ...). Uses Web APIs only. The policy is
 * validated and compiled once, when `cors()` is called.
 */
import { applyCorsHeaders, type CorsDecision, type CorsOptions, createCors, toCorsRequest } from '@cors/core'
import type { Context, Env, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { StatusCode } from 'hono/utils/http-status'

// Listed by name: the declaration bundler would turn `export type *` into `export *`, which claims
// runtime exports (createCors...) that this package does not have.
export type {
  CorsConfigIssue,
  CorsDecision,
  CorsOptions,
  CorsOrigin,
  CorsOriginFunction,
  CorsReason,
  CorsRejectHook,
  CorsRejection,
} from '@cors/core'
export { CorsConfigError, validateCorsOptions } from '@cors/core'

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
function write(headers: Headers, decision: CorsDecision): boolean {
  try {
    applyCorsHeaders(headers, decision)
    return true
  } catch (error) {
    if (error instanceof TypeError) return false
    throw error
  }
}

const isEmpty = (decision: CorsDecision): boolean => {
  for (const _ in decision.headers) return false
  return decision.vary.length === 0
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
export function cors<E extends Env = Env>(options: HonoCorsOptions<E> = {}): MiddlewareHandler<E> {
  const policy = createCors<Context<E>>(options)
  return createMiddleware<E>(async (c, next) => {
    const pending = policy.decide(
      toCorsRequest(c.req.method, (name) => c.req.header(name)),
      c,
    )
    const decision = pending instanceof Promise ? await pending : pending
    if (decision.respond) {
      const response = c.body(null, decision.status as StatusCode)
      write(response.headers, decision)
      return response
    }
    await next()
    if (isEmpty(decision) || write(c.res.headers, decision)) return
    // A WebSocket upgrade (101 with immutable headers on Deno and Workers) cannot be copied: the Response
    // constructor refuses statuses below 200. CORS does not apply to WebSockets, so it is left as it is.
    if (c.res.status < 200) return
    c.res = new Response(c.res.body, c.res)
    write(c.res.headers, decision)
  })
}
