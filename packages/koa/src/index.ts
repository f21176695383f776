/**
 * @module
 * `@cors/koa`: Fetch-standard CORS middleware for Koa 2 and 3, on the app or on a `@koa/router`
 * router. The policy is validated and compiled once, when `cors()` is called, and its headers reach
 * every response: answered preflights, 404s, redirects and thrown errors alike.
 */
import {
  appendVary,
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  toCorsRequest,
} from '@cors/core'
import type { Context, Middleware } from 'koa'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

/** Options of `cors()`: every core option; the `origin` function and `onReject` receive the Koa `Context`. */
export type KoaCorsOptions = CorsOptions<Context>

// Merges names into Vary in one pass (Koa's ctx.vary re-parses the header once per name); returns
// the Vary value left on the response.
function mergeVary(ctx: Context, names: readonly string[]): string {
  const vary = ctx.response.get('vary')
  if (names.length === 0) return vary
  const merged = appendVary(vary, names)
  if (merged !== vary) ctx.set('vary', merged)
  return merged
}

// The policy owns the Access-Control-* headers: the application's values are replaced (set again) or
// removed, so an upstream "Access-Control-Allow-Origin: *" never reaches an origin the policy refuses.
function own(ctx: Context, decision: CorsDecision): void {
  const { unset } = decision
  for (let i = 0; i < unset.length; i++) if (ctx.response.get(unset[i]!) !== '') ctx.remove(unset[i]!)
  setAll(ctx, decision.headers)
}

// Own keys only: Koa 2's ctx.set(object) iterates with for...in, which would also write a key of a
// polluted Object.prototype.
function setAll(ctx: Context, headers: CorsDecision['headers']): void {
  const names = Object.keys(headers)
  for (let i = 0; i < names.length; i++) ctx.set(names[i]!, headers[names[i]!]!)
}

// Marks a context a policy has decided, so a second @cors/koa middleware on the same request (an
// app-level and a router-level one) is found and refused instead of mixing two policies.
const decided = Symbol('@cors/koa decided')
type Marked = Context & { [decided]?: CorsPolicy<Context> }

const overlap = () =>
  new Error(
    '@cors/koa: two CORS policies apply to this request (e.g. app.use(cors(A)) and router.use(cors(B))). The outer one answers every preflight, so the inner one can never govern them. Mount one policy per path instead: app.use(mount("/admin", cors(B))) beside app.use(mount("/api", cors(A))), or one cors() with an origin function.',
  )

// Koa's ctx.onerror removes every response header, then sets `err.headers`: the CORS headers must
// travel on the error so the page can read a 401 or a 500. Headers the error already carries are
// kept, and its Vary is merged. A thrown non-object cannot carry headers (Koa replaces it).
function carryHeaders(error: unknown, decision: CorsDecision): void {
  if (typeof error !== 'object' || error === null) return
  const own = (error as { headers?: unknown }).headers
  const headers: Record<string, unknown> = typeof own === 'object' && own !== null ? { ...own } : {}
  const vary: string[] = []
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() !== 'vary') continue
    vary.push(String(headers[name]))
    delete headers[name]
  }
  for (const name of Object.keys(headers))
    if (decision.unset.includes(name.toLowerCase())) delete headers[name]
  Object.assign(headers, decision.headers)
  if (vary.length > 0 || decision.vary.length > 0) headers['vary'] = appendVary(vary, decision.vary)
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
    // The same policy met again (one middleware mounted twice) has already done its work.
    if (ctx[decided] === policy) return next()
    if (ctx[decided] !== undefined) throw overlap()
    ctx[decided] = policy
    const headers = ctx.req.headers
    const pending = policy.decide(
      toCorsRequest(ctx.method, (name) => headers[name]),
      ctx,
    )
    // Only an async origin function makes the decision a promise; the common path stays synchronous.
    const decision = pending instanceof Promise ? await pending : pending
    setAll(ctx, decision.headers)
    const vary = mergeVary(ctx, decision.vary)
    if (decision.respond) {
      // An empty status (204) sends no body by itself. For 200, Koa would write "OK": a null body
      // prevents that, but turns the status into 204, so the status is set again after it.
      ctx.status = decision.status
      if (decision.status !== 204) {
        ctx.body = null
        ctx.status = decision.status
      }
      return
    }
    try {
      await next()
    } catch (error) {
      carryHeaders(error, decision)
      throw error
    } finally {
      // A later `ctx.set('Vary', ...)` replaces the header: merge the policy's names back in.
      if (ctx.response.get('vary') !== vary) mergeVary(ctx, decision.vary)
    }
    if (!ctx.headerSent) own(ctx, decision)
  }
}
