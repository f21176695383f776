// The conformance app and the clients the adapter's three suites drive it with (conformance.test.ts,
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
import { Elysia } from 'elysia'
import { cors, type ElysiaCorsContext } from '../src/index.ts'

/** `values`: handlers return values, set.headers and status(); `raw`: they return `new Response()`. */
export type Style = 'values' | 'raw'

type Set = { headers: ElysiaCorsContext['set']['headers'] }

// The conformance app (see @cors/conformance types.ts), with the authentication step as a guard.
function conformanceApp(
  options: CorsOptions | CorsPolicy<ElysiaCorsContext>,
  style: Style,
  onCall: () => void,
) {
  const raw = style === 'raw'
  const route =
    <C>(answer: (context: C) => unknown) =>
    (context: C) => {
      onCall()
      return answer(context)
    }
  const ok = route(() => (raw ? new Response('ok') : 'ok'))
  const withHeaders = (set: Set, headers: Readonly<Record<string, string>>, body: string) => {
    if (raw) return new Response(body, { headers })
    Object.assign(set.headers, headers)
    return body
  }
  const authenticate = {
    beforeHandle: ({
      request,
      status,
    }: {
      request: Request
      status: (code: 401, body: string) => unknown
    }) =>
      request.headers.has('authorization')
        ? undefined
        : raw
          ? new Response('unauthorized', { status: 401 })
          : status(401, 'unauthorized'),
  }
  return new Elysia()
    .use(cors(options))
    .get('/ok', ok)
    .post('/ok', ok)
    .put('/ok', ok)
    .patch('/ok', ok)
    .delete('/ok', ok)
    .options('/ok', ok)
    .get(
      '/get-only',
      route(() => (raw ? Response.json({ ok: true }) : { ok: true })),
    )
    .get(
      '/vary',
      route(({ set }: { set: Set }) => withHeaders(set, { vary: 'Accept-Encoding' }, 'ok')),
    )
    .get(
      '/vary-origin',
      route(({ set }: { set: Set }) => withHeaders(set, { vary: 'origin' }, 'ok')),
    )
    .get(
      '/throw',
      route(() => {
        throw new Error('boom')
      }),
    )
    .get(
      '/error-response',
      route(({ status }: { status: (code: 500, body: string) => unknown }) =>
        raw ? new Response('failed', { status: 500 }) : status(500, 'failed'),
      ),
    )
    .get(
      '/redirect',
      route(({ request, redirect }: { request: Request; redirect: (url: string, status: 302) => unknown }) =>
        raw
          ? Response.redirect(new URL('/ok', request.url), 302)
          : redirect(new URL('/ok', request.url).href, 302),
      ),
    )
    .get(
      '/immutable',
      route(() => fetch('data:text/plain,immutable')),
    )
    .get(
      '/upstream-cors',
      route(({ set }: { set: Set }) => withHeaders(set, upstreamCorsHeaders, 'ok')),
    )
    .get('/auth', ok, authenticate)
    .post('/auth', ok, authenticate)
    .put('/auth', ok, authenticate)
    .get('/slow', slow(route, raw))
    .post('/slow', slow(route, raw))
    .delete('/slow', slow(route, raw))
}

function slow(route: <C>(answer: (context: C) => unknown) => (context: C) => unknown, raw: boolean) {
  return route(async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
    return raw ? new Response('ok') : 'ok'
  })
}

// Requests go through app.handle: no socket, the request's Host header is the one the row gives.
function clientFor(options: CorsOptions | CorsPolicy<ElysiaCorsContext>, style: Style): ConformanceClient {
  return fetchClient((onCall) => {
    const app = conformanceApp(options, style, onCall)
    return (request) => app.handle(request)
  })
}

/** The conformance and protection suites' client, for options. */
export const makeClient =
  (style: Style): MakeClient =>
  (options) =>
    clientFor(options, style)

/** The lifecycle suite's client: a policy from createCors passed to cors() in place of options. */
export const makePolicyClient: MakePolicyClient = (policy) =>
  clientFor(policy as CorsPolicy<ElysiaCorsContext>, 'values')
