import { describeProtection } from '@cors/conformance'
import type { CorsRejection } from '@cors/core'
import { type Context, Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { makeClient } from '../test/app.ts'
import { cors } from './index.ts'

describeProtection('@cors/hono', makeClient('context'))

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const crossSite = { origin: evil, 'sec-fetch-site': 'cross-site' }
const websocket = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13' }

describe('@cors/hono: cross-origin protection', () => {
  // Stands in for upgradeWebSocket() of hono/deno, hono/bun, hono/cloudflare-workers or @hono/node-ws:
  // a route handler that upgrades the connection when it runs.
  function withUpgradeRoute(options: Parameters<typeof cors>[0]) {
    const upgraded: string[] = []
    const rejections: CorsRejection[] = []
    const hono = new Hono()
    hono.use('*', cors({ ...(options as object), onReject: (r) => rejections.push(r) }))
    hono.get('/ws', (c) => {
      upgraded.push(c.req.header('origin') ?? '(none)')
      return c.body(null)
    })
    hono.post('/api/items', (c) => c.text('created', 201))
    return { hono, upgraded, rejections }
  }

  it('refuses a WebSocket upgrade from a disallowed origin before the upgrade helper runs', async () => {
    const { hono, upgraded, rejections } = withUpgradeRoute({ origin: [app], crossOriginProtection: true })
    const refused = await hono.request('/ws', { headers: { ...websocket, origin: evil, host: 'api.test' } })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toBe('')
    expect(rejections.at(-1)?.message).toContain('Upgrade: websocket')
    const allowed = await hono.request('/ws', { headers: { ...websocket, origin: app } })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(app)
    const same = await hono.request('/ws', {
      headers: { ...websocket, origin: 'http://api.test', 'sec-fetch-site': 'same-origin', host: 'api.test' },
    })
    expect(same.status).toBe(200)
    expect(upgraded).toEqual([app, 'http://api.test'])
  })

  it('without the option, the upgrade is left to the route (CORS never covers it)', async () => {
    const { hono, upgraded } = withUpgradeRoute({ origin: [app] })
    expect((await hono.request('/ws', { headers: { ...websocket, origin: evil } })).status).toBe(200)
    expect(upgraded).toEqual([evil])
  })

  it('protects only the paths its middleware is registered on', async () => {
    const hono = new Hono()
    const calls: string[] = []
    hono.use('/api/*', cors({ origin: [app], crossOriginProtection: true }))
    hono.use('/webhooks/*', cors({ origin: [app] }))
    hono.post('/api/items', (c) => {
      calls.push('api')
      return c.text('ok')
    })
    hono.post('/webhooks/stripe', (c) => {
      calls.push('webhook')
      return c.text('ok')
    })
    expect((await hono.request('/api/items', { method: 'POST', headers: crossSite })).status).toBe(403)
    expect((await hono.request('/webhooks/stripe', { method: 'POST', headers: crossSite })).status).toBe(200)
    expect(calls).toEqual(['webhook'])
  })

  it('bypass receives the Hono Context', async () => {
    const hono = new Hono()
    hono.use(
      '*',
      cors({
        origin: [app],
        crossOriginProtection: { bypass: (c: Context) => c.req.path === '/oauth/callback' },
      }),
    )
    hono.post('*', (c) => c.text('ok'))
    expect((await hono.request('/oauth/callback', { method: 'POST', headers: crossSite })).status).toBe(200)
    expect((await hono.request('/account', { method: 'POST', headers: crossSite })).status).toBe(403)
  })

  it('a cross-site form post never reaches a handler that reads the body', async () => {
    const { hono } = withUpgradeRoute({ origin: [app], crossOriginProtection: true })
    const response = await hono.request('/api/items', {
      method: 'POST',
      headers: { ...crossSite, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    })
    expect(response.status).toBe(403)
    expect([...response.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([])
  })
})
