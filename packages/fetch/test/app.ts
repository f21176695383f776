// The conformance app and the clients the adapter's three suites drive it with (index.test.ts,
// policy.test.ts, protection.test.ts).
// Test harness, outside src/ so the published code never imports @cors/conformance.
import {
  type ConformanceClient,
  fetchClient,
  type MakeClient,
  type MakePolicyClient,
  upstreamCorsHeaders,
} from '@cors/conformance'
import type { CorsOptions, CorsPolicy } from '@cors/core'
import { type FetchCorsOptions, withCors } from '../src/index.ts'

/**
 * The conformance app as a plain Fetch handler (see @cors/conformance types.ts). `/ok` answers HEAD
 * too, with no body, as the frameworks' GET routes do: the protection suite sends HEAD to it.
 */
export function conformanceApp(onCall: () => void): (request: Request) => Promise<Response> {
  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url)
    const method = request.method
    const route = (methods: string[], answer: () => Response | Promise<Response>) => {
      if (!methods.includes(method)) return undefined
      onCall()
      return answer()
    }
    const ok = () => new Response(method === 'HEAD' ? null : 'ok')
    let response: Response | Promise<Response> | undefined
    switch (pathname) {
      case '/ok':
        response = route(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], ok)
        break
      case '/get-only':
        response = route(['GET'], ok)
        break
      case '/vary':
        response = route(['GET'], () => new Response('ok', { headers: { vary: 'Accept-Encoding' } }))
        break
      case '/vary-origin':
        response = route(['GET'], () => new Response('ok', { headers: { vary: 'origin' } }))
        break
      case '/throw':
        response = route(['GET'], () => {
          throw new Error('boom')
        })
        break
      case '/error-response':
        response = route(['GET'], () => new Response('failed', { status: 500 }))
        break
      case '/redirect':
        response = route(['GET'], () => Response.redirect(new URL('/ok', request.url), 302))
        break
      case '/immutable':
        response = route(['GET'], () => fetch('data:text/plain,immutable'))
        break
      case '/upstream-cors':
        response = route(['GET'], () => new Response('ok', { headers: upstreamCorsHeaders }))
        break
      case '/slow':
        response = route(['GET', 'POST', 'DELETE'], async () => {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
          return new Response('ok')
        })
        break
      case '/auth':
        if (!['GET', 'POST', 'PUT'].includes(method)) break
        if (request.headers.get('authorization') === null)
          return new Response('unauthorized', { status: 401 })
        response = route(['GET', 'POST', 'PUT'], ok)
        break
    }
    return (await response) ?? new Response('not found', { status: 404 })
  }
}

// The app wrapped by withCors(), called with new Request(): the request's Host header is the one the
// row gives, as Deno, Bun and Workers pass it on.
function clientFor(options: FetchCorsOptions | CorsPolicy<Request>): ConformanceClient {
  return fetchClient((onCall) => withCors(conformanceApp(onCall), options), 'http://api.test')
}

/** The conformance and protection suites' client: options, with an `onError` answering 500. */
export const makeClient: MakeClient = (options: CorsOptions) =>
  clientFor(
    // Shapes that are not an options object go to withCors as they are, to be refused there.
    typeof options === 'object' && options !== null && Object.getPrototypeOf(options) === Object.prototype
      ? {
          ...(options as CorsOptions<Request>),
          onError: () => new Response('internal error', { status: 500 }),
        }
      : (options as FetchCorsOptions),
  )

/** The lifecycle suite's client: a policy from createCors passed to withCors() in place of options. */
export const makePolicyClient: MakePolicyClient = (policy) => clientFor(policy as CorsPolicy<Request>)
