import { setTimeout as delay } from 'node:timers/promises'
import Koa from 'koa'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { cors } from './index.ts'

// Issue 18.2 in Koa: a koa-timeout-style middleware answers 503 while an async origin function is
// still deciding. The late decision used to go on with next(): the route ran for a request that had
// its answer already.

const origin = 'https://app.example.com'

function app() {
  const seen = { route: 0 }
  const koa = new Koa()
  koa.silent = true
  // koa-timeout's shape: the rest of the stack races a timer whose error Koa answers with 503.
  koa.use(async (_ctx, next) => {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('timed out'), { status: 503, expose: true })),
        10,
      )
    })
    try {
      await Promise.race([next(), timedOut])
    } finally {
      clearTimeout(timer)
    }
  })
  koa.use(
    cors({
      origin: async (value) => {
        await delay(60)
        return value === origin
      },
    }),
  )
  koa.use((ctx) => {
    seen.route++
    ctx.body = 'ok'
  })
  return { koa, seen }
}

describe('@cors/koa: a response sent while the origin function decides', () => {
  it.each([
    ['an actual request', 'get', {}],
    ['a preflight', 'options', { 'access-control-request-method': 'PUT' }],
  ] as const)(
    '%s: the 503 stands, the late decision is dropped, the route never runs',
    async (_, method, extra) => {
      const { koa, seen } = app()
      const response = await supertest(koa.callback())
        [method]('/')
        .set({ origin, ...extra })
      expect(response.status).toBe(503)
      await delay(120) // the origin function has answered by now
      expect(seen.route).toBe(0)
    },
  )
})
