import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from './app.ts'

const origin = 'https://app.example.com'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('h3 example', () => {
  it('answers the preflight of the POST route before routing', async () => {
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
    expect(await response.json()).toEqual([{ id: 1, title: 'Try @cors/h3' }])
  })

  it('creates a todo, and keeps the CORS headers on its validation error', async () => {
    const app = createApp()
    const post = (body: string) =>
      app.request('/todos', { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body })
    const created = await post('{"title":"Ship it"}')
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ id: 2, title: 'Ship it' })
    const invalid = await post('{}')
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toEqual({ error: 'title is required' })
    expect(invalid.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('keeps the CORS headers on thrown errors and 404s', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const failed = await createApp().request('/error', { headers: { origin } })
    expect(failed.status).toBe(500)
    expect(await failed.json()).toEqual({ error: 'internal error' })
    expect(failed.headers.get('access-control-allow-origin')).toBe(origin)
    const missing = await createApp().request('/nothing', { headers: { origin } })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe(origin)
  })

  it('gives another origin no CORS headers', async () => {
    const response = await createApp().request('/todos', { headers: { origin: 'https://evil.example' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
})
