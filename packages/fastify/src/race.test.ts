import { setTimeout as delay } from 'node:timers/promises'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { cors } from './index.ts'

// Issue 18.2 in Fastify: an earlier onRequest hook answers 503 on a timer while an async origin
// function is still deciding. Fastify itself stops the lifecycle of a sent reply, so the late decision
// neither runs the route nor sends a second time (which Fastify would log): held here.

const origin = 'https://app.example.com'

describe('@cors/fastify: a reply sent while the origin function decides', () => {
  it.each([
    ['an actual request', 'GET', {}],
    ['a preflight', 'OPTIONS', { 'access-control-request-method': 'PUT' }],
  ] as const)(
    '%s: the 503 stands, the late decision is dropped, the route never runs',
    async (_, method, extra) => {
      let route = 0
      const app = Fastify()
      app.addHook('onRequest', (_request, reply, done) => {
        const timer = setTimeout(() => void reply.code(503).send('timed out'), 10)
        reply.raw.on('finish', () => clearTimeout(timer))
        done()
      })
      await app.register(cors, {
        origin: async (value: string) => {
          await delay(60)
          return value === origin
        },
      })
      app.route({
        method: ['GET', 'PUT'],
        url: '/',
        handler: async () => {
          route++
          return 'ok'
        },
      })
      await app.listen({ port: 0, host: '127.0.0.1' })
      try {
        const { port } = app.server.address() as { port: number }
        const response = await fetch(`http://127.0.0.1:${port}/`, { method, headers: { origin, ...extra } })
        expect(response.status).toBe(503)
        expect(await response.text()).toBe('timed out')
        await delay(120) // the origin function has answered by now
        expect(route).toBe(0)
      } finally {
        await app.close()
      }
    },
  )
})
