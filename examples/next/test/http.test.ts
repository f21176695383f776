import { describe, expect, inject, it } from 'vitest'

// Real HTTP requests to the apps `next start` serves (test/global-setup.ts): Next 16 with proxy.ts
// and route files using withCorsRoutes, Next 15 with middleware.ts.
const app = 'http://app.example.test:5173'
const evil = 'https://evil.test'

function client(port: number) {
  return (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual', ...init })
}
const preflight = (method: string, origin = app, headers = 'content-type') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
})
const vary = (response: Response) =>
  (response.headers.get('vary') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')

describe('Next 16, proxy.ts', () => {
  const request = client(inject('next16'))

  it('answers the preflight of a POST-only route (no OPTIONS export) in the proxy', async () => {
    const response = await request('/api/upload', preflight('POST'))
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-max-age')).toBe('600')
    expect(vary(response)).toContain('origin')
    const refused = await request('/api/upload', preflight('POST', evil))
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })

  it("puts the decision's headers and Vary on the route's response, beside Next's own Vary", async () => {
    const response = await request('/api/todos', { headers: { origin: app } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
    expect(response.headers.get('access-control-expose-headers')).toBe('x-total-count')
    expect(vary(response)).toEqual(expect.arrayContaining(['origin', 'rsc']))
    expect(vary(response).filter((name) => name === 'origin')).toHaveLength(1)
    const refused = await request('/api/todos', { headers: { origin: evil } })
    expect(refused.status).toBe(200)
    expect([...refused.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([])
    expect(vary(refused)).toContain('origin')
  })

  it('an error thrown by a route is a 500 that keeps the CORS headers', async () => {
    const response = await request('/api/boom', { headers: { origin: app } })
    expect(response.status).toBe(500)
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
    expect(vary(response)).toContain('origin')
  })

  it("Next's own 404 page keeps the decision's headers and Vary: Origin (instrumentation.ts)", async () => {
    const response = await request('/no/such/page', { headers: { origin: app } })
    expect(response.status).toBe(404)
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(await response.text()).toContain('This page could not be found')
    // Next's page renderer sets Vary itself; keepCorsVary() (instrumentation.ts) keeps Origin in it.
    expect(vary(response)).toEqual(expect.arrayContaining(['origin', 'rsc']))
    const page = await request('/', { headers: { origin: app } })
    expect(page.headers.get('access-control-allow-origin')).toBe(app)
    expect(vary(page)).toEqual(expect.arrayContaining(['origin', 'rsc']))
  })

  it('composes with the app logic: auth refusal, redirect, rewrite, NextResponse.next({ headers })', async () => {
    const unauthorized = await request('/api/private', { headers: { origin: app } })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(app)
    const authorized = await request('/api/private', { headers: { origin: app, authorization: 'Bearer t' } })
    expect(await authorized.json()).toEqual({ secret: 42 })
    // The preflight of the authorized request is answered before the auth step runs.
    expect((await request('/api/private', preflight('GET', app, 'authorization'))).status).toBe(204)
    const redirect = await request('/old/todos', { headers: { origin: app } })
    expect(redirect.status).toBe(307)
    expect(redirect.headers.get('location')).toBe('/api/todos')
    expect(redirect.headers.get('access-control-allow-origin')).toBe(app)
    const rewritten = await request('/api/v1/todos', { headers: { origin: app } })
    expect(await rewritten.json()).toEqual([{ id: 1, title: 'Read the Fetch standard' }])
    expect(rewritten.headers.get('access-control-allow-origin')).toBe(app)
    // Relative: Next rewrote in-process. An absolute URL here means it proxied the request over
    // HTTP to itself, as it does when started with `-H 127.0.0.1` (see src/apps.ts).
    expect(rewritten.headers.get('x-middleware-rewrite')).toBe('/api/todos')
    const tagged = await request('/api/tagged', { headers: { origin: app } })
    expect(tagged.headers.get('x-tagged')).toBe('yes')
    expect(tagged.headers.get('access-control-allow-origin')).toBe(app)
    expect(vary(tagged)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']))
  })

  it('crossOriginProtection refuses a cross-site form post to a page with a Server Action and to a route', async () => {
    const form = (path: string) =>
      request(path, {
        method: 'POST',
        headers: {
          origin: evil,
          'sec-fetch-site': 'cross-site',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'note=hi',
      })
    for (const path of ['/', '/api/todos', '/direct/items']) {
      const refused = await form(path)
      expect(refused.status, path).toBe(403)
      expect(await refused.text(), path).toBe('')
    }
  })
})

describe('Next 16, route files with withCorsRoutes (outside the matcher)', () => {
  const request = client(inject('next16'))

  it('answers preflights for the exported methods only', async () => {
    const post = await request('/direct/items', preflight('POST'))
    expect(post.status).toBe(204)
    expect(post.headers.get('access-control-allow-methods')).toBe('GET, HEAD, PUT, PATCH, POST, DELETE')
    expect((await request('/direct/items', { method: 'OPTIONS' })).headers.get('allow')).toBe(
      'OPTIONS, GET, POST',
    )
  })

  it('a thrown error is a plain 500 with the CORS headers', async () => {
    const response = await request('/direct/items', {
      method: 'POST',
      headers: { origin: app, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('Internal Server Error')
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
  })
})

describe('Next 15, middleware.ts', () => {
  const request = client(inject('next15'))

  it('answers the preflight of a POST-only route and decorates the response', async () => {
    const answer = await request('/api/hello', preflight('POST'))
    expect(answer.status).toBe(204)
    expect(answer.headers.get('access-control-allow-origin')).toBe(app)
    const response = await request('/api/hello', { method: 'POST', headers: { origin: app }, body: 'x' })
    expect(await response.json()).toEqual({ hello: 'x' })
    expect(response.headers.get('access-control-allow-origin')).toBe(app)
    expect(response.headers.get('access-control-expose-headers')).toBe('x-total-count')
    expect(vary(response)).toContain('origin')
  })

  it("Next 15's 404 page keeps the decision's headers and Vary; a refused preflight is a bare 403", async () => {
    const missing = await request('/nothing', { headers: { origin: app } })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe(app)
    expect(vary(missing)).toContain('origin')
    const refused = await request('/api/hello', preflight('POST', evil))
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })
})
