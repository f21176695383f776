/**
 * @module
 * `@cors/h3`: Fetch-standard CORS as an h3 v2 middleware, for h3 apps and Nitro 3. Uses Web APIs
 * only. The policy is validated and compiled once, when `cors()` is called; preflights are answered
 * before routing, and every response the app produces (thrown `HTTPError`s, `onError` answers, 404s,
 * redirects) carries the CORS headers.
 */
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  decorateResponse,
  sameCorsPolicy,
  toCorsRequest,
} from '@cors/core'
import { type H3Config, type H3Event, type Middleware, toResponse } from 'h3'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

/** Options of `cors()`: every core option; an `origin` function, `onReject` and `bypass` receive the `H3Event`. */
export type H3CorsOptions = CorsOptions<H3Event>

// Why the middleware turns what comes after it into a Response itself (read in h3 2.0 response.mjs):
// h3 builds the Response only once every middleware has returned, and merges headers prepared on
// `event.res` into it with `set` (an application's Vary is replaced, not merged), uses
// `event.res.errHeaders` for errors and >= 400 answers, and drops both when `config.onError` returns a
// Response. So a handler's value, a thrown HTTPError and a 404 are made into the Response here, with
// h3's own `toResponse` and the app's config (its `onError` included), and then decorated: one path
// for every outcome, with Vary merged and the policy owning Access-Control-*. The app's `onResponse`
// is left out here, since h3 calls it once on what this middleware returns.
const configs = new WeakMap<H3Config, H3Config>()

function configOf(event: H3Event): H3Config {
  const config = event.app?.config ?? {}
  if (config.onResponse === undefined) return config
  let own = configs.get(config)
  if (own === undefined) {
    const { onResponse: _calledByH3, ...rest } = config
    own = rest
    configs.set(config, own)
  }
  return own
}

// Headers of fetch() responses and Response.redirect() are immutable: those are copied, body streamed.
const rewrap = (response: Response): Response => new Response(response.body, response)

// h3 takes what the middleware returns as a Response only when it is `instanceof` the global one.
// srvx's responses are built on the Response of when it loaded; a library that later replaces the
// global (@hono/node-server does, in the same process) would turn them into the text
// "[object Response]": such a response is rebuilt on the current global, body streamed.
function decorate(response: Response, decision: CorsDecision): Response {
  const decorated = decorateResponse(response, decision, rewrap)
  return decorated instanceof Response ? decorated : rewrap(decorated)
}

function finish(value: unknown, event: H3Event, decision: CorsDecision): Response | Promise<Response> {
  const response = toResponse(value, event, configOf(event))
  return response instanceof Promise
    ? response.then((r) => decorate(r, decision))
    : decorate(response, decision)
}

// One policy per request: a second cors() with another policy on the same request (app-level and
// path- or route-level) is refused loudly rather than mixing two policies or ignoring one.
const decided = Symbol('@cors/h3 decided')
type Marked = H3Event & { [decided]?: CorsPolicy<H3Event> }

const overlap = () =>
  new Error(
    "@cors/h3: two CORS policies apply to this request (e.g. app.use(cors(A)) and app.use('/admin/**', cors(B))). The first one answers every preflight, so the second could never govern them. Give each path its own policy (app.use('/api/**', cors(A)) beside app.use('/admin/**', cors(B))), or pass one createCors() policy to both.",
  )

function run(event: H3Event, next: () => unknown, decision: CorsDecision): Response | Promise<Response> {
  if (decision.respond) return finish(new Response(null, { status: decision.status }), event, decision)
  let value: unknown
  try {
    value = next()
  } catch (error) {
    // As a rejection, so toResponse turns it into an HTTPError exactly as h3 does for a thrown value.
    value = Promise.reject(error)
  }
  return finish(value, event, decision)
}

/**
 * Creates an h3 v2 middleware that applies a CORS policy. Allowed preflights are answered at once,
 * before routing and before any later middleware (authentication, validation) runs; every other
 * response gets the CORS headers. Throws a `CorsConfigError` at once when the options are invalid.
 *
 * @example
 * const app = new H3().use(cors({ origin: ['https://app.example.com'], credentials: true }))
 */
export function cors(options: H3CorsOptions | CorsPolicy<H3Event> = {}): Middleware {
  const policy = createCors<H3Event>(options)
  return function corsMiddleware(event: Marked, next) {
    // The same policy met again (one middleware on the app and a route, or equal options: see the
    // core's sameCorsPolicy) has already done its work.
    const met = event[decided]
    if (met === policy || (met !== undefined && sameCorsPolicy(met, policy))) return next()
    if (met !== undefined) throw overlap()
    event[decided] = policy
    const headers = event.req.headers
    const pending = policy.decide(
      toCorsRequest(event.req.method, (name) => headers.get(name)),
      event,
    )
    // Only an async origin function makes the decision a promise; the common path stays synchronous.
    return pending instanceof Promise
      ? pending.then((decision) => run(event, next, decision))
      : run(event, next, pending)
  }
}
