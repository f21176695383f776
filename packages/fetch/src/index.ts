/**
 * @module
 * `@cors/fetch`: Fetch-standard CORS for any Web Fetch handler `(request, ...rest) => Response`,
 * on Deno, Bun, Cloudflare Workers, Next.js route handlers or Node. The policy is validated and
 * compiled once, when `withCors` is called.
 */
import { appendVary, type CorsOptions, createCors, decorateResponse, toCorsRequest } from '@cors/core'

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

/** Options of `withCors`: every core option (the hooks receive the `Request`), plus `onError`. */
export type FetchCorsOptions = CorsOptions<Request> & {
  /**
   * Turns an error thrown by the handler into a `Response`, which then gets the CORS headers like
   * any other. Without it the error is re-thrown untouched, so the platform reports it.
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

/**
 * Wraps a Fetch handler with a CORS policy. Preflights are answered without calling the handler;
 * every other response, errors and redirects included, gets the CORS headers. Throws a
 * `CorsConfigError` at once when the options are invalid.
 *
 * @example
 * export default { fetch: withCors(handler, { origin: 'https://app.example.com' }) }
 */
export function withCors<Rest extends unknown[] = []>(
  handler: FetchHandler<Rest>,
  options: FetchCorsOptions = {},
): (request: Request, ...rest: Rest) => Promise<Response> {
  const { onError, ...corsOptions } = options
  const policy = createCors<Request>(corsOptions as CorsOptions<Request>)
  return async (request, ...rest) => {
    const pending = policy.decide(
      toCorsRequest(request.method, (name) => request.headers.get(name)),
      request,
    )
    // Only an async origin function makes the decision a promise: the common path awaits nothing.
    const decision = pending instanceof Promise ? await pending : pending
    if (decision.respond) {
      // Headers passed at construction stay a plain record on servers that optimize for it
      // (@hono/node-server): touching response.headers would build a full Headers object.
      const headers =
        decision.vary.length === 0
          ? decision.headers
          : { ...decision.headers, vary: appendVary(null, decision.vary) }
      return new Response(null, { status: decision.status, headers })
    }
    let response: Response
    try {
      response = await handler(request, ...rest)
    } catch (error) {
      if (onError === undefined) throw error
      response = await onError(error, request)
    }
    return decorateResponse(response, decision, rewrap)
  }
}
