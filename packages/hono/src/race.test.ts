import { setTimeout as delay } from 'node:timers/promises'
import { Hono } from 'hono'
import { timeout } from 'hono/timeout'
import { describe, expect, it } from 'vitest'
import { cors } from './index.ts'

// Issue 18.2 in Hono: hono/timeout answers 504 while an async origin function is still deciding. The
// late decision used to go on with next(): the route ran for a request that had its answer already.

const origin = 'https://app.example.com'

describe('@cors/hono: an answer given while the origin function decides', () => {
  it.each([
    ['an actual request', 'GET', {}],
    ['a preflight', 'OPTIONS', { 'access-control-request-method': 'PUT' }],
  ])('%s: the 504 stands, the late decision is dropped, the route never runs', async (_, method, extra) => {
    let route = 0
    const app = new Hono()
    app.use('*', timeout(10))
    app.use(
      '*',
      cors({
        origin: async (value) => {
          await delay(60)
          return value === origin
        },
      }),
    )
    app.all('/', (c) => {
      route++
      return c.text('ok')
    })
    const response = await app.request('/', { method, headers: { origin, ...extra } })
    expect(response.status).toBe(504)
    await delay(120) // the origin function has answered by now
    expect(route).toBe(0)
  })
})
