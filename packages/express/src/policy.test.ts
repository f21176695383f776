import { Agent, createServer } from 'node:http'
import { describePolicyLifecycle, headerRecord, type MakePolicyClient } from '@cors/conformance'
import express5, { type Request, type RequestHandler } from 'express'
import express4 from 'express4'
import supertest from 'supertest'
import { afterAll } from 'vitest'
import { cors } from './index.ts'

// The two routes of the conformance app the lifecycle suite uses, with a policy from createCors
// passed to cors() in place of options.
const makeClient =
  (express: typeof express5): MakePolicyClient =>
  (policy) => {
    let called = false
    const app = express()
    app.use(cors<Request>(policy as never))
    const ok: RequestHandler = (_req, res) => {
      called = true
      res.send('ok')
    }
    app.route('/ok').get(ok).post(ok).put(ok).delete(ok).options(ok)
    app.route('/slow').all((_req, _res, next) => {
      setTimeout(next, Math.floor(Math.random() * 5))
    })
    app.route('/slow').get(ok).post(ok).delete(ok)
    // One listening server for every request: the load group sends requests in waves, and a server
    // supertest starts itself closes whenever none is in flight. No idle socket is closed under a
    // client about to reuse it (ECONNRESET) while the run lasts.
    const server = createServer(app).listen(0)
    server.keepAliveTimeout = 120_000
    server.unref()
    // Connections kept alive and reused: thousands of requests in flight without opening and
    // closing thousands of sockets, which a busy machine answers with resets.
    const agent = new Agent({ keepAlive: true, maxSockets: 1024 })
    afterAll(() => {
      agent.destroy()
      return new Promise((resolve) => server.close(resolve))
    })
    return async (request) => {
      called = false
      const response = await supertest(server)
        [request.method.toLowerCase() as 'get'](request.path)
        .agent(agent)
        .set(headerRecord(request))
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>))
        headers[name] = Array.isArray(value) ? value.join(', ') : value
      return { status: response.status, headers, handlerCalled: called, body: response.text ?? '' }
    }
  }

describePolicyLifecycle('@cors/express on Express 5', makeClient(express5))
describePolicyLifecycle('@cors/express on Express 4', makeClient(express4 as unknown as typeof express5))
