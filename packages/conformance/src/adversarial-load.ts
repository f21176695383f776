import { type CorsDecision, type CorsOptions, createCors } from '@cors/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  body,
  collectGarbage,
  corsHeaders,
  corsRequest,
  expectNothingDisclosed,
  expectVary,
  random,
  sleep,
  varyNames,
  visibleValue,
} from './adversarial-support.ts'
import { scenarioWithRequests } from './arbitraries.ts'
import { get, preflight, preflightVary } from './client.ts'
import type { ConformanceRequest, ConformanceResponse, MakeClient } from './types.ts'

/**
 * The generated and the heavy part of the adversarial suite: fast-check properties over the
 * adapter's real request path, and thousands of concurrent requests with the heap checked after.
 */
export function describeLoad(makeClient: MakeClient): void {
  describe('properties over the adapter', () => {
    const numRuns = 500

    async function sendAll(options: CorsOptions, requests: readonly ConformanceRequest[]) {
      const client = await makeClient(options)
      const policy = createCors(options)
      const results: {
        request: ConformanceRequest
        response: ConformanceResponse
        decision: CorsDecision
      }[] = []
      for (const request of requests) {
        const response = await client(request)
        results.push({ request, response, decision: await policy.decide(corsRequest(request)) })
      }
      return results
    }

    it(`the response's CORS headers and Vary are exactly what the core decides (${numRuns} policies)`, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioWithRequests, async ([scenario, requests]) => {
          for (const { request, response, decision } of await sendAll(scenario.options, requests)) {
            expect(corsHeaders(response)).toEqual(decision.headers)
            const ranHandler = !decision.respond && request.method === 'GET'
            const appVary =
              ranHandler && request.path === '/vary'
                ? ['accept-encoding']
                : ranHandler && request.path === '/vary-origin'
                  ? ['origin']
                  : []
            expectVary(response, [...new Set([...appVary, ...decision.vary.map((n) => n.toLowerCase())])])
            expect(response.status).toBeLessThan(500)
            if (decision.respond) {
              expect(response.status).toBe(decision.status)
              expect(response.handlerCalled).toBe(false)
              expect(body(response)).toBe('')
            } else if (request.path === '/ok') {
              expect(response.status).toBe(200)
              expect(response.handlerCalled).toBe(true)
            } else if (request.path === '/missing') expect(response.status).toBe(404)
          }
        }),
        { numRuns },
      )
    }, 60_000)

    it(`the invariants hold on every response (${numRuns} policies)`, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioWithRequests, async ([scenario, requests]) => {
          const client = await makeClient(scenario.options)
          for (const request of requests) {
            const response = await client(request)
            const cors = corsHeaders(response)
            const origin = corsRequest(request).origin
            const allowOrigin = cors['access-control-allow-origin']
            expect(response.status).toBeLessThan(500)
            // Nothing without Allow-Origin; for a request without Origin nothing at all, but the "*"
            // (and exposed headers) a "*" policy sends on every response.
            if (allowOrigin === undefined) expect(cors).toEqual({})
            if (origin === null && allowOrigin !== undefined) expect(allowOrigin).toBe('*')
            if (allowOrigin !== undefined) {
              expect(allowOrigin === '*' || allowOrigin === origin).toBe(true)
              expect(allowOrigin).not.toBe('null')
            }
            // Credentials only for the request's own origin, never next to any "*".
            if ('access-control-allow-credentials' in cors) {
              expect(scenario.credentials).toBe(true)
              expect(cors['access-control-allow-credentials']).toBe('true')
              expect(allowOrigin).toBe(origin)
              for (const name of ['allow-methods', 'allow-headers', 'expose-headers'])
                expect(cors[`access-control-${name}`]?.split(', ') ?? []).not.toContain('*')
            }
            for (const value of Object.values(response.headers)) expect(value).toMatch(visibleValue)
            // Vary: from a fixed set plus the app's, each once; Origin whenever the answer depends on it.
            const vary = varyNames(response)
            expect(new Set(vary).size).toBe(vary.length)
            for (const name of vary) expect([...preflightVary, 'accept-encoding']).toContain(name)
            if (scenario.dependsOnOrigin) expect(vary).toContain('origin')
            if (response.status === 403) expect(cors).toEqual({})
          }
        }),
        { numRuns },
      )
    }, 60_000)
  })

  describe('concurrency', () => {
    it('thousands of mixed requests in flight at once: each gets its own headers, no 5xx, flat heap', async () => {
      const next = random(0x5eed)
      const tenants = Array.from({ length: 50 }, (_, i) => `https://tenant-${i}.example`)
      const strangers = Array.from({ length: 50 }, (_, i) => `https://stranger-${i}.example`)
      const allowed = new Set(tenants)
      const client = await makeClient({
        origin: async (origin) => {
          await sleep(Math.floor(next() * 4))
          return allowed.has(origin)
        },
        credentials: true,
        exposedHeaders: ['X-Request-Id'],
        maxAge: 60,
      })
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
      const size = 2000
      const batch = (): ConformanceRequest[] =>
        Array.from({ length: size }, (_, i) => {
          const roll = next()
          const origin = roll < 0.6 ? pick(tenants) : pick(strangers)
          if (roll > 0.9) return get('/ok')
          if (i % 3 === 0)
            return preflight('/ok', origin, 'PUT', `x-req-${i}, x-tag-${Math.floor(next() * 1e6)}`)
          return get(pick(['/ok', '/slow']), origin, pick(['GET', 'POST', 'DELETE']))
        })
      async function run(): Promise<void> {
        const requests = batch()
        const responses = await Promise.all(requests.map((request) => client(request)))
        responses.forEach((response, i) => {
          const request = requests[i]!
          const origin = request.headers?.['origin'] as string | undefined
          const isPreflight = request.method === 'OPTIONS'
          expect(response.status).toBeLessThan(500)
          expect(varyNames(response).filter((name) => name === 'origin')).toHaveLength(1)
          if (origin === undefined || !allowed.has(origin)) {
            expectNothingDisclosed(response)
            expect(response.status).toBe(isPreflight ? 403 : 200)
            return
          }
          expect(response.status).toBe(isPreflight ? 204 : 200)
          expect(response.headers['access-control-allow-origin']).toBe(origin)
          expect(response.headers['access-control-allow-credentials']).toBe('true')
          if (isPreflight)
            expect(response.headers['access-control-allow-headers']).toBe(
              request.headers?.['access-control-request-headers'],
            )
          else expect(response.headers['access-control-expose-headers']).toBe('x-request-id')
        })
      }
      await run()
      const afterFirst = await collectGarbage()
      await run()
      const afterSecond = await collectGarbage()
      // Flat: less than 1 MiB over 2000 more requests, i.e. under 512 bytes kept per request.
      const grown = (afterSecond - afterFirst) / 2 ** 20
      expect(grown, `heap grew by ${grown.toFixed(2)} MiB between two runs`).toBeLessThan(1)
    }, 60_000)
  })
}
