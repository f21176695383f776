// The conformance app and the clients the adapter's three suites drive it with (conformance.test.ts,
// policy.test.ts, protection.test.ts), and the supertest helper the tests send requests with.
// Test harness, outside src/ so the published code never imports @cors/conformance.
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  type ConformanceClient,
  headerRecord,
  type MakeClient,
  type MakePolicyClient,
  upstreamCorsHeaders,
} from '@cors/conformance'
import type { CorsPolicy } from '@cors/core'
import type express5 from 'express'
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express'
import supertest from 'supertest'
import { afterAll } from 'vitest'
import { cors, type ExpressCorsOptions } from '../src/index.ts'

export type Headers = Readonly<Record<string, string | string[]>>
export type Listener = (req: IncomingMessage, res: ServerResponse) => void

// Sends one request through a node:http listener (an Express app is one) or a Server with supertest
// and flattens the headers. With an `agent`, the requests reuse its kept-alive connections.
export async function send(
  app: Express | Listener | Server,
  method: string,
  path: string,
  headers: Headers = {},
  agent?: Agent,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const request = supertest(app as Listener)[method.toLowerCase() as 'get'](path)
  const response = await (agent === undefined ? request : request.agent(agent)).set(headers)
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return { status: response.status, headers: flat, text: response.text ?? '' }
}

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

/** How a client reaches the app: a server (listening or not) and, optionally, a keep-alive agent. */
export type Transport = (app: Express) => { readonly server: Server; readonly agent?: Agent }

// supertest through a real Node HTTP server (Host is what the request says). A Server that is not
// listening: supertest starts it once for the requests in flight and closes it after the last.
const onDemand: Transport = (app) => ({ server: createServer(app) })

/**
 * The lifecycle suite's transport. One listening server for every request: the load group sends
 * requests in waves, and a server supertest starts itself closes whenever none is in flight. No idle
 * socket is closed under a client about to reuse it (ECONNRESET) while the run lasts. Connections
 * kept alive and reused: thousands of requests in flight without opening and closing thousands of
 * sockets, which a busy machine answers with resets. Both are closed after the file's tests.
 */
export const listening: Transport = (app) => {
  const server = createServer(app).listen(0)
  server.keepAliveTimeout = 120_000
  server.unref()
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 })
  afterAll(() => {
    agent.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  return { server, agent }
}

function clientFor(
  express: typeof express5,
  options: ExpressCorsOptions<Request> | CorsPolicy<Request>,
  transport: Transport,
): ConformanceClient {
  let called = false
  const app = conformanceApp(express, options, () => {
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
export const makeClient =
  (express: typeof express5): MakeClient =>
  (options) =>
    clientFor(express, options as ExpressCorsOptions<Request>, onDemand)

/** The lifecycle suite's client: a policy from createCors passed to cors() in place of options. */
export const makePolicyClient =
  (express: typeof express5): MakePolicyClient =>
  (policy) =>
    clientFor(express, policy as CorsPolicy<Request>, listening)
