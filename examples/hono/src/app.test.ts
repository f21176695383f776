import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from './app.ts'

const origin = 'https://app.example.com'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('hono example', () => {
  it('answers a preflight before any route runs', async () => {
    const response = await createApp().request('/todos', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, authorization')
    expect(response.headers.get('access-control-max-age')).toBe('600')
    expect(await response.text()).toBe('')
  })

  it('lets an allowed origin read the todos and the total count', async () => {
    const response = await createApp().request('/todos', { headers: { origin } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-expose-headers')).toBe('x-total-count')
    expect(response.headers.get('x-total-count')).toBe('1')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(await response.json()).toEqual([{ id: 1, title: 'Try @cors/hono' }])
  })

  it('keeps the CORS headers on errors', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await createApp().request('/error', { headers: { origin } })
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: 'internal error' })
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('gives another origin no CORS headers', async () => {
    const response = await createApp().request('/todos', { headers: { origin: 'https://evil.example' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
})
