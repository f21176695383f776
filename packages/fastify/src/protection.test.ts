import { describeProtection } from '@cors/conformance'
import type { CorsRejection } from '@cors/core'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { makeClient } from '../test/app.ts'
import { cors, type FastifyCorsOptions } from './index.ts'

describeProtection('@cors/fastify', makeClient)

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const crossSite = { origin: evil, 'sec-fetch-site': 'cross-site' }

describe('@cors/fastify: cross-origin protection per route', () => {
  async function server(options: FastifyCorsOptions) {
    const calls: string[] = []
    const rejections: CorsRejection[] = []
    const fastify = Fastify()
    await fastify.register(cors, { ...options, onReject: (r) => rejections.push(r) } as FastifyCorsOptions)
    // An authentication hook and a body parser after the plugin: a refused request reaches neither.
    fastify.addHook('onRequest', async () => {
      calls.push('auth')
    })
    fastify.post('/account', async (request) => {
      calls.push(`account ${JSON.stringify(request.body)}`)
      return 'ok'
    })
    fastify.post('/webhooks/stripe', { config: { cors: { crossOriginProtection: false } } }, async () => {
      calls.push('webhook')
      return 'ok'
    })
    fastify.post('/forms', { config: { cors: { crossOriginProtection: true } } }, async () => {
      calls.push('forms')
      return 'ok'
    })
    fastify.post('/off', { config: { cors: false } }, async () => {
      calls.push('off')
      return 'ok'
    })
    await fastify.ready()
    return { fastify, calls, rejections }
  }

  it('refuses a cross-site form post before hooks, body parsing and the handler run', async () => {
    const { fastify, calls, rejections } = await server({ origin: [app], crossOriginProtection: true })
    const response = await fastify.inject({
      method: 'POST',
      url: '/account',
      headers: { ...crossSite, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'amount=1000&to=attacker',
    })
    expect(response.statusCode).toBe(403)
    expect(response.body).toBe('')
    expect(Object.keys(response.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    expect(calls).toEqual([])
    expect(rejections.at(-1)?.message).toContain('Sec-Fetch-Site: cross-site')
    const same = await fastify.inject({
      method: 'POST',
      url: '/account',
      headers: {
        'sec-fetch-site': 'same-origin',
        origin: 'http://localhost',
        'content-type': 'application/json',
      },
      payload: '{"a":1}',
    })
    expect(same.statusCode).toBe(200)
    expect(calls).toEqual(['auth', 'account {"a":1}'])
  })

  it('config.cors: { crossOriginProtection: false } exempts one route (a webhook)', async () => {
    const { fastify, calls } = await server({ origin: [app], crossOriginProtection: true })
    expect(
      (await fastify.inject({ method: 'POST', url: '/webhooks/stripe', headers: crossSite })).statusCode,
    ).toBe(200)
    expect((await fastify.inject({ method: 'POST', url: '/account', headers: crossSite })).statusCode).toBe(
      403,
    )
    expect(calls).toEqual(['auth', 'webhook'])
  })

  it('cors: false leaves the CORS headers alone and keeps the protection (issue 18.6)', async () => {
    const { fastify, calls, rejections } = await server({ origin: [app], crossOriginProtection: true })
    // A route marked "no CORS" is often the same-origin form a CSRF targets.
    const forged = await fastify.inject({ method: 'POST', url: '/off', headers: crossSite })
    expect(forged.statusCode).toBe(403)
    expect(rejections.at(-1)?.reason).toBe('cross-origin-request-refused')
    // CORS itself is off there: no origin is on the route's allow-list, so the plugin's origins may
    // not write cross-site to it either (give it config.cors with origins for that).
    const partner = await fastify.inject({
      method: 'POST',
      url: '/off',
      headers: { origin: app, 'sec-fetch-site': 'cross-site' },
    })
    expect(partner.statusCode).toBe(403)
    expect(calls).toEqual([])
    const same = await fastify.inject({
      method: 'POST',
      url: '/off',
      headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    })
    expect(same.statusCode).toBe(200)
    expect(Object.keys(same.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
    expect(same.headers.vary).toBeUndefined()
    expect((await fastify.inject({ method: 'POST', url: '/off' })).statusCode).toBe(200) // no browser
    expect(calls).toEqual(['auth', 'off', 'auth', 'off'])
  })

  it("cors: false leaves a route's own Access-Control-* headers as the route set them", async () => {
    const fastify = Fastify()
    await fastify.register(cors, { origin: [app], crossOriginProtection: true })
    fastify.get('/own', { config: { cors: false } }, (_request, reply) =>
      reply.header('access-control-allow-origin', '*').header('vary', 'Accept').send('ok'),
    )
    const response = await fastify.inject({
      method: 'GET',
      url: '/own',
      headers: { origin: 'https://x.example' },
    })
    expect(response.headers['access-control-allow-origin']).toBe('*')
    expect(response.headers.vary).toBe('Accept')
  })

  it('config.cors: { crossOriginProtection: true } protects one route of an unprotected app', async () => {
    const { fastify, calls } = await server({ origin: [app] })
    expect((await fastify.inject({ method: 'POST', url: '/forms', headers: crossSite })).statusCode).toBe(403)
    expect((await fastify.inject({ method: 'POST', url: '/account', headers: crossSite })).statusCode).toBe(
      200,
    )
    expect(calls).toEqual(['auth', 'account undefined'])
  })

  it('a route cannot turn it on where the plugin allows any origin: registration fails naming the route', async () => {
    const fastify = Fastify()
    await fastify.register(cors, {})
    expect(() =>
      fastify.post('/forms', { config: { cors: { crossOriginProtection: true } } }, async () => 'ok'),
    ).toThrow(/POST \/forms.*protection-without-allow-list/s)
  })

  it('an unrouted POST (404) is refused too: the hook runs for every request', async () => {
    const { fastify } = await server({ origin: [app], crossOriginProtection: true })
    expect((await fastify.inject({ method: 'POST', url: '/missing', headers: crossSite })).statusCode).toBe(
      403,
    )
    expect(
      (await fastify.inject({ method: 'POST', url: '/missing', headers: { origin: app } })).statusCode,
    ).toBe(404)
  })

  it('bypass receives the FastifyRequest', async () => {
    const { fastify, calls } = await server({
      origin: [app],
      crossOriginProtection: { bypass: (request) => request.url.startsWith('/account?token=') },
    })
    expect(
      (await fastify.inject({ method: 'POST', url: '/account?token=1', headers: crossSite })).statusCode,
    ).toBe(200)
    expect((await fastify.inject({ method: 'POST', url: '/account', headers: crossSite })).statusCode).toBe(
      403,
    )
    expect(calls).toEqual(['auth', 'account undefined'])
  })
})
