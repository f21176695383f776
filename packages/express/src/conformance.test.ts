import { createServer } from 'node:http'
import {
  describeAdversarial,
  describeConformance,
  headerRecord,
  type MakeClient,
  upstreamCorsHeaders,
} from '@cors/conformance'
import express5, { type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import express4 from 'express4'
import supertest from 'supertest'
import { cors, type ExpressCorsOptions } from './index.ts'

// The conformance app (see @cors/conformance types.ts) on Express 5 and on Express 4: CORS on the
// app, the routes on the app, an authentication step for /auth that refuses with next(err) (401),
// and Express's own final handler for thrown errors and 404s.
function conformanceApp(express: typeof express5, options: ExpressCorsOptions<Request>, onCall: () => void) {
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

const makeClient =
  (express: typeof express5): MakeClient =>
  (options) => {
    let called = false
    const app = conformanceApp(express, options as ExpressCorsOptions<Request>, () => {
      called = true
    })
    // A Server that is not listening: supertest starts it once for the requests in flight.
    const server = createServer(app)
    return async (request) => {
      called = false
      const response = await supertest(server)
        [request.method.toLowerCase() as 'get'](request.path)
        .set(headerRecord(request))
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value
      }
      return { status: response.status, headers, handlerCalled: called, body: response.text ?? '' }
    }
  }

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4],
] as const) {
  describeConformance(`@cors/express on ${name}`, makeClient(express))
  // supertest goes through a real Node HTTP server, which answers 431 to more than 16 KiB of headers.
  describeAdversarial(`@cors/express on ${name}`, makeClient(express), { maxHeaderBytes: 16 * 1024 })
}
