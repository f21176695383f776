import { describe, expect, it } from 'vitest'
import { createApp } from './app.ts'

const origin = 'https://app.example.com'

describe('fetch example', () => {
  it('answers a preflight without reaching the handler', async () => {
    const response = await createApp()(
      new Request('http://api.test/todos', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      }),
    )
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, authorization')
    expect(response.headers.get('access-control-max-age')).toBe('600')
  })

  it('lets an allowed origin read the todos and the total count', async () => {
    const response = await createApp()(new Request('http://api.test/todos', { headers: { origin } }))
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-expose-headers')).toBe('x-total-count')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(await response.json()).toEqual([{ id: 1, title: 'Try @cors/fetch' }])
  })

  it('keeps the CORS headers on a thrown error', async () => {
    const response = await createApp()(new Request('http://api.test/error', { headers: { origin } }))
    expect(response.status).toBe(500)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
  })
})
