/**
 * @module
 * `@cors/fastify`: Fetch-standard CORS for Fastify 5. The policy is validated and compiled when the
 * plugin is registered; preflights are answered in an `onRequest` hook, before authentication and
 * validation, and the CORS headers reach every reply: errors, 404s and redirects alike.
 */
import {
  appendVary,
  type CorsCredentialedOptions,
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type CorsPublicOptions,
  createCors,
  toCorsRequest,
} from '@cors/core'
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RouteOptions,
} from 'fastify'
import fp from 'fastify-plugin'

// Listed by name: the declaration bundler turns `export type *` into `export *`, which would claim
// runtime exports (createCors, appendVary...) that this package does not have.
export type {
  CorsActualAllowed,
  CorsConfigIssue,
  CorsConfigIssueCode,
  CorsCredentialedOptions,
  CorsDecision,
  CorsHeaders,
  CorsHeadersTarget,
  CorsNonCors,
  CorsOptions,
  CorsOrigin,
  CorsOriginFunction,
  CorsOriginItem,
  CorsPolicy,
  CorsPreflightAllowed,
  CorsPublicOptions,
  CorsReason,
  CorsRejectHook,
  CorsRejection,
  CorsRequest,
} from '@cors/core'
export { CorsConfigError, validateCorsOptions } from '@cors/core'

/**
 * Options of the plugin: every core option; the `origin` function and `onReject` receive the
 * `FastifyRequest`.
 *
 * @example
 * const options: FastifyCorsOptions = { origin: (origin, request) => request.url.startsWith('/public') }
 */
export type FastifyCorsOptions = CorsOptions<FastifyRequest>

/**
 * A route's `config.cors`: merged over the plugin options (a key given here wins), so every key is
 * optional. Compiled once, when the route is added; it also governs the preflights aimed at the route.
 *
 * @example
 * app.put('/partner/orders/:id', { config: { cors: { origin: 'https://partner.example' } } }, handler)
 */
export type FastifyCorsRouteOptions =
  | CorsPublicOptions<FastifyRequest>
  | Partial<CorsCredentialedOptions<FastifyRequest>>

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's CORS options, merged over the plugin's, or `false` to turn CORS off for the route. */
    cors?: FastifyCorsRouteOptions | false
  }
}

type Done = (error?: Error) => void
const kVary = Symbol('@cors/fastify vary')
type VaryCarrier = FastifyRequest & { [kVary]?: readonly string[] | null }
// Marks the hidden OPTIONS route that receives the preflights aimed at one route with its own config.
const kTarget = Symbol('@cors/fastify target')
type Target = { readonly method: string; readonly constraints: RouteOptions['constraints'] & {} }
// Hidden from generated API docs (@fastify/swagger reads `hide`).
const hidden = { hide: true } as FastifySchema

const notFound = (_request: FastifyRequest, reply: FastifyReply): void => void reply.callNotFound()
const sameParams = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((key) => a[key] === b[key])

