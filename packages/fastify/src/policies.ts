import { CorsConfigError, type CorsConfigIssue, type CorsPolicy, createCors, isCorsPolicy } from '@cors/core'
import type { FastifyRequest } from 'fastify'
import type { FastifyCorsRouteOptions } from './types.ts'

export type Policy = CorsPolicy<FastifyRequest>

/** The policies of one registration: the plugin's, and one per route `config.cors`, each compiled once. */
export interface Policies {
  readonly root: Policy
  /**
   * A route's policy, compiled on first sight; `route` names it in errors. `cors: false` is the
   * plugin's policy with `origin: false`: no CORS headers written or removed, its
   * `crossOriginProtection` kept (as `origin: false` keeps it in the core).
   */
  of(own: FastifyCorsRouteOptions | false | undefined, route: string): Policy | undefined
  /** Whether `of` has already compiled this route's options (routes Fastify added before the plugin loaded have not). */
  knows(own: FastifyCorsRouteOptions): boolean
  /** Detaches the route policies from the plugin's (a shared policy outlives the app): on `app.close()`. */
  release(): void
}

// Fastify hands its own register options to the plugin: they are not CORS options.
const registerKeys = ['prefix', 'logLevel', 'logSerializers']

const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)

// A promise here is what an async options function returned: Fastify calls the function with the
// instance but never awaits it, so every option would be left at its default.
const promiseHint =
  'Fastify calls an options function but does not await what it returns: pass an object; to load origins asynchronously use an origin function, or a policy from createCors() that you update()'

function pluginPolicy(options: unknown): Policy {
  if (isPlain(options) && !isCorsPolicy(options) && registerKeys.some((key) => Object.hasOwn(options, key))) {
    const { prefix: _p, logLevel: _l, logSerializers: _s, ...cors } = options
    return createCors<FastifyRequest>(cors)
  }
  try {
    return createCors<FastifyRequest>(options as Policy) // a policy is used as it is; core refuses non-objects
  } catch (error) {
    if (!(error instanceof CorsConfigError) || !(options instanceof Promise)) throw error
    throw new CorsConfigError(error.issues.map((issue) => ({ ...issue, hint: promiseHint })))
  }
}

/** Names the route in the error, and marks each problem with a value the route did not set itself. */
function routeError(error: CorsConfigError, own: object, route: string): CorsConfigError {
  const issues = error.issues.map(
    (issue): CorsConfigIssue =>
      issue.option === 'options' || Object.hasOwn(own, issue.option)
        ? issue
        : {
            ...issue,
            message: `${issue.message} (${issue.option} is inherited from the plugin options)`,
            hint: `${issue.hint}; or set ${issue.option} in this route's config.cors`,
          },
  )
  const named = new CorsConfigError(issues)
  named.message = `config.cors of route ${route}: ${named.message}`
  return named
}

/** Validates and compiles the plugin options, then each route's `config.cors` over them. */
export function createPolicies(options: unknown): Policies {
  const root = pluginPolicy(options)
  const routes = new WeakMap<object, Policy>()
  const made = new Set<Policy>()
  let off: Policy | undefined
  return {
    root,
    of(own, route) {
      if (own === undefined) return root
      if (own === false) {
        if (off === undefined) {
          off = root.extend({ origin: false })
          made.add(off)
        }
        return off
      }
      let policy = routes.get(own)
      if (policy === undefined) {
        try {
          // Derived from the plugin's policy: its checked origin list is reused, and its update()s followed.
          policy = root.extend(own)
        } catch (error) {
          throw error instanceof CorsConfigError ? routeError(error, own, route) : error
        }
        routes.set(own, policy)
        made.add(policy)
      }
      return policy
    },
    knows: (own) => routes.has(own),
    release() {
      for (const policy of made) policy.release()
      made.clear()
      off = undefined
    },
  }
}
