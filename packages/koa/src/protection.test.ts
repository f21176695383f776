import { createServer } from 'node:http'
import { describeProtection } from '@cors/conformance'
import Koa, { type Middleware } from 'koa'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { makeClient, send } from '../test/app.ts'
import { cors } from './index.ts'

// supertest goes through a real Node HTTP server, which answers 431 to more than 16 KiB of headers.
describeProtection('@cors/koa', makeClient, { maxHeaderBytes: 16 * 1024 })

const app = 'https://app.example.com'
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }

describe('@cors/koa: cross-origin protection', () => {
  function server(...middleware: Middleware[]) {
    const calls: string[] = []
    const koa = new Koa()
    koa.silent = true
    for (const m of middleware) koa.use(m)
    koa.use((ctx) => {
      calls.push(`${ctx.method} ${ctx.path}`)
      ctx.body = 'ok'
    })
    return { server: createServer(koa.callback()), calls }
  }

  it('refuses a cross-site form post with 403 and an empty body, before later middleware runs', async () => {
    const auth: Middleware = () => {
      throw new Error('authentication must not run')
    }
    const { server: s, calls } = server(cors({ origin: [app], crossOriginProtection: true }), auth)
    const response = await supertest(s)
      .post('/transfer')
      .set(crossSite)
      .type('form')
      .send('amount=1000&to=attacker')
    expect(response.status).toBe(403)
    expect(response.text).toBe('')
    expect(Object.keys(response.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    expect(calls).toEqual([])
  })

  it('protects only the paths its middleware is mounted on (a webhook path left out)', async () => {
    const protect = cors({ origin: [app], crossOriginProtection: true })
    const open = cors({ origin: [app] })
    const scoped: Middleware = (ctx, next) =>
      ctx.path.startsWith('/webhooks/') ? open(ctx, next) : protect(ctx, next)
    const { server: s, calls } = server(scoped)
    expect((await send(s, 'POST', '/webhooks/stripe', crossSite)).status).toBe(200)
    expect((await send(s, 'POST', '/account', crossSite)).status).toBe(403)
    expect(calls).toEqual(['POST /webhooks/stripe'])
  })

  it('bypass receives the Koa Context', async () => {
    const { server: s, calls } = server(
      cors({
        origin: [app],
        crossOriginProtection: { bypass: (ctx) => ctx.path.startsWith('/oauth/callback') },
      }),
    )
    expect((await send(s, 'POST', '/oauth/callback', crossSite)).status).toBe(200)
    expect((await send(s, 'POST', '/account', crossSite)).status).toBe(403)
    expect(calls).toEqual(['POST /oauth/callback'])
  })

  it('an async origin function is awaited, then the rule runs', async () => {
    const { server: s, calls } = server(
      cors({ origin: async (origin) => origin === app, crossOriginProtection: true }),
    )
    expect((await send(s, 'DELETE', '/item', crossSite)).status).toBe(403)
    expect((await send(s, 'DELETE', '/item', { origin: app, 'sec-fetch-site': 'cross-site' })).status).toBe(
      200,
    )
    expect(calls).toEqual(['DELETE /item'])
  })
})
