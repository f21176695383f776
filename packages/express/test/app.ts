// The conformance app and the clients the adapter's three suites drive it with (conformance.test.ts,
// policy.test.ts, protection.test.ts), and the supertest helper the tests send requests with.
// Test harness, outside src/ so the published code never imports @cors/conformance.
import type { Agent, IncomingMessage, Server, ServerResponse } from 'node:http'
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
import type { CorsPolicy } from '@cors/core'
import type express5 from 'express'
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express'
import { cors, type ExpressCorsOptions } from '../src/index.ts'

export type { Headers }
export type Listener = (req: IncomingMessage, res: ServerResponse) => void

// Sends one request through a node:http listener (an Express app is one) or a Server, and flattens
// the headers (see send in @cors/conformance/supertest).
export const send = (
  app: Express | Listener | Server,
  method: string,
  path: string,
  headers?: Headers,
  agent?: Agent,
): ReturnType<typeof sendTo> => sendTo(app as Listener, method, path, headers, agent)

// The conformance app (see @cors/conformance types.ts) on Express 5 and on Express 4: CORS on the
// app, the routes on the app, an authentication step for /auth that refuses with next(err) (401),
// and Express's own final handler for thrown errors and 404s.
export function conformanceApp(
  express: typeof express5,
  options: ExpressCorsOptions<Request> | CorsPolicy<Request>,
  onCall: () => void,
): Express {
  const app = express()
  app.use(cors<Request>(options))
  const ok: RequestHandler = (_req, res) => {
    onCall()
    res.send('ok')
  }
  const auth = (req: Request, _res: Response, next: NextFunction) => {
    if (req.get('authorization') === undefined)
      next(Object.assign(new Error('Unauthorized'), { status: 401 }))
    else next()
  }
  app.route('/ok').get(ok).post(ok).put(ok).patch(ok).delete(ok).options(ok)
  app.get('/get-only', ok)
  app.get('/vary', (_req, res) => {
    onCall()
    res.set('Vary', 'Accept-Encoding').send('ok')
  })
  app.get('/vary-origin', (_req, res) => {
    onCall()
    res.set('Vary', 'origin').send('ok')
  })
  app.get('/throw', () => {
    onCall()
    throw new Error('boom')
  })
  app.get('/error-response', (_req, res) => {
    onCall()
    res.status(500).send('failed')
  })
  // Not res.redirect(): it negotiates its body and adds `Vary: Accept`, which the adversarial suite's
  // exact-Vary rows would count as foreign (index.test.ts covers res.redirect itself).
  app.get('/redirect', (_req, res) => {
    onCall()
    res.status(302).location('/ok').end()
  })
  app.get('/immutable', ok)
  app.get('/upstream-cors', (_req, res) => {
    res.set(upstreamCorsHeaders)
    onCall()
    res.send('ok')
  })
  app.route('/auth').all(auth).get(ok).post(ok).put(ok)
  app.route('/slow').all((_req, _res, next) => {
    setTimeout(next, Math.floor(Math.random() * 5))
  })
  app.route('/slow').get(ok).post(ok).delete(ok)
  return app
}

function clientFor(
  express: typeof express5,
  options: ExpressCorsOptions<Request> | CorsPolicy<Request>,
  transport: Transport,
): ConformanceClient {
  return supertestClient((onCall) => conformanceApp(express, options, onCall), transport)
}

/** The conformance and protection suites' client: options passed to cors(). */
export const makeClient =
  (express: typeof express5): MakeClient =>
  (options) =>
    clientFor(express, options as ExpressCorsOptions<Request>, onDemand)

/** The lifecycle suite's client: a policy from createCors passed to cors() in place of options. */
export const makePolicyClient =
  (express: typeof express5): MakePolicyClient =>
  (policy) =>
    clientFor(express, policy as CorsPolicy<Request>, listening)
