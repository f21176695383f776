import type { CorsCredentialedOptions, CorsOptions, CorsPolicy, CorsPublicOptions } from '@cors/core'
import type { FastifyRequest } from 'fastify'

/**
 * Options of the plugin: every core option; the `origin` function and `onReject` receive the
 * `FastifyRequest`.
 *
 * @example
 * const options: FastifyCorsOptions = { origin: (origin, request) => request.url.startsWith('/public') }
 */
export type FastifyCorsOptions = CorsOptions<FastifyRequest>

/**
 * What `register` takes: options, or a policy made with `createCors` (shared, changed with `update`).
 *
 * @example
 * const policy = createCors({ origin: ['https://app.example.com'] })
 * await app.register(cors, policy)
 */
export type FastifyCorsPluginOptions = FastifyCorsOptions | CorsPolicy<FastifyRequest>

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
