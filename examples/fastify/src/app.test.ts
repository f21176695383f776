import { describe, expect, it } from 'vitest'
import { createApp } from './app.ts'

const origin = 'https://app.example.com'

describe('fastify example', () => {
  it('answers a preflight without reaching the handler', async () => {
    const app = await createApp()
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/todos',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
    expect(response.headers['access-control-allow-origin']).toBe(origin)
    expect(response.headers['access-control-allow-credentials']).toBe('true')
    expect(response.headers['access-control-allow-headers']).toBe('content-type, authorization')
    expect(response.headers['access-control-max-age']).toBe('600')
  })

  it('lets an allowed origin read the todos and the total count', async () => {
    const app = await createApp()
    const response = await app.inject({ method: 'GET', url: '/todos', headers: { origin } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBe(origin)
    expect(response.headers['access-control-expose-headers']).toBe('x-total-count')
    expect(response.headers['x-total-count']).toBe('1')
    expect(response.headers.vary).toBe('Origin')
    expect(response.json()).toEqual([{ id: 1, title: 'Try @cors/fastify' }])
  })

  it('keeps the CORS headers on a thrown error and a validation failure', async () => {
    const app = await createApp()
    const thrown = await app.inject({ method: 'GET', url: '/error', headers: { origin } })
    expect(thrown.statusCode).toBe(500)
    expect(thrown.headers['access-control-allow-origin']).toBe(origin)
    const invalid = await app.inject({ method: 'POST', url: '/todos', headers: { origin }, payload: {} })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.headers['access-control-allow-origin']).toBe(origin)
  })
})
