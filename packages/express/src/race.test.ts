import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import express5, { type ErrorRequestHandler, type RequestHandler } from 'express'
import express4 from 'express4'
import { afterEach, describe, expect, it } from 'vitest'
import { cors } from './index.ts'

// Issue 18.2: an async origin function still deciding when something else answers (connect-timeout
// calls next() at once and next(error) on timeout, and its error handler sends a 503). The late
// decision used to set headers on a sent response (ERR_HTTP_HEADERS_SENT inside a .then: the process
// exited) and then ran the route too.

const origin = 'https://app.example.com'
const servers: Server[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

// connect-timeout's shape: next() now, next(error) when the time is up and nothing was sent.
const timeout =
  (ms: number): RequestHandler =>
  (_req, res, next) => {
    const timer = setTimeout(() => next(Object.assign(new Error('Response timeout'), { status: 503 })), ms)
    res.on('finish', () => clearTimeout(timer))
    next()
  }

async function start(factory: typeof express5 | typeof express4) {
  const seen = { route: 0, after: 0, errors: [] as unknown[] }
  const app = factory()
  app.use(timeout(10))
  app.use(
    cors({
      origin: async (value) => {
        await delay(60)
        return value === origin
      },
    }),
  )
  app.use((_req, _res, next) => {
    seen.after++
    next()
  })
  app.all('/', (_req, res) => {
    seen.route++
    res.send('ok')
  })
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    seen.errors.push(error)
    if (!res.headersSent) res.status((error as { status?: number }).status ?? 500).send('timed out')
  }
  app.use(onError)
  const server = createServer(app)
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen }
}

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s: a response sent while the origin function decides', (_, factory) => {
  it.each([
    ['an actual request', 'GET', {}],
    ['a preflight', 'OPTIONS', { 'access-control-request-method': 'PUT' }],
    ['a refused origin', 'POST', { origin: 'https://evil.example' }],
  ])('%s: the 503 stands, the late decision is dropped, nothing runs after it', async (_, method, extra) => {
    const crashes: unknown[] = []
    const record = (error: unknown) => crashes.push(error)
    process.on('uncaughtException', record)
    process.on('unhandledRejection', record)
    try {
      const { url, seen } = await start(factory)
      const response = await fetch(url, { method, headers: { origin, ...extra } })
      expect(response.status).toBe(503)
      expect(await response.text()).toBe('timed out')
      await delay(120) // the origin function has answered by now
      expect(crashes).toEqual([])
      expect(seen).toEqual({ route: 0, after: 0, errors: [expect.objectContaining({ status: 503 })] })
    } finally {
      process.off('uncaughtException', record)
      process.off('unhandledRejection', record)
    }
  })
})
