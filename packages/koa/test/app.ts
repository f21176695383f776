// The conformance app and the clients the adapter's three suites drive it with (index.test.ts,
// policy.test.ts, protection.test.ts), and the supertest helper they send requests with.
// Test harness, outside src/ so the published code never imports @cors/conformance.
import { Agent, createServer, type Server } from 'node:http'
import {
  type ConformanceClient,
  headerRecord,
  type MakeClient,
  type MakePolicyClient,
  upstreamCorsHeaders,
} from '@cors/conformance'
import type { CorsOptions, CorsPolicy } from '@cors/core'
import Router from '@koa/router'
import Koa, { type Context, type Middleware } from 'koa'
import supertest from 'supertest'
import { afterAll } from 'vitest'
import { cors, type KoaCorsOptions } from '../src/index.ts'

export type Headers = Readonly<Record<string, string | string[]>>

// Sends one request through the app's own callback (koa's test style) and flattens the headers.
// An array value is sent as several header lines, which Node's HTTP server joins with ", ".
// Given a Server (not listening), supertest starts it once for all the requests in flight and
// closes it after the last, instead of one server per request. With an `agent`, the requests reuse
// its kept-alive connections.
export async function send(
  app: Koa | Server,
  method: string,
  path: string,
  headers: Headers = {},
  agent?: Agent,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const target = app instanceof Koa ? app.callback() : app
  const request = supertest(target)[method.toLowerCase() as 'get'](path)
  const response = await (agent === undefined ? request : request.agent(agent)).set(headers)
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return { status: response.status, headers: flat, text: response.text ?? '' }
}

// The conformance app (see @cors/conformance types.ts): CORS on the app, routes on a @koa/router router,
// and an authentication step for /auth that runs after CORS and refuses with ctx.throw(401).
export function conformanceApp(options: KoaCorsOptions | CorsPolicy<Context>, onCall: () => void): Koa {
  const app = new Koa()
  app.silent = true
  app.use(cors(options))
  const router = new Router()
  const ok: Middleware = (ctx) => {
    onCall()
    ctx.body = 'ok'
  }
  const auth: Middleware = async (ctx, next) => {
    if (ctx.get('authorization') === '') ctx.throw(401)
    await next()
  }
  router.register('/ok', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], ok)
  router.get('/get-only', ok)
  router.get('/vary', (ctx) => {
    onCall()
    ctx.set('Vary', 'Accept-Encoding')
    ctx.body = 'ok'
  })
  router.get('/vary-origin', (ctx) => {
    onCall()
    ctx.set('Vary', 'origin')
    ctx.body = 'ok'
  })
  router.get('/throw', () => {
    onCall()
    throw new Error('boom')
  })
  router.get('/error-response', (ctx) => {
    onCall()
    ctx.status = 500
    ctx.body = 'failed'
  })
  router.get('/redirect', (ctx) => {
    onCall()
    ctx.redirect('/ok')
  })
  router.get('/immutable', ok)
  router.get('/upstream-cors', (ctx) => {
    ctx.set(upstreamCorsHeaders)
    onCall()
    ctx.body = 'ok'
  })
  router.register('/auth', ['GET', 'POST', 'PUT'], [auth, ok])
  router.register('/slow', ['GET', 'POST', 'DELETE'], async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
    onCall()
    ctx.body = 'ok'
  })
  app.use(router.routes()).use(router.allowedMethods())
  return app
}

/** How a client reaches the app: a server (listening or not) and, optionally, a keep-alive agent. */
export type Transport = (app: Koa) => { readonly server: Server; readonly agent?: Agent }

// supertest through a real Node HTTP server (Host is what the request says). A Server that is not
// listening: supertest starts it once for the requests in flight and closes it after the last.
const onDemand: Transport = (app) => ({ server: createServer(app.callback()) })

/**
 * The lifecycle suite's transport. One listening server for every request: the load group sends
 * requests in waves, and a server supertest starts itself closes whenever none is in flight. No idle
 * socket is closed under a client about to reuse it (ECONNRESET) while the run lasts. Connections
 * kept alive and reused: thousands of requests in flight without opening and closing thousands of
 * sockets, which a busy machine answers with resets. Both are closed after the file's tests.
 */
export const listening: Transport = (app) => {
  const server = createServer(app.callback()).listen(0)
  server.keepAliveTimeout = 120_000
  server.unref()
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 })
  afterAll(() => {
    agent.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  return { server, agent }
}

function clientFor(options: KoaCorsOptions | CorsPolicy<Context>, transport: Transport): ConformanceClient {
  let called = false
  const app = conformanceApp(options, () => {
    called = true
  })
  const { server, agent } = transport(app)
  return async (request) => {
    called = false
    const { status, headers, text } = await send(
      server,
      request.method,
      request.path,
      headerRecord(request),
      agent,
    )
    return { status, headers, handlerCalled: called, body: text }
  }
}

/** The conformance and protection suites' client: options passed to cors(). */
export const makeClient: MakeClient = (options: CorsOptions) => clientFor(options as KoaCorsOptions, onDemand)

/** The lifecycle suite's client: a policy from createCors passed to cors() in place of options. */
export const makePolicyClient: MakePolicyClient = (policy) =>
  clientFor(policy as CorsPolicy<Context>, listening)
