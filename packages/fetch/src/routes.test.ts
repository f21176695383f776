import { describe, expect, it } from 'vitest'
import { withCorsRoutes } from './index.ts'

const origin = 'https://app.example.com'
const preflight = (method: string) =>
  new Request('http://api.test/todos', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method },
  })
const ok = () => new Response('ok')

describe('withCorsRoutes: without `methods`, a route allows the methods it exports (issue 19.8)', () => {
  it('refuses a preflight for PUT on a route exporting only GET and POST', async () => {
    const routes = withCorsRoutes({ GET: ok, POST: ok }, { origin })
    const put = await routes.OPTIONS(preflight('PUT'))
    expect(put.status).toBe(403)
    expect(put.headers.get('access-control-allow-origin')).toBeNull()
    const post = await routes.OPTIONS(preflight('POST'))
    expect(post.status).toBe(204)
    expect(post.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST')
  })

  it('allows HEAD with GET (Next.js answers HEAD with the GET handler), never OPTIONS unless listed', async () => {
    const get = withCorsRoutes({ GET: ok }, { origin })
    expect((await get.OPTIONS(preflight('HEAD'))).status).toBe(204)
    expect((await get.OPTIONS(preflight('OPTIONS'))).status).toBe(403)
    const own = withCorsRoutes({ DELETE: ok, OPTIONS: ok }, { origin })
    const answer = await own.OPTIONS(preflight('OPTIONS'))
    expect(answer.status).toBe(403)
    const listed = withCorsRoutes({ DELETE: ok, OPTIONS: ok }, { origin, methods: ['DELETE', 'OPTIONS'] })
    expect((await listed.OPTIONS(preflight('OPTIONS'))).headers.get('access-control-allow-methods')).toBe(
      'DELETE, OPTIONS',
    )
  })

  it('keeps `methods` when it is set, and a policy from createCors as it is', async () => {
    const routes = withCorsRoutes({ GET: ok }, { origin, methods: ['GET', 'PUT'] })
    const put = await routes.OPTIONS(preflight('PUT'))
    expect(put.status).toBe(204)
    expect(put.headers.get('access-control-allow-methods')).toBe('GET, PUT')
  })

  it('lists the exported methods in Allow, in a fixed order, whatever the object order', async () => {
    const routes = withCorsRoutes({ POST: ok, GET: ok, DELETE: ok }, { origin })
    const plain = await routes.OPTIONS(new Request('http://api.test/todos', { method: 'OPTIONS' }))
    expect(plain.headers.get('allow')).toBe('OPTIONS, GET, POST, DELETE')
    expect(Object.keys(routes).sort()).toEqual(['DELETE', 'GET', 'OPTIONS', 'POST'])
  })
})