const plugin: FastifyPluginAsync<FastifyCorsOptions> = async (fastify, options) => {
  // Fastify hands its own register options to the plugin: they are not CORS options.
  const { prefix: _p, logLevel: _l, logSerializers: _s, ...cors } = options as Record<string, unknown>
  const root = createCors<FastifyRequest>(cors as FastifyCorsOptions)
  const routes = new WeakMap<object, CorsPolicy<FastifyRequest>>()
  const policyFor = (own: FastifyCorsRouteOptions, request?: FastifyRequest): CorsPolicy<FastifyRequest> => {
    const known = routes.get(own)
    if (known !== undefined) return known
    // Compiled on a request only for a route added before the plugin loaded, unseen by onRoute.
    request?.log.warn(
      `@cors/fastify: ${request.routeOptions.url} was added before the plugin loaded, so config.cors does not govern its preflights: await app.register(cors) first`,
    )
    const policy = createCors<FastifyRequest>({ ...cors, ...own } as FastifyCorsOptions)
    routes.set(own, policy)
    return policy
  }
  // Where onRequest leaves the Vary names for onSend: a request decorator, not a map entry per request.
  if (!fastify.hasRequestDecorator(kVary)) fastify.decorateRequest(kVary, null)

  // A preflight names its target in Access-Control-Request-Method, not in its own method: a router
  // constraint on that header sends it to the hidden OPTIONS route of the route it is aimed at.
  const strategy = 'corsPreflight'
  if (!fastify.hasConstraintStrategy(strategy)) {
    fastify.addConstraintStrategy({
      name: strategy,
      storage() {
        const byMethod = new Map()
        return {
          get: (method) => byMethod.get(method) ?? null,
          set: (method, route) => void byMethod.set(method, route),
        }
      },
      deriveConstraint: (req) =>
        req.headers.origin ? req.headers['access-control-request-method'] || undefined : undefined,
    })
  }

  fastify.addHook('onRoute', function (this: FastifyInstance, route) {
    const own = route.config?.cors
    if (own === undefined) return
    if (own !== false) policyFor(own) // a bad route policy fails now, not on its first request
    const methods = [route.method].flat()
    if (methods.includes('OPTIONS')) return // its preflights reach the route itself
    // Fastify also adds a prefix's root with a trailing slash ('/v2/'), without telling onRoute.
    const paths = route.routePath === '' && route.prefix !== '' ? ['', '/'] : [route.routePath]
    for (const method of methods) {
      const constraints = { ...route.constraints, [strategy]: method }
      const config = { cors: own, [kTarget]: { method, constraints: route.constraints ?? {} } as Target }
      for (const url of paths) {
        if (this.hasRoute({ method: 'OPTIONS', url: route.prefix + url, constraints })) continue
        try {
          // 'slash': exactly one route at prefix + url, also for a prefix's root.
          this.route({
            method: 'OPTIONS',
            url,
            prefixTrailingSlash: 'slash',
            constraints,
            config,
            schema: hidden,
            handler: notFound,
          })
        } catch (error) {
          if (url !== '/') throw error // a router that ignores trailing slashes has '/v2/' as '/v2'
        }
      }
    }
  })

  function policyOf(request: FastifyRequest): CorsPolicy<FastifyRequest> | undefined {
    const config = request.routeOptions.config
    let own = config.cors
    const target = (config as { [kTarget]?: Target })[kTarget]
    if (target !== undefined) {
      // A hidden route can catch a preflight for a more specific route without its own config
      // (/users/:id for /users/me): it decides only when Fastify routes the target method there too.
      const found = fastify.findRoute({
        method: target.method,
        url: request.url,
        constraints: target.constraints,
      })
      if (found === null || !sameParams(found.params, request.params as Record<string, unknown>))
        own = undefined
    }
    return own === undefined ? root : own === false ? undefined : policyFor(own, request)
  }

  function apply(request: FastifyRequest, reply: FastifyReply, decision: CorsDecision, done: Done): void {
    if (decision.vary.length > 0) (request as VaryCarrier)[kVary] = decision.vary
    reply.headers(decision.headers)
    if (decision.respond) reply.code(decision.status).send()
    else done()
  }

  fastify.addHook('onRequest', (request, reply, done) => {
    const policy = policyOf(request)
    if (policy === undefined) return done()
    const decision = policy.decide(
      toCorsRequest(request.method, (name) => request.headers[name]),
      request,
    )
    if (decision instanceof Promise) decision.then((d) => apply(request, reply, d, done), done)
    else apply(request, reply, decision, done)
  })

  // The application may set Vary after the onRequest hook (replacing it): merge at send time.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const vary = (request as VaryCarrier)[kVary]
    if (vary != null) reply.header('vary', appendVary(reply.getHeader('vary'), vary))
    done(null, payload)
  })

  // No catch-all OPTIONS route: Fastify runs onRequest hooks for unrouted requests too, so the hook
  // answers preflights to any path, and an OPTIONS request that is not a preflight reaches the
  // not-found handler of its own prefix (a catch-all would hand it to the root's).
}

/**
 * The CORS plugin (also the default export). Register it before your routes; options are validated
 * at registration, so a bad policy makes `register` fail with a `CorsConfigError`. A route can
 * override them with `config: { cors: { ... } }` or turn CORS off with `config: { cors: false }`.
 *
 * @example
 * await app.register(cors, { origin: ['https://app.example.com'], credentials: true })
 */
export const cors: FastifyPluginAsync<FastifyCorsOptions> = fp(plugin, {
  name: '@cors/fastify',
  fastify: '5.x',
})

export default cors
