import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.ts'

describe('the example through the HTTP -> Function URL event bridge', () => {
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createServer(createApp({ onReject: () => {} })).listen(0, '127.0.0.1')
    await once(server, 'listening')
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((done) => server.close(() => done())))

  it('answers a preflight for POST /todos', async () => {
    const response = await fetch(`${base}/todos`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, authorization')
    expect(response.headers.get('access-control-max-age')).toBe('600')
  })

  it('adds the CORS headers to the list of todos', async () => {
    const response = await fetch(`${base}/todos`, { headers: { origin: 'http://localhost:5173' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-expose-headers')).toBe('x-total-count')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(await response.json()).toEqual([{ id: 1, title: 'Try @cors/lambda' }])
  })
})
