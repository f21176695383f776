// The conformance app and clients for @cors/next's suites, in process: the proxy form (cors() in front
// of the app, composed the way Next composes a proxy's answer with a route's) and the route-file form
// (each path a route file whose handlers withCorsRoutes wraps). Outside src/: never published.
import {
  type ConformanceClient,
  fetchClient,
  type MakeClient,
  type MakePolicyClient,
} from '@cors/conformance'
import type { CorsOptions, CorsPolicy } from '@cors/core'
import { type NextFetchEvent, NextRequest } from 'next/server'
import { conformanceApp } from '../../fetch/test/app.ts'
import { cors, type NextCorsOptions, type RouteHandlers, withCorsRoutes } from '../src/index.ts'

// Only waitUntil() of the event is for the proxy's logic; the conformance app never calls it.
const event = { waitUntil() {} } as unknown as NextFetchEvent

/**
 * What `next start` does with a proxy's answer (next/dist/server/lib/router-utils/resolve-routes.js
 * and send-response.js, Next 15 and 16): an answer without `x-middleware-next` is the response; else
 * the route runs, the proxy's headers are set first and the route's own are added only where the
 * proxy set none, except `Vary`, whose values are appended. A route that throws gets Next's 500.
 */
export async function throughNext(
  proxy: (request: NextRequest, event: NextFetchEvent) => Response | Promise<Response>,
  route: (request: NextRequest) => Promise<Response>,
  request: NextRequest,
): Promise<Response> {
  const answer = await proxy(request, event)
  if (answer.headers.get('x-middleware-next') !== '1') return answer
  let routed: Response
  try {
    routed = await route(request)
  } catch {
    routed = new Response('Internal Server Error', { status: 500 })
  }
  const headers = new Headers()
  for (const [name, value] of answer.headers) if (!name.startsWith('x-middleware-')) headers.set(name, value)
  for (const [name, value] of routed.headers) {
    if (name === 'vary') headers.append(name, value)
    else if (!headers.has(name)) headers.set(name, value)
  }
  return new Response(routed.body, { status: routed.status, headers })
}

type Options = NextCorsOptions | CorsPolicy<NextRequest>
type Route = (request: NextRequest) => Promise<Response>

const withOnError = (options: CorsOptions): Options =>
  // Shapes that are not an options object go through as they are, to be refused there.
  typeof options === 'object' && options !== null && Object.getPrototypeOf(options) === Object.prototype
    ? { ...(options as NextCorsOptions), onError: () => new Response('internal error', { status: 500 }) }
    : (options as Options)

// The shared Fetch client, with each Request made the NextRequest Next hands a proxy and a route.
const nextClient = (app: (onCall: () => void) => Route): ConformanceClient =>
  fetchClient((onCall) => {
    const send = app(onCall)
    return (request) => send(new NextRequest(request))
  }, 'http://api.test')

// Routes that set `Vary: Origin` or `Access-Control-*` themselves are outside a proxy's policy (Next
// adds a route's headers after the proxy's): this app leaves them out of the proxy's matcher and
// gives them their own route file under the same options, as the README tells users to.
const ownCorsRoutes = new Set(['/vary-origin', '/upstream-cors'])

function proxyClient(options: Options): ConformanceClient {
  return nextClient((onCall) => {
    const app = conformanceApp(onCall)
    const proxy = cors(options)
    const own = routeFile(app, options)
    return (request) =>
      ownCorsRoutes.has(request.nextUrl.pathname) ? own(request) : throughNext(proxy, app, request)
  })
}

// The route-file form: the whole conformance app as one catch-all route file
// (app/[...path]/route.ts) exporting every method, so its own 404s are inside the policy too.
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

function routeFile(app: Route, options: Options): Route {
  const handlers: RouteHandlers = Object.fromEntries(methods.map((method) => [method, app]))
  const file = withCorsRoutes(handlers, options) as unknown as Record<string, Route>
  // Next answers a method the route file does not export with 405.
  return (request) => file[request.method]?.(request) ?? Promise.resolve(new Response(null, { status: 405 }))
}

function routesClient(options: Options): ConformanceClient {
  return nextClient((onCall) => routeFile(conformanceApp(onCall), options))
}

/** The proxy form, for the conformance and protection suites: options with an `onError` answering 500. */
export const makeProxyClient: MakeClient = (options) => proxyClient(withOnError(options))
/** The route-file form, for the conformance and protection suites. */
export const makeRoutesClient: MakeClient = (options) => routesClient(withOnError(options))
/** The lifecycle suite: a policy from createCors passed in place of options. */
export const makeProxyPolicyClient: MakePolicyClient = (policy) =>
  proxyClient(policy as CorsPolicy<NextRequest>)
export const makeRoutesPolicyClient: MakePolicyClient = (policy) =>
  routesClient(policy as CorsPolicy<NextRequest>)
