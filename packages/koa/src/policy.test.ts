import { Agent, createServer } from 'node:http'
import { describePolicyLifecycle, headerRecord, type MakePolicyClient } from '@cors/conformance'
import Router from '@koa/router'
import Koa, { type Middleware } from 'koa'
import supertest from 'supertest'
import { afterAll } from 'vitest'
import { cors } from './index.ts'

// The two routes of the conformance app the lifecycle suite uses, with a policy from createCors
// passed to cors() in place of options.
const makeClient: MakePolicyClient = (policy) => {
  let called = false
  const app = new Koa()
  app.silent = true
  app.use(cors(policy as never))
  const router = new Router()
  const ok: Middleware = async (ctx) => {
    if (ctx.path === '/slow')
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
    called = true
    ctx.body = 'ok'
  }
  router.register('/ok', ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], ok)
  router.register('/slow', ['GET', 'POST', 'DELETE'], ok)
  app.use(router.routes()).use(router.allowedMethods())
  // One listening server for every request: the load group sends requests in waves, and a server
  // supertest starts itself closes whenever none is in flight. No idle socket is closed under a
  // client about to reuse it (ECONNRESET) while the run lasts.
  const server = createServer(app.callback()).listen(0)
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

describePolicyLifecycle('@cors/koa', makeClient)
