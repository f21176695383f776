import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.ts'

const origin = 'https://app.example.com'

describe('express example', () => {
  it('answers a preflight before the token check runs', async () => {
    const response = await supertest(createApp())
      .options('/todos/1')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'DELETE')
      .set('Access-Control-Request-Headers', 'authorization')
    expect(response.status).toBe(204)
    expect(response.headers['access-control-allow-origin']).toBe(origin)
    expect(response.headers['access-control-allow-credentials']).toBe('true')
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD, PUT, PATCH, POST, DELETE')
    expect(response.headers['access-control-allow-headers']).toBe('content-type, authorization')
    expect(response.headers['access-control-max-age']).toBe('600')
  })

  it('lets an allowed origin read the todos and the total count', async () => {
    const response = await supertest(createApp()).get('/todos').set('Origin', origin)
    expect(response.status).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBe(origin)
    expect(response.headers['access-control-expose-headers']).toBe('x-total-count')
    expect(response.headers['x-total-count']).toBe('1')
    expect(response.headers['vary']).toBe('Origin')
    expect(response.body).toEqual([{ id: 1, title: 'Try @cors/express', done: false }])
  })

  it('keeps the CORS headers on the 401 of a write without a token, and on a 500', async () => {
    const refused = await supertest(createApp()).post('/todos').set('Origin', origin).send({ title: 'Docs' })
    expect(refused.status).toBe(401)
    expect(refused.text).toBe('missing or wrong token')
    expect(refused.headers['access-control-allow-origin']).toBe(origin)
    const failed = await supertest(createApp()).get('/error').set('Origin', origin)
    expect(failed.status).toBe(500)
    expect(failed.headers['access-control-allow-origin']).toBe(origin)
  })

  it('creates a todo for an authorized request', async () => {
    const response = await supertest(createApp())
      .post('/todos')
      .set('Origin', origin)
      .set('Authorization', 'Bearer demo-token')
      .send({ title: 'Write docs' })
    expect(response.status).toBe(201)
    expect(response.body).toEqual({ id: 2, title: 'Write docs', done: false })
    expect(response.headers['access-control-allow-origin']).toBe(origin)
  })

  it('gives a disallowed origin the data but no CORS headers, and reports why', async () => {
    const reasons: string[] = []
    const app = createApp({ onReject: (rejection) => reasons.push(rejection.reason) })
    const response = await supertest(app).get('/todos').set('Origin', 'https://evil.example')
    expect(response.status).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
    expect(reasons).toEqual(['origin-not-allowed'])
  })
})
