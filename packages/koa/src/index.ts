/**
 * @module
 * `@cors/koa`: Fetch-standard CORS middleware for Koa 2 and 3, on the app or on a `@koa/router`
 * router. The policy is validated and compiled once, when `cors()` is called, and its headers reach
 * every response: answered preflights, 404s, redirects and thrown errors alike.
 */
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  createCorsWriter,
  sameCorsPolicy,
  toCorsRequest,
} from '@cors/core'
import type { Context, Middleware } from 'koa'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

/** Options of `cors()`: every core option; the `origin` function and `onReject` receive the Koa `Context`. */
export type KoaCorsOptions = CorsOptions<Context>

// Koa's ctx.set and ctx.remove: one call each (ctx.vary would re-parse Vary once per name). An
// absent header reads as ''. Koa 2's ctx.set(object) would iterate with for...in, so it is not used.
const writer = createCorsWriter<Context>({
  get: (ctx, name) => ctx.response.get(name) || undefined,
  set: (ctx, name, value) => ctx.set(name, value),
  delete: (ctx, name) => ctx.remove(name),
})

// Marks a context a policy has decided, so a second @cors/koa middleware on the same request (an
// app-level and a router-level one) is found and refused instead of mixing two policies.
const decided = Symbol('@cors/koa decided')
type Marked = Context & { [decided]?: CorsPolicy<Context> }

const overlap = () =>
  new Error(
    '@cors/koa: two CORS policies apply to this request (e.g. app.use(cors(A)) and router.use(cors(B))). The outer one answers every preflight, so the inner one can never govern them. Mount one policy per path instead: app.use(mount("/admin", cors(B))) beside app.use(mount("/api", cors(A))), or one cors() with an origin function.',
  )

// An error's `headers`: a plain record whose names may be in any case.
const keysOf = (record: Record<string, unknown>, name: string): string[] =>
  Object.keys(record).filter((key) => key.toLowerCase() === name)
const errorWriter = createCorsWriter<Record<string, unknown>>({
  get: (record, name) => {
    const keys = keysOf(record, name)
    return keys.length < 2 ? record[keys[0] ?? name] : keys.map((key) => String(record[key]))
  },
  set: (record, name, value) => {
    for (const key of keysOf(record, name)) delete record[key]
    record[name] = value
  },
  delete: (record, name) => {
    for (const key of keysOf(record, name)) delete record[key]
  },
  names: (record) => Object.keys(record).map((key) => key.toLowerCase()),
})

// Koa's ctx.onerror removes every response header, then sets `err.headers`: the CORS headers must
// travel on the error so the page can read a 401 or a 500. Headers the error already carries are
// kept, and its Vary is merged. A thrown non-object cannot carry headers (Koa replaces it).
function carryHeaders(error: unknown, decision: CorsDecision): void {
  if (typeof error !== 'object' || error === null) return
  const own = (error as { headers?: unknown }).headers
  const headers: Record<string, unknown> = typeof own === 'object' && own !== null ? { ...own } : {}
  errorWriter.write(headers, decision)
  // Reflect.set, not assignment: an error with read-only `headers` is rethrown as it is, not swapped
  // for the TypeError an assignment would throw.
  Reflect.set(error, 'headers', headers)
}

/**
 * Creates Koa middleware that applies a CORS policy. Allowed preflights are answered at once
 * (`optionsSuccessStatus`, empty body) and rejected ones `403` without CORS headers, before any later
 * middleware such as authentication runs; other requests go on with the CORS headers set and `Vary`
 * merged. Throws a `CorsConfigError` at once when the options are invalid.
 *
 * @example
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }))
 */
export function cors(options: KoaCorsOptions | CorsPolicy<Context> = {}): Middleware {
  const policy = createCors<Context>(options)
  return async function corsMiddleware(ctx: Marked, next) {
    // The same policy met again (one middleware mounted twice, or equal options) has done its work.
    const met = ctx[decided]
    if (met === policy || (met !== undefined && sameCorsPolicy(met, policy))) return next()
    if (ctx[decided] !== undefined) throw overlap()
    ctx[decided] = policy
    const headers = ctx.req.headers
    const pending = policy.decide(
      toCorsRequest(ctx.method, (name) => headers[name]),
      ctx,
    )
    // Only an async origin function makes the decision a promise; the common path stays synchronous.
    const decision = pending instanceof Promise ? await pending : pending
    // Answered while the origin function decided (a timeout middleware's 503, a client gone): the late
    // decision is dropped, and the rest of the stack does not run for a response already sent.
    if (pending instanceof Promise && (ctx.headerSent || ctx.res.writableEnded)) return
    if (decision.respond) {
      // The answer is complete now: what earlier middleware set of the policy's headers goes too.
      writer.write(ctx, decision)
      // An empty status (204) sends no body by itself. For 200, Koa would write "OK": a null body
      // prevents that, but turns the status into 204, so the status is set again after it.
      ctx.status = decision.status
      if (decision.status !== 204) {
        ctx.body = null
        ctx.status = decision.status
      }
      return
    }
    const vary = writer.early(ctx, decision)
    try {
      await next()
    } catch (error) {
      carryHeaders(error, decision)
      throw error
    } finally {
      // The application may have replaced Vary or set headers the policy owns: enforced again.
      if (!ctx.headerSent) writer.atSend(ctx, decision, vary)
    }
  }
}
