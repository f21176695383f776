/**
 * @module
 * `@cors/fastify`: Fetch-standard CORS for Fastify 5. The policy is validated and compiled when the
 * plugin is registered; preflights are answered in an `onRequest` hook, before authentication and
 * validation, and the CORS headers reach every reply: errors, 404s and redirects alike.
 */
import { type CorsDecision, createCorsWriter, sameCorsPolicy, toCorsRequest } from '@cors/core'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { createPolicies, type Policies } from './policies.ts'
import { addPreflightRoutes, type Decider, kScope, preflightPolicy, type Scoped } from './routes.ts'
import type { FastifyCorsPluginOptions } from './types.ts'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'

export type { FastifyCorsOptions, FastifyCorsPluginOptions, FastifyCorsRouteOptions } from './types.ts'

type Done = (error?: Error) => void
// The decision onRequest made and the Vary it left, for onSend: request decorators, not a map entry
// per request.
const kDecision = Symbol('@cors/fastify decision')
const kVary = Symbol('@cors/fastify vary')
type Carrier = FastifyRequest & { [kDecision]?: CorsDecision | null; [kVary]?: unknown }

const writer = createCorsWriter<FastifyReply>({
  get: (reply, name) => reply.getHeader(name),
  set: (reply, name, value) => void reply.header(name, value),
  delete: (reply, name) => void reply.removeHeader(name),
})

// One registration per scope: a second one would leave two policies answering the same requests. A
// second registration with equal options (sameCorsPolicy) is the same policy: it stands aside.
const scopePolicies = new WeakMap<object, object>()
function claimScope(fastify: FastifyInstance & Scoped, policy: object): object | undefined {
  if (Object.hasOwn(fastify, kScope)) {
    if (sameCorsPolicy(scopePolicies.get(fastify[kScope]!), policy)) return undefined
    throw new Error(
      "@cors/fastify is already registered in this scope: register it once per scope with one policy, and give routes their own config.cors; a plugin of yours that needs another policy registers it inside itself (without fastify-plugin), where it governs that plugin's routes only",
    )
  }
  const scope = {}
  scopePolicies.set(scope, policy)
  Object.defineProperty(fastify, kScope, { value: scope })
  return scope
}

function policyOf(
  fastify: FastifyInstance,
  request: FastifyRequest,
  scope: object,
  policies: Policies,
): Decider | undefined {
  // routeOptions is a getter that builds an object: read once per request.
  const { config } = request.routeOptions
  const preflight = preflightPolicy(fastify, request, config, scope, policies.root)
  if (preflight !== null) return preflight
  const own = config.cors
  if (own === undefined || own === false || policies.knows(own)) return policies.of(own, '')
  // Compiled on a request only for a route added before the plugin loaded, unseen by onRoute.
  request.log.warn(
    `@cors/fastify: ${request.routeOptions.url} was added before the plugin loaded, so config.cors does not govern its preflights: await app.register(cors) first`,
  )
  return policies.of(own, `${request.routeOptions.method} ${request.routeOptions.url}`)
}

// Sets the decision's headers and merges Vary; at send time (onSend) the writer enforces them again.
function apply(request: Carrier, reply: FastifyReply, decision: CorsDecision, done: Done): void {
  request[kDecision] = decision
  request[kVary] = writer.early(reply, decision)
  if (decision.respond) reply.code(decision.status).send()
  else done()
}

// A WebSocket handshake Node handed to an upgrade listener (@fastify/websocket routes it through
// Fastify): the HTTP server no longer closes or times out its socket. If it is answered over HTTP (a
// crossOriginProtection 403, a later hook's refusal, an error), the answer says `Connection: close` and
// the socket ends once it is written; an upgrade that succeeds never finishes this response.
function closeIfAnswered(request: FastifyRequest, reply: FastifyReply): void {
  if ((request.raw as { upgrade?: boolean }).upgrade !== true) return
  reply.header('connection', 'close')
  const socket = request.raw.socket
  reply.raw.once('finish', () => socket.destroySoon())
}

const plugin: FastifyPluginAsync<FastifyCorsPluginOptions> = async (fastify, options) => {
  const policies = createPolicies(options)
  const scope = claimScope(fastify, policies.root)
  if (scope === undefined) return
  if (!fastify.hasRequestDecorator(kDecision)) fastify.decorateRequest(kDecision, null)
  if (!fastify.hasRequestDecorator(kVary)) fastify.decorateRequest(kVary, null)
  addPreflightRoutes(fastify, scope, policies)
  // Hooks of an outer registration also run for an inner one's routes: they stand aside.
  const governs = (request: FastifyRequest): boolean => (request.server as Scoped)[kScope] === scope

  fastify.addHook('onRequest', (request, reply, done) => {
    const policy = governs(request) ? policyOf(fastify, request, scope, policies) : undefined
    if (policy === undefined) return done()
    closeIfAnswered(request, reply)
    const decision = policy.decide(
      toCorsRequest(request.method, (name) => request.headers[name]),
      request,
    )
    if (decision instanceof Promise) decision.then((d) => apply(request, reply, d, done), done)
    else apply(request, reply, decision, done)
  })

  // The application may set Vary or Access-Control-* after the onRequest hook: applied again at send time.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const decision = (request as Carrier)[kDecision]
    if (decision != null && governs(request)) writer.atSend(reply, decision, (request as Carrier)[kVary])
    done(null, payload)
  })

  // No catch-all OPTIONS route: Fastify runs onRequest hooks for unrouted requests too, so the hook
  // answers preflights to any path, and an OPTIONS request that is not a preflight reaches the
  // not-found handler of its own prefix (a catch-all would hand it to the root's).
}

/**
 * The CORS plugin (also the default export). Register it before your routes; options are validated
 * at registration, so a bad policy makes `register` fail with a `CorsConfigError`. A route can
 * override them with `config: { cors: { ... } }` or turn CORS off with `config: { cors: false }` (the
 * plugin's `crossOriginProtection` still guards that route; `config: { cors: { crossOriginProtection:
 * false } }` turns it off).
 *
 * @example
 * await app.register(cors, { origin: ['https://app.example.com'], credentials: true })
 */
export const cors: FastifyPluginAsync<FastifyCorsPluginOptions> = fp(plugin, {
  name: '@cors/fastify',
  fastify: '5.x',
})

export default cors
