/**
 * @module
 * `@cors/express`: Fetch-standard CORS middleware for Express 4 and 5, Connect and plain `node:http`.
 * The policy is validated and compiled once, when `cors()` is called; its headers are written when
 * the response head is, so they reach every response: errors, 404s, redirects, files and streams.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import {
  appendVary,
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  toCorsRequest,
} from '@cors/core'

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

// The policy that already ran on a response: a second, different one is a configuration mistake.
const kPolicy = Symbol('@cors/express policy')
type Marked = ServerResponse & { [kPolicy]?: object }
type WriteHead = (status: number, message?: unknown, headers?: unknown) => ServerResponse

const overlap = (): Error =>
  new Error(
    "@cors/express: two CORS policies apply to this request (one cors() on the app or a router, another on a router or route below it). Mount one policy per path, e.g. app.use('/public', cors(A)) and app.use('/admin', cors(B)), or pass the same createCors() policy to both.",
  )

const none: readonly string[] = []

// Removes the `unset` CORS headers the response carries, sets the decision's headers where they
// differ (`names`: its own keys, so a polluted prototype never becomes a header) and merges Vary.
// Returns the Vary value left on the response; `left`, the value left last time, needs no new merge
// (`null` the first time, when nothing is compared).
function apply(
  res: ServerResponse,
  decision: CorsDecision,
  names: readonly string[],
  unset: readonly string[],
  left: unknown,
): unknown {
  const { headers } = decision
  if (unset.length > 0) {
    // One pass over the names present: cheaper than asking for each of up to seven names.
    const present = res.getHeaderNames()
    for (let i = 0; i < present.length; i++) {
      const name = present[i]!
      if (name.startsWith('access-control-') && unset.includes(name)) res.removeHeader(name)
    }
  }
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    if (left === null || res.getHeader(name) !== headers[name]) res.setHeader(name, headers[name]!)
  }
  const vary = res.getHeader('vary')
  if (decision.vary.length === 0 || vary === left) return vary
  const merged =
    vary === undefined && decision.vary.length === 1 ? decision.vary[0]! : appendVary(vary, decision.vary)
  if (merged !== vary) res.setHeader('vary', merged)
  return merged
}

// The application runs after the middleware and may replace Vary or set its own Access-Control-*
// headers: the decision is enforced again when the head is written, which every response path
// (end, write, pipe, sendFile, finalhandler) goes through, as on-headers does.
function enforceAtWrite(
  res: ServerResponse,
  decision: CorsDecision,
  names: readonly string[],
  vary: unknown,
) {
  const writeHead = res.writeHead as WriteHead
  res.writeHead = function corsWriteHead(this: ServerResponse, status, message?, headers?) {
    // Headers passed to writeHead would be set after ours: set them first, then write ours.
    const given = (typeof message === 'string' ? headers : message) as OutgoingHttpHeaders | unknown[]
    if (Array.isArray(given))
      for (let i = 0; i + 1 < given.length; i += 2)
        this.appendHeader(String(given[i]), given[i + 1] as string)
    else if (given != null) for (const name of Object.keys(given)) this.setHeader(name, given[name]!)
    apply(this, decision, names, decision.unset, vary)
    return typeof message === 'string' ? writeHead.call(this, status, message) : writeHead.call(this, status)
  } as ServerResponse['writeHead']
}

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
  const run = (res: Marked, next: (error?: unknown) => void, decision: CorsDecision): void => {
    const names = Object.keys(decision.headers)
    if (decision.respond) {
      apply(res, decision, names, decision.unset, null)
      res.statusCode = decision.status
      res.setHeader('content-length', '0')
      res.end()
      return
    }
    // Set now for the application to see; `unset` is enforced once, when the head is written.
    res[kPolicy] = policy
    enforceAtWrite(res, decision, names, apply(res, decision, names, none, null))
    next()
  }
  return function corsMiddleware(req, res: Marked, next) {
    const ran = res[kPolicy]
    if (ran !== undefined) {
      next(ran === policy ? undefined : overlap())
      return
    }
    const headers = req.headers
    const decision = policy.decide(
      toCorsRequest(req.method ?? 'GET', (name) => headers[name]),
      req,
    )
    // Only an async origin function makes the decision a promise; the common path stays synchronous.
    if (decision instanceof Promise) decision.then((d) => run(res, next, d), next)
    else run(res, next, decision)
  }
}

export default cors
