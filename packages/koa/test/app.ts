// The conformance app and the clients the adapter's three suites drive it with (index.test.ts,
// policy.test.ts, protection.test.ts), and the supertest helper they send requests with.
// Test harness, outside src/ so the published code never imports @cors/conformance.
import type { Agent, Server } from 'node:http'
import {
  type ConformanceClient,
  type MakeClient,
  type MakePolicyClient,
  upstreamCorsHeaders,
} from '@cors/conformance'
import {
  type Headers,
  listening,
  onDemand,
  send as sendTo,
  supertestClient,
  type Transport,
} from '@cors/conformance/supertest'
import type { CorsOptions, CorsPolicy } from '@cors/core'
import Router from '@koa/router'
import Koa, { type Context, type Middleware } from 'koa'
import { cors, type KoaCorsOptions } from '../src/index.ts'

export type { Headers }

// Sends one request through the app's own callback (koa's test style) or a Server, and flattens the
// headers (see send in @cors/conformance/supertest).
export const send = (
  app: Koa | Server,
  method: string,
  path: string,
  headers?: Headers,
  agent?: Agent,
): ReturnType<typeof sendTo> =>
  sendTo(app instanceof Koa ? app.callback() : app, method, path, headers, agent)

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

function clientFor(options: KoaCorsOptions | CorsPolicy<Context>, transport: Transport): ConformanceClient {
  return supertestClient((onCall) => conformanceApp(options, onCall).callback(), transport)
}

/** The conformance and protection suites' client: options passed to cors(). */
export const makeClient: MakeClient = (options: CorsOptions) => clientFor(options as KoaCorsOptions, onDemand)

/** The lifecycle suite's client: a policy from createCors passed to cors() in place of options. */
export const makePolicyClient: MakePolicyClient = (policy) =>
  clientFor(policy as CorsPolicy<Context>, listening)
