/**
 * @module
 * `@cors/express`: Fetch-standard CORS middleware for Express 4 and 5, Connect and plain `node:http`.
 * The policy is validated and compiled once, when `cors()` is called; its headers are written when
 * the response head is, so they reach every response: errors, 404s, redirects, files and streams.
 */
import { type IncomingMessage, ServerResponse } from 'node:http'
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  sameCorsPolicy,
  toCorsRequest,
} from '@cors/core'
import { decided, hook, kState, type Marked, writer } from './response.ts'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

/**
 * Options of `cors()`: every core option; the `origin` function and `onReject` receive the request
 * (`IncomingMessage`, or Express's `Request` with `cors<Request>(...)`).
 */
export type ExpressCorsOptions<Req extends IncomingMessage = IncomingMessage> = CorsOptions<Req>

/** A Connect-style middleware: Express's `app.use`, routers and routes take it; so does `node:http`. */
export type ExpressCorsMiddleware<Req extends IncomingMessage = IncomingMessage> = (
  req: Req,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

const overlap = (): Error =>
  new Error(
    "@cors/express: two CORS policies apply to this request, with different options (one cors() on the app or a router, another on a router or route below it). A likely cause: a leftover app.options('*', cors()) from the cors package, which @cors/express does not need (app.use(cors()) answers every preflight): remove it. Otherwise mount one policy per path, e.g. app.use('/public', cors(A)) and app.use('/admin', cors(B)), or pass the same createCors() policy (or equal options) to both.",
  )

// While an async origin function decides, something else may answer (a connect-timeout-style
// middleware's 503, a client gone): the late decision is dropped, and neither the application nor
// `next` runs for a response already on its way. Setting headers then would throw
// ERR_HTTP_HEADERS_SENT inside a promise and end the process.
const late = (res: ServerResponse): boolean => res.headersSent || res.writableEnded

/**
 * Creates a Connect-style middleware that applies a CORS policy (also the default export). Allowed
 * preflights are answered at once (`optionsSuccessStatus`, empty body) and refused ones `403` without
 * CORS headers, before later middleware such as authentication runs; every other request goes on
 * with `next()`. Throws a `CorsConfigError` at once when the options are invalid.
 *
 * @example
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }))
 * // node:http: createServer((req, res) => middleware(req, res, () => handler(req, res)))
 */
export function cors<Req extends IncomingMessage = IncomingMessage>(
  options: ExpressCorsOptions<Req> | CorsPolicy<Req> = {},
): ExpressCorsMiddleware<Req> {
  const policy = createCors<Req>(options)
  hook(ServerResponse.prototype)
  const run = (res: Marked, next: (error?: unknown) => void, decision: CorsDecision): void => {
    if (decision.respond) {
      writer.write(res, decision)
      // No body: Node sends Content-Length: 0 itself, and none on a 204 (RFC 9110 forbids it there).
      res.statusCode = decision.status
      res.end()
      return
    }
    // Set now for the application to see; `unset` is enforced once, when the head is written.
    decided(res, policy, decision)
    next()
  }
  return function corsMiddleware(req, res: Marked, next) {
    const ran = res[kState]
    if (ran !== undefined) {
      // Equal options are one policy (sameCorsPolicy): the second stands aside.
      next(ran.policy === policy || sameCorsPolicy(ran.policy, policy) ? undefined : overlap())
      return
    }
    const headers = req.headers
    const decision = policy.decide(
      toCorsRequest(req.method ?? 'GET', (name) => headers[name]),
      req,
    )
    // Only an async origin function makes the decision a promise; the common path stays synchronous.
    if (decision instanceof Promise) decision.then((d) => late(res) || run(res, next, d), next)
    else run(res, next, decision)
  }
}

export default cors
