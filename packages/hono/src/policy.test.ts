import { describePolicyLifecycle, headerLines, type MakePolicyClient } from '@cors/conformance'
import { Hono } from 'hono'
import { cors } from './index.ts'

// The two routes of the conformance app the lifecycle suite uses, with a policy from createCors
// passed to cors() in place of options.
const makeClient: MakePolicyClient = (policy) => {
  let called = false
  const app = new Hono()
  app.use('*', cors(policy as never))
  app.on(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], '/ok', (c) => {
    called = true
    return c.text('ok')
  })
  app.on(['GET', 'POST', 'DELETE'], '/slow', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
    called = true
    return c.text('ok')
  })
  return async (request) => {
    called = false
    const response = await app.request(request.path, {
      method: request.method,
      headers: headerLines(request),
    })
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      handlerCalled: called,
      body: await response.text(),
    }
  }
}

describePolicyLifecycle('@cors/hono', makeClient)
