import {
  type CorsOptions,
  type CorsPolicy,
  corsHeadersRecord,
  createCors,
  decorateResponse,
  isCorsPolicy,
  isPlainObject,
  toCorsRequest,
} from '@cors/core'

// What withCors and withCorsRoutes share: the options, and the per-request function.

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

function internalError(error: unknown): Response {
  console.error(error)
  return new Response('Internal Server Error', {
    status: 500,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}

// `onError` is this adapter's own option: taken out (read once) before the rest goes to the core,
// which refuses options that are not a plain object and validates the others.
export function split(
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
export function wrap<Rest extends unknown[]>(
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
      // A record, not response.headers: servers that optimize for it (@hono/node-server) keep it as is.
      return new Response(null, { status: decision.status, headers: corsHeadersRecord(decision) })
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
