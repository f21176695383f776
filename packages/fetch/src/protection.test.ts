import { describeProtection } from '@cors/conformance'
import { describe, expect, it } from 'vitest'
import { makeClient } from '../test/app.ts'
import { withCors, withCorsRoutes } from './index.ts'

describeProtection('@cors/fetch', makeClient)

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const crossSite = { origin: evil, 'sec-fetch-site': 'cross-site' }
const websocket = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13' }

describe('@cors/fetch: cross-origin protection', () => {
  it('refuses a WebSocket upgrade from a disallowed origin before the handler could upgrade it', async () => {
    const upgraded: string[] = []
    // As with Deno.upgradeWebSocket(request) or Bun's server.upgrade(request) in the handler.
    const handler = withCors(
      (request: Request) => {
        upgraded.push(request.headers.get('origin') ?? '(none)')
        return new Response(null, { status: 200 })
      },
      { origin: [app], crossOriginProtection: true },
    )
    const at = (headers: Record<string, string>) => handler(new Request('http://api.test/ws', { headers }))
    const refused = await at({ ...websocket, origin: evil, host: 'api.test' })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toBe('')
    expect((await at({ ...websocket, origin: app, 'sec-fetch-site': 'cross-site' })).status).toBe(200)
    expect((await at({ ...websocket, origin: 'http://api.test', host: 'api.test' })).status).toBe(200)
    expect(upgraded).toEqual([app, 'http://api.test'])
  })

  it('without the option, an upgrade still reaches the handler untouched', async () => {
    let ran = false
    const handler = withCors(
      () => {
        ran = true
        return new Response(null)
      },
      { origin: [app] },
    )
    await handler(new Request('http://api.test/ws', { headers: { ...websocket, origin: evil } }))
    expect(ran).toBe(true)
  })

  it('a Request without a Host header (built by hand) is judged by Sec-Fetch-Site and the allow-list', async () => {
    const handler = withCors(() => new Response('ok'), { origin: [app], crossOriginProtection: true })
    const post = (headers: Record<string, string>) =>
      handler(new Request('http://api.test/', { method: 'POST', headers }))
    expect((await post({ origin: 'http://api.test' })).status).toBe(403)
    expect((await post({ origin: 'http://api.test', 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    expect((await post({ origin: app })).status).toBe(200)
  })

  it('withCorsRoutes protects every exported method of a route file', async () => {
    const calls: string[] = []
    const routes = withCorsRoutes(
      {
        GET: () => new Response('list'),
        POST: () => {
          calls.push('POST')
          return new Response('created', { status: 201 })
        },
        DELETE: () => {
          calls.push('DELETE')
          return new Response(null, { status: 204 })
        },
      },
      { origin: [app], crossOriginProtection: true },
    )
    const request = (method: string, headers: Record<string, string>) =>
      new Request('http://api.test/todos', { method, headers })
    expect((await routes.POST!(request('POST', crossSite))).status).toBe(403)
    expect((await routes.DELETE!(request('DELETE', crossSite))).status).toBe(403)
    expect((await routes.GET!(request('GET', crossSite))).status).toBe(200)
    expect((await routes.POST!(request('POST', { ...crossSite, origin: app }))).status).toBe(201)
    expect(calls).toEqual(['POST'])
  })

  it('bypass receives the Request', async () => {
    const handler = withCors(() => new Response('ok'), {
      origin: [app],
      crossOriginProtection: { bypass: (request) => new URL(request.url).pathname.startsWith('/webhooks/') },
    })
    const post = (path: string) =>
      handler(new Request(`http://api.test${path}`, { method: 'POST', headers: crossSite }))
    expect((await post('/webhooks/github')).status).toBe(200)
    expect((await post('/account')).status).toBe(403)
  })
})
