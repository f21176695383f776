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
import { H3, type H3Event, HTTPError, redirect } from 'h3'
import { cors } from '../src/index.ts'

/** `values`: handlers return plain values and throw HTTPErrors; `raw`: they return `new Response()`. */
export type Style = 'values' | 'raw'

// The conformance app (see @cors/conformance types.ts), with the authentication step registered after cors.
export function conformanceApp(
  options: CorsOptions | CorsPolicy<H3Event>,
  style: Style,
  onCall: () => void,
): H3 {
  const raw = style === 'raw'
  const app = new H3({ silent: true })
  app.use(cors(options))
  app.use('/auth', (event, next) => {
    if (event.req.headers.has('authorization')) return next()
    if (raw) return new Response('unauthorized', { status: 401 })
    throw new HTTPError({ status: 401, message: 'unauthorized' })
  })
  const route = (answer: (event: H3Event) => unknown) => (event: H3Event) => {
    onCall()
    return answer(event)
  }
  const ok = route(() => (raw ? new Response('ok') : 'ok'))
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const)
    app.on(method, '/ok', ok)
  app.get(
    '/get-only',
    route(() => (raw ? Response.json({ ok: true }) : { ok: true })),
  )
  app.get(
    '/vary',
    route((event) => {
      if (raw) return new Response('ok', { headers: { vary: 'Accept-Encoding' } })
      event.res.headers.append('vary', 'Accept-Encoding')
      return 'ok'
    }),
  )
  app.get(
    '/vary-origin',
    route((event) => {
      if (raw) return new Response('ok', { headers: { vary: 'origin' } })
      event.res.headers.set('vary', 'origin')
      return 'ok'
    }),
  )
  app.get(
    '/throw',
    route(() => {
      throw new Error('boom')
    }),
  )
  app.get(
    '/error-response',
    route(() => {
      if (raw) return new Response('failed', { status: 500 })
      throw new HTTPError({ status: 500, message: 'failed' })
    }),
  )
  app.get(
    '/redirect',
    route((event) => (raw ? Response.redirect(new URL('/ok', event.url), 302) : redirect('/ok', 302))),
  )
  app.get(
    '/immutable',
    route(() => fetch('data:text/plain,immutable')),
  )
  app.get(
    '/upstream-cors',
    route((event) => {
      if (raw) return new Response('ok', { headers: upstreamCorsHeaders })
      for (const [name, value] of Object.entries(upstreamCorsHeaders)) event.res.headers.set(name, value)
      return 'ok'
    }),
  )
  for (const method of ['GET', 'POST', 'PUT'] as const) app.on(method, '/auth', ok)
  const slow = route(async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
    return raw ? new Response('ok') : 'ok'
  })
  for (const method of ['GET', 'POST', 'DELETE'] as const) app.on(method, '/slow', slow)
  return app
}

// Requests go through app.fetch: no socket, the request's Host header is the one the row gives (an
// absolute URL, since app.request would build the URL from that Host, which the rows make hostile).
function clientFor(options: CorsOptions | CorsPolicy<H3Event>, style: Style): ConformanceClient {
  return fetchClient((onCall) => {
    const app = conformanceApp(options, style, onCall)
    return (request) => app.fetch(request)
  })
}

/** The conformance and protection suites' client, for options. */
export const makeClient =
  (style: Style): MakeClient =>
  (options) =>
    clientFor(options, style)

/** The lifecycle suite's client: a policy from createCors passed to cors() in place of options. */
export const makePolicyClient: MakePolicyClient = (policy) =>
  clientFor(policy as CorsPolicy<H3Event>, 'values')
