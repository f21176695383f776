import { cors } from '@cors/express'
import {
  createApp,
  createError,
  createRouter,
  defineEventHandler,
  fromNodeMiddleware,
  toNodeListener,
} from 'h3-v1'
import { inject } from 'light-my-request'
import { describe, expect, it } from 'vitest'

// The README's recipe for h3 v1 (Nuxt 3 and 4 server routes): @cors/express's node:http middleware
// through h3 v1's fromNodeMiddleware, registered first.
const origin = 'https://app.example.com'

function v1App() {
  const calls: string[] = []
  const app = createApp({ onError: () => {} })
  const middleware = cors({ origin, credentials: true, exposedHeaders: 'X-Total-Count' })
  // h3 v1 types next's argument as an Error; the middleware passes on whatever it caught.
  app.use(fromNodeMiddleware((req, res, next) => middleware(req, res, (error) => next(error as Error))))
  const router = createRouter()
  router.post(
    '/items',
    defineEventHandler(() => {
      calls.push('post')
      return { created: true }
    }),
  )
  router.get(
    '/fail',
    defineEventHandler(() => {
      throw createError({ statusCode: 422, statusMessage: 'Invalid' })
    }),
  )
  app.use(router)
  return { listener: toNodeListener(app), calls }
}

describe('h3 v1 through @cors/express and fromNodeMiddleware', () => {
  it("answers the preflight of a POST-only route before h3's router", async () => {
    const { listener, calls } = v1App()
    const preflight = await inject(listener, {
      method: 'OPTIONS',
      url: '/items',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe(origin)
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type')
    expect(calls).toEqual([])
    const refused = await inject(listener, {
      method: 'OPTIONS',
      url: '/items',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(refused.statusCode).toBe(403)
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('keeps the headers on actual responses, thrown errors and 404s', async () => {
    const { listener, calls } = v1App()
    const post = await inject(listener, { method: 'POST', url: '/items', headers: { origin } })
    expect(post.statusCode).toBe(200)
    expect(post.json()).toEqual({ created: true })
    expect(calls).toEqual(['post'])
    for (const [url, status] of [
      ['/items', 200],
      ['/fail', 422],
      ['/nothing', 404],
    ] as const) {
      const response = await inject(listener, {
        method: url === '/items' ? 'POST' : 'GET',
        url,
        headers: { origin },
      })
      expect(response.statusCode).toBe(status)
      expect(response.headers['access-control-allow-origin']).toBe(origin)
      expect(response.headers['access-control-allow-credentials']).toBe('true')
      expect(response.headers['vary']).toBe('Origin')
    }
  })
})
