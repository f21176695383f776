import { describeProtection } from '@cors/conformance'
import type { CorsRejection } from '@cors/core'
import { H3, type H3Event } from 'h3'
import { describe, expect, it } from 'vitest'
import { makeClient } from '../test/app.ts'
import { cors } from './index.ts'

describeProtection('@cors/h3', makeClient('values'))

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const crossSite = { origin: evil, 'sec-fetch-site': 'cross-site' }
const websocket = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13' }

describe('@cors/h3: cross-origin protection', () => {
  it('refuses a WebSocket handshake from a disallowed origin before the upgrade route runs', async () => {
    const upgraded: string[] = []
    const rejections: CorsRejection[] = []
    const h3 = new H3().use(
      cors({ origin: [app], crossOriginProtection: true, onReject: (r) => rejections.push(r) }),
    )
    // Stands in for crossws's h3 route (defineWebSocketHandler), which upgrades when it runs.
    h3.get('/ws', (event) => {
      upgraded.push(event.req.headers.get('origin') ?? '(none)')
      return 'upgraded'
    })
    const refused = await h3.request('/ws', { headers: { ...websocket, origin: evil, host: 'api.test' } })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toBe('')
    expect(rejections.at(-1)?.message).toContain('Upgrade: websocket')
    const allowed = await h3.request('/ws', { headers: { ...websocket, origin: app } })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(app)
    expect(upgraded).toEqual([app])
  })

  it('protects only the paths its middleware is registered on', async () => {
    const calls: string[] = []
    const h3 = new H3()
      .use('/api/**', cors({ origin: [app], crossOriginProtection: true }))
      .use('/webhooks/**', cors({ origin: [app] }))
    h3.post('/api/items', () => {
      calls.push('api')
      return 'ok'
    })
    h3.post('/webhooks/stripe', () => {
      calls.push('webhook')
      return 'ok'
    })
    expect((await h3.request('/api/items', { method: 'POST', headers: crossSite })).status).toBe(403)
    expect((await h3.request('/webhooks/stripe', { method: 'POST', headers: crossSite })).status).toBe(200)
    expect(calls).toEqual(['webhook'])
  })

  it('bypass receives the H3Event', async () => {
    const h3 = new H3().use(
      cors({
        origin: [app],
        crossOriginProtection: { bypass: (event: H3Event) => event.url.pathname === '/oauth/callback' },
      }),
    )
    h3.post('/**', () => 'ok')
    expect((await h3.request('/oauth/callback', { method: 'POST', headers: crossSite })).status).toBe(200)
    expect((await h3.request('/account', { method: 'POST', headers: crossSite })).status).toBe(403)
  })

  it('a cross-site form post never reaches a handler that reads the body', async () => {
    const bodies: unknown[] = []
    const h3 = new H3().use(cors({ origin: [app], crossOriginProtection: true }))
    h3.post('/api/items', async (event) => {
      bodies.push(await event.req.text())
      return 'created'
    })
    const response = await h3.request('/api/items', {
      method: 'POST',
      headers: { ...crossSite, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    })
    expect(response.status).toBe(403)
    expect(bodies).toEqual([])
    expect([...response.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([])
  })
})
