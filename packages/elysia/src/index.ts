/**
 * @module
 * `@cors/elysia`: Fetch-standard CORS as an Elysia plugin, on Bun and on Node (`@elysiajs/node`).
 * The policy is validated and compiled once, when `cors()` is called; preflights are answered in
 * `onRequest`, before routing, validation and guards, and every response (values, `Response`s,
 * `status()` answers, thrown errors, 404s) carries the CORS headers.
 */
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  createCorsWriter,
  decorateResponse,
  sameCorsPolicy,
  toCorsRequest,
} from '@cors/core'
import { Elysia, type PreContext } from 'elysia'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

/**
 * The context an `origin` function, `onReject` and `bypass` receive: Elysia's context as it is before
 * routing (`request`, `set`, `store`, `server`, decorators), the same object the handler gets later.
 */
export type ElysiaCorsContext = PreContext

/** Options of `cors()`: every core option; the hooks receive the Elysia context. */
export type ElysiaCorsOptions = CorsOptions<ElysiaCorsContext>

type SetHeaders = ElysiaCorsContext['set']['headers']

// Elysia turns `set.headers` into the response's headers for every value, status() answer, thrown
// error and 404 it builds (keys in lower case, as the core writes them).
const setHeaders = createCorsWriter<SetHeaders>({
  get: (headers, name) => headers[name],
  set: (headers, name, value) => {
    headers[name] = value
  },
  delete: (headers, name) => {
    delete headers[name]
  },
})

// Headers of fetch() responses and Response.redirect() are immutable: those are copied, body streamed.
const rewrap = (response: Response): Response => new Response(response.body, response)

// The decision of each request, made in onRequest and written again when the response is mapped.
// Keyed by the Request: Elysia's context object is per request too, but typed per route.
interface Decided {
  /** The policy that decided. */
  readonly policy: CorsPolicy<ElysiaCorsContext>
  readonly decision: CorsDecision
  readonly vary: unknown
}
const decided = new WeakMap<Request, Decided>()

const overlap = () =>
  new Error(
    '@cors/elysia: two CORS policies apply to this request. Elysia runs every onRequest hook for every request, whichever instance a plugin is used on, so two cors() with different options would both judge it. Use one cors() on the main app, or pass one createCors() policy to both.',
  )

// Elysia skips a plugin whose name and JSON.stringify(seed) it has seen. Its usual seed, the options,
// would merge options that differ only by a function or a RegExp (JSON drops the one and turns the
// other into {}): the seed here is the policy's identity, so a policy used twice is applied once and
// two different ones are never merged. Two cors() with equal options both run, and the second
// stands aside (the core's sameCorsPolicy).
const seeds = new WeakMap<object, number>()
let seeded = 0
function seedOf(policy: object): number {
  let seed = seeds.get(policy)
  if (seed === undefined) {
    seed = ++seeded
    seeds.set(policy, seed)
  }
  return seed
}

/**
 * Creates an Elysia plugin that applies a CORS policy to the app it is used on. Allowed preflights
 * are answered in `onRequest`, before routing, validation and guards; every other response gets the
 * CORS headers. Throws a `CorsConfigError` at once when the options are invalid.
 *
 * @example
 * new Elysia().use(cors({ origin: ['https://app.example.com'], credentials: true })).get('/', () => 'hi')
 */
export function cors(options: ElysiaCorsOptions | CorsPolicy<ElysiaCorsContext> = {}): Elysia {
  const policy = createCors<ElysiaCorsContext>(options)
  const seed = seedOf(policy)

  // Elysia merges set.headers into the preflight's Response; for any other request they are written
  // now, for every response Elysia builds, and again when the response is mapped.
  const start = (context: ElysiaCorsContext, decision: CorsDecision): Response | undefined => {
    if (decision.respond) {
      setHeaders.write(context.set.headers, decision)
      return new Response(null, { status: decision.status })
    }
    decided.set(context.request, { policy, decision, vary: setHeaders.early(context.set.headers, decision) })
    return undefined
  }

  return (
    new Elysia({ name: '@cors/elysia', seed })
      // onRequest runs for every request of the server, before routing: no scope to give it.
      .onRequest((context) => {
        const seen = decided.get(context.request)
        if (seen !== undefined) {
          if (seen.policy === policy || sameCorsPolicy(seen.policy, policy)) return
          // A configuration error, not the request's: a 500, whatever status was set before.
          context.set.status = 500
          throw overlap()
        }
        const headers = context.request.headers
        const pending = policy.decide(
          toCorsRequest(context.request.method, (name) => headers.get(name)),
          context,
        )
        // Only an async origin function makes the decision a promise; the common path stays synchronous.
        return pending instanceof Promise
          ? pending.then((decision) => start(context, decision))
          : start(context, pending)
      })
      .mapResponse({ as: 'global' }, ({ request, set, responseValue }) => {
        const seen = decided.get(request)
        if (seen === undefined) return
        // The policy owns Access-Control-*: what a handler put in set.headers is set back or removed.
        setHeaders.atSend(set.headers, seen.decision, seen.vary)
        if (responseValue instanceof Response) return decorateResponse(responseValue, seen.decision, rewrap)
      })
      .onError({ as: 'global' }, ({ request, set }) => {
        const seen = decided.get(request)
        if (seen !== undefined) setHeaders.atSend(set.headers, seen.decision, seen.vary)
      })
  )
}
