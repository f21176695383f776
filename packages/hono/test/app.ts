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
import { type Context, Hono } from 'hono'
import { cors } from '../src/index.ts'

/** `context`: handlers answer with c.text/c.json/c.redirect; `raw`: they return `new Response()` themselves. */
export type Style = 'context' | 'raw'

// The conformance app (see @cors/conformance types.ts), with the authentication step registered after cors.
export function conformanceApp(
  options: CorsOptions | CorsPolicy<Context>,
  style: Style,
  onCall: () => void,
): Hono {
  const raw = style === 'raw'
  const app = new Hono()
  app.use('*', cors(options))
  app.use('/auth', async (c, next) => {
    if (c.req.header('authorization') !== undefined) return next()
    return raw ? new Response('unauthorized', { status: 401 }) : c.text('unauthorized', 401)
  })
  const route = (answer: (c: Context) => Response | Promise<Response>) => (c: Context) => {
    onCall()
    return answer(c)
  }
  const ok = route((c) => (raw ? new Response('ok') : c.text('ok')))
  app.on(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], '/ok', ok)
  app.get(
    '/get-only',
    route((c) => (raw ? Response.json({ ok: true }) : c.json({ ok: true }))),
  )
  app.get(
    '/vary',
    route((c) => {
      if (raw) return new Response('ok', { headers: { vary: 'Accept-Encoding' } })
      c.header('Vary', 'Accept-Encoding', { append: true })
      return c.text('ok')
    }),
  )
  app.get(
    '/vary-origin',
    route((c) =>
      raw ? new Response('ok', { headers: { vary: 'origin' } }) : c.text('ok', 200, { Vary: 'origin' }),
    ),
  )
  app.get(
    '/throw',
    route(() => {
      throw new Error('boom')
    }),
  )
  app.get(
    '/error-response',
    route((c) => (raw ? new Response('failed', { status: 500 }) : c.text('failed', 500))),
  )
  app.get(
    '/redirect',
    route((c) => (raw ? Response.redirect(new URL('/ok', c.req.url), 302) : c.redirect('/ok'))),
  )
  app.get(
    '/immutable',
    route(() => fetch('data:text/plain,immutable')),
  )
  app.get(
    '/upstream-cors',
    route((c) =>
      raw ? new Response('ok', { headers: upstreamCorsHeaders }) : c.text('ok', 200, upstreamCorsHeaders),
    ),
  )
  app.on(['GET', 'POST', 'PUT'], '/auth', ok)
  app.on(
    ['GET', 'POST', 'DELETE'],
    '/slow',
    route(async (c) => {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
      return raw ? new Response('ok') : c.text('ok')
    }),
  )
  return app
}

// Requests go through app.request, given a Request for http://localhost (what app.request builds
// from a path): no socket, the request's Host header is the one the row gives.
function clientFor(options: CorsOptions | CorsPolicy<Context>, style: Style): ConformanceClient {
  return fetchClient((onCall) => {
    const app = conformanceApp(options, style, onCall)
    return (request) => app.request(request)
  })
}

/** The conformance and protection suites' client, for options. */
export const makeClient =
  (style: Style): MakeClient =>
  (options) =>
    clientFor(options, style)

/** The lifecycle suite's client: a policy from createCors passed to cors() in place of options. */
export const makePolicyClient: MakePolicyClient = (policy) =>
  clientFor(policy as CorsPolicy<Context>, 'context')
