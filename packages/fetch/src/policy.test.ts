import { describePolicyLifecycle, headerLines, type MakePolicyClient } from '@cors/conformance'
import { withCors } from './index.ts'

// The two routes of the conformance app the lifecycle suite uses, with a policy from createCors
// passed to withCors() in place of options.
const makeClient: MakePolicyClient = (policy) => {
  let called = false
  const routes: Record<string, readonly string[]> = {
    '/ok': ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    '/slow': ['GET', 'POST', 'DELETE'],
  }
  const handler = withCors(async (request: Request) => {
    const { pathname } = new URL(request.url)
    if (!routes[pathname]?.includes(request.method)) return new Response('not found', { status: 404 })
    if (pathname === '/slow')
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
    called = true
    return new Response('ok')
  }, policy as never)
  return async (request) => {
    called = false
    const response = await handler(
      new Request(`http://api.test${request.path}`, {
        method: request.method,
        headers: headerLines(request),
      }),
    )
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      handlerCalled: called,
      body: await response.text(),
    }
  }
}

describePolicyLifecycle('@cors/fetch', makeClient)
