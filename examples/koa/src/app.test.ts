import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.ts'

const origin = 'https://app.example.com'

describe('koa example', () => {
  it('answers a preflight before the token check runs', async () => {
    const response = await supertest(createApp().callback())
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
    const response = await supertest(createApp().callback()).get('/todos').set('Origin', origin)
    expect(response.status).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBe(origin)
    expect(response.headers['access-control-expose-headers']).toBe('x-total-count')
    expect(response.headers['x-total-count']).toBe('1')
    expect(response.headers['vary']).toBe('Origin')
    expect(response.body).toEqual([{ id: 1, title: 'Try @cors/koa', done: false }])
  })

  it('keeps the CORS headers on the 401 of a write without a token', async () => {
    const response = await supertest(createApp().callback())
      .post('/todos')
      .set('Origin', origin)
      .send({ title: 'Write docs' })
    expect(response.status).toBe(401)
    expect(response.text).toBe('missing or wrong token')
    expect(response.headers['access-control-allow-origin']).toBe(origin)
  })

  it('creates a todo for an authorized request', async () => {
    const response = await supertest(createApp().callback())
      .post('/todos')
      .set('Origin', origin)
      .set('Authorization', 'Bearer demo-token')
      .send({ title: 'Write docs' })
    expect(response.status).toBe(201)
    expect(response.body).toEqual({ id: 2, title: 'Write docs', done: false })
    expect(response.headers['access-control-allow-origin']).toBe(origin)
  })
})
