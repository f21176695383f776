import type { CorsDecision } from '@cors/core'
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
} from 'fastify'
import type { Policies, Policy } from './policies.ts'

/** What the hooks need of a policy. */
export type Decider = Pick<Policy, 'decide'>

/** One route a preflight may be aimed at: its policy, and whether it needs a header a preflight never sends. */
interface Candidate {
  readonly policy: Policy | undefined
  readonly constrained: boolean
}

/**
 * What a hidden OPTIONS route stands for: the routes of one registration at one path, method and
 * host constraint. Routes there that differ only by a constraint a preflight cannot carry (`version`,
 * a custom strategy) are all candidates; the policy is resolved once, on the first preflight.
 */
interface Target {
  readonly scope: object
  readonly method: string
  readonly candidates: Candidate[]
  hidden: boolean
  resolved?: { readonly policy: Decider | undefined }
}

// Marks the hidden OPTIONS route that receives the preflights aimed at the routes of a Target.
const kTarget = Symbol('@cors/fastify target')
// Hidden from generated API docs (@fastify/swagger reads `hide`).
const hidden = { hide: true } as FastifySchema
const strategy = 'corsPreflight'

const notFound = (_request: FastifyRequest, reply: FastifyReply): void => void reply.callNotFound()
const sameParams = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((key) => a[key] === b[key])

// A candidate with CORS off (`cors: false`) leaves the preflight unanswered; otherwise every candidate
// must allow it, and among allowed answers, one without credentials is stricter.
function strictest(decisions: readonly CorsDecision[]): CorsDecision {
  const off = decisions.find((decision) => decision.kind === 'non-cors')
  if (off !== undefined) return off
  const refused = decisions.find((decision) => !decision.allowed)
  if (refused !== undefined) return refused
  const uncredentialed = decisions.find((d) => d.headers['access-control-allow-credentials'] === undefined)
  return uncredentialed ?? (decisions[0] as CorsDecision)
}

/** One policy deciding as the strictest of several; `undefined` (CORS off) if any of them is off. */
function combine(all: readonly (Policy | undefined)[]): Decider | undefined {
  const policies = [...new Set(all)]
  if (policies.length === 1 || policies.includes(undefined))
    return policies.length === 1 ? policies[0] : undefined
  return {
    decide(request, context) {
      const decisions = (policies as Policy[]).map((policy) => policy.decide(request, context))
      return decisions.some((decision) => decision instanceof Promise)
        ? Promise.all(decisions).then(strictest)
        : strictest(decisions as CorsDecision[])
    },
  }
}

function resolve(target: Target, root: Policy): Decider | undefined {
  const { candidates } = target
  // Where every route needs a header the preflight lacks, the request without it goes elsewhere too.
  const extra = candidates.some((candidate) => !candidate.constrained) ? [] : [root]
  return combine([...candidates.map((candidate) => candidate.policy), ...extra])
}

// A preflight names its target in Access-Control-Request-Method, not in its own method: a router
// constraint on that header sends it to the hidden OPTIONS route of the routes it is aimed at.
function addStrategy(fastify: FastifyInstance): void {
  if (fastify.hasConstraintStrategy(strategy)) return
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

type Host = string | RegExp | undefined

function addHidden(instance: FastifyInstance, url: string, full: string, target: Target, host: Host): void {
  const constraints = { [strategy]: target.method, ...(host === undefined ? {} : { host }) }
  target.hidden = true
  if (instance.hasRoute({ method: 'OPTIONS', url: full, constraints })) return
  try {
    // 'slash': exactly one route at prefix + url, also for a prefix's root.
    const config: FastifyContextConfig = {}
    ;(config as { [kTarget]?: Target })[kTarget] = target
    instance.route({
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

/** The registration that governs an instance: the innermost one, looked up through encapsulation. */
export const kScope: unique symbol = Symbol('@cors/fastify scope')
export type Scoped = { [kScope]?: object }

/**
 * Gives the routes of one registration hidden OPTIONS routes, so their preflights reach a context
 * that runs the plugin's hook and know which routes they are aimed at. On the root, unrouted
 * preflights already reach the plugin (the root's not-found context runs its hook), so only routes
 * with their own `config.cors` or a constraint need one; inside an encapsulated plugin, every route.
 */
export function addPreflightRoutes(fastify: FastifyInstance, scope: object, policies: Policies): void {
  addStrategy(fastify)
  // A shared createCors() policy outlives the app: its route policies must not keep following it.
  fastify.addHook('onClose', (_instance, done) => {
    policies.release()
    done()
  })
  const everyRoute = Object.getPrototypeOf(fastify) !== Object.prototype // not the root instance
  const targets = new Map<string, Target>()
  fastify.addHook('onRoute', function (this: FastifyInstance, route) {
    if (
      (this as Scoped)[kScope] !== scope ||
      (route.config as { [kTarget]?: Target })?.[kTarget] !== undefined
    )
      return
    const own = route.config?.cors
    const methods = [route.method].flat()
    const policy = policies.of(own, `${methods.join(',')} ${route.url}`) // a bad route policy fails now
    if (methods.includes('OPTIONS')) return // its preflights reach the route itself
    const { host, ...others } = (route.constraints ?? {}) as { host?: Host }
    const candidate: Candidate = { policy, constrained: Object.keys(others).length > 0 }
    const needed = everyRoute || own !== undefined || candidate.constrained
    // Fastify also adds a prefix's root with a trailing slash ('/v2/'), without telling onRoute.
    const paths = route.routePath === '' && route.prefix !== '' ? ['', '/'] : [route.routePath]
    for (const method of methods) {
      for (const url of paths) {
        const full = route.prefix + url
        const key = `${method} ${full} ${String(host)}`
        const target = targets.get(key) ?? { scope, method, candidates: [], hidden: false }
        targets.set(key, target)
        target.candidates.push(candidate)
        if (needed && !target.hidden) addHidden(this, url, full, target, host)
      }
    }
  })
}

/**
 * The policy for a request that reached a hidden OPTIONS route of this registration, `null` for any
 * other request. A hidden route can catch a preflight for a more specific route it does not stand
 * for (/users/:id for /users/me, added before the plugin loaded or outside its scope): the plugin
 * options decide it.
 */
export function preflightPolicy(
  fastify: FastifyInstance,
  request: FastifyRequest,
  config: object,
  scope: object,
  root: Policy,
): Decider | undefined | null {
  const target = (config as { [kTarget]?: Target })[kTarget]
  if (target === undefined) return null
  if (target.scope !== scope) return root
  target.resolved ??= { policy: resolve(target, root) }
  if (target.candidates.every((candidate) => candidate.constrained)) return target.resolved.policy
  const url = request.url
  const host = request.headers.host
  const found = fastify.findRoute({
    method: target.method,
    url,
    constraints: host === undefined ? {} : { host },
  })
  const aimed = found !== null && sameParams(found.params, request.params as Record<string, unknown>)
  return aimed ? target.resolved.policy : root
}
