import { describePolicyLifecycle, headerRecord, type MakePolicyClient } from '@cors/conformance'
import Fastify from 'fastify'
import { cors } from './index.ts'

// The two routes of the conformance app the lifecycle suite uses, with a policy from createCors
// registered as the plugin options: app.register(cors, policy).
const makeClient: MakePolicyClient = async (policy) => {
  let called = false
  const app = Fastify()
  await app.register(cors, policy as never)
  const ok = () => {
    called = true
    return 'ok'
  }
  app.route({ method: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], url: '/ok', handler: ok })
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/slow',
    handler: () => new Promise((resolve) => setTimeout(() => resolve(ok()), Math.floor(Math.random() * 5))),
  })
  await app.ready()
  return async (request) => {
    called = false
    const response = await app.inject({
      method: request.method as 'GET',
      url: request.path,
      headers: headerRecord(request),
    })
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined)
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)
    return { status: response.statusCode, headers, handlerCalled: called, body: response.body }
  }
}

describePolicyLifecycle('@cors/fastify', makeClient)
