/**
 * @module
 * `@cors/express`: Fetch-standard CORS middleware for Express 4 and 5, Connect and plain `node:http`.
 * The policy is validated and compiled once, when `cors()` is called; its headers are written when
 * the response head is, so they reach every response: errors, 404s, redirects, files and streams.
 */
import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http'
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  corsResponseHeaders,
  createCors,
  createCorsWriter,
  sameCorsPolicy,
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

const writer = createCorsWriter<ServerResponse>({
  get: (res, name) => res.getHeader(name),
  set: (res, name, value) => res.setHeader(name, value),
  delete: (res, name) => res.removeHeader(name),
  // engine.io hands an upgrade a stand-in response with getHeader, setHeader and removeHeader only.
  names: (res) =>
    typeof res.getHeaderNames === 'function'
      ? res.getHeaderNames()
      : corsResponseHeaders.filter((name) => res.getHeader(name) !== undefined),
})

// What a policy decided for a response, until its head is written: one symbol-keyed property. A
// second, different policy on the same response is a configuration mistake.
const kState = Symbol('@cors/express')
type Marked = ServerResponse & { [kState]?: { policy: object; decision: CorsDecision; vary: unknown } }
const kHooked = Symbol('@cors/express writeHead')
type WriteHead = ((this: ServerResponse, code: number, reason?: unknown, headers?: unknown) => unknown) & {
  [kHooked]?: true
}

const overlap = (): Error =>
  new Error(
    "@cors/express: two different CORS policies apply to this request (one cors() on the app or a router, another on a router or route below it). A likely cause: a leftover app.options('*', cors()) from the cors package, which @cors/express does not need (app.use(cors()) answers every preflight): remove it. Otherwise mount one policy per path, e.g. app.use('/public', cors(A)) and app.use('/admin', cors(B)), or pass the same createCors() policy (or equal options) to both.",
  )

// The application runs after the middleware and may replace Vary or set headers the policy owns: the
// decision is enforced again when the head is written, which every response path (end, write, pipe,
// sendFile, finalhandler) goes through, a subclass's own writeHead included, as it ends in the base
// one. That one is wrapped once, on the prototype (not on each response, which would change its
// shape), and does nothing on a response no policy decided. Headers passed to writeHead would be set
// after ours: they are set first, read exactly as Node's writeHead reads them, then ours.
function hook(owner: ServerResponse): void {
  const writeHead = owner.writeHead as unknown as WriteHead
  if (writeHead[kHooked]) return
  const corsWriteHead = function (this: Marked, status: number, reason?: unknown, headers?: unknown) {
    const state = this[kState]
    if (state === undefined) return writeHead.call(this, status, reason, headers)
    // Node: a string is the status message, anything else stands for the headers when they are absent.
    const given = typeof reason === 'string' ? headers : (headers ?? reason)
    // What Node refuses (an odd flat list), it refuses itself, with its own error.
    if (!setGiven(this, given)) return writeHead.call(this, status, reason, headers)
    writer.atSend(this, state.decision, state.vary)
    return typeof reason === 'string' ? writeHead.call(this, status, reason) : writeHead.call(this, status)
  } as WriteHead
  corsWriteHead[kHooked] = true
  owner.writeHead = corsWriteHead as unknown as ServerResponse['writeHead']
}

// Sets the headers given to writeHead as Node does; `false` for a list Node refuses. Without headers
// set before (the policy's own aside), Node sends the given ones as they are: a list of [name, value]
// pairs or a flat list, repeated names kept. After setHeader, a flat list replaces the names it gives
// (each removed, then appended), and an object sets each of its names.
const policyOwned = (name: string): boolean => name === 'vary' || name.startsWith('access-control-')
function setGiven(res: ServerResponse, given: unknown): boolean {
  if (Array.isArray(given)) {
    const fresh = res.getHeaderNames().every(policyOwned)
    if (fresh && Array.isArray(given[0])) {
      for (const [name, value] of given as [string, string][]) res.appendHeader(name, value)
      return true
    }
    if (given.length % 2 !== 0) return false
    if (!fresh) for (let i = 0; i < given.length; i += 2) res.removeHeader(given[i] as string)
    for (let i = 0; i < given.length; i += 2) if (given[i]) res.appendHeader(given[i] as string, given[i + 1])
  } else if (given) {
    const record = given as OutgoingHttpHeaders
    for (const name of Object.keys(record)) if (name) res.setHeader(name, record[name]!)
  }
  return true
}

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
      res.statusCode = decision.status
      res.setHeader('content-length', '0')
      res.end()
      return
    }
    // Set now for the application to see; `unset` is enforced once, when the head is written.
    res[kState] = { policy, decision, vary: writer.early(res, decision) }
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
