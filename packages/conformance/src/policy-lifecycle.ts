import {
  CorsConfigError,
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type CorsShadowDifference,
  createCors,
} from '@cors/core'
import { describe, expect, it, vi } from 'vitest'
import { collectGarbage, corsHeaders, corsRequest, random, sleep } from './adversarial-support.ts'
import { get, preflight } from './client.ts'
import type { ConformanceClient, ConformanceRequest, ConformanceResponse } from './types.ts'

/**
 * Builds an app around a policy from `createCors`, passed to the adapter in place of options. The
 * suite uses two routes of the conformance app (see `types.ts`): `/ok` (GET POST PUT DELETE OPTIONS,
 * 200 `ok`) and `/slow` (GET POST DELETE, 200 `ok` after 0-4 ms).
 */
export type MakePolicyClient = (policy: CorsPolicy) => ConformanceClient | Promise<ConformanceClient>

const one = 'https://one.example'
const two = 'https://two.example'
const three = 'https://three.example'
const stranger = 'https://stranger.example'

/**
 * Generation `k` of a policy: every header it sends names `k` (Max-Age, Allow-Headers, Expose-Headers,
 * Allow-Credentials on even generations), so a response that mixed two generations matches neither.
 */
function generation(k: number, allowed: readonly string[], origin?: CorsOptions['origin']): CorsOptions {
  return {
    origin: origin ?? [...allowed],
    credentials: k % 2 === 0,
    maxAge: k,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: [`X-Gen-${k}`, 'Content-Type'],
    exposedHeaders: [`X-Gen-${k}`],
  } as CorsOptions
}

/** An origin function answering for `allowed` after `wait()`, as a database lookup would. */
const asyncOrigin =
  (allowed: readonly string[], wait: () => Promise<unknown>) =>
  async (origin: string): Promise<boolean> => {
    await wait()
    return allowed.includes(origin)
  }

/** Whether the response is exactly what `decision` produces: its status and every CORS header. */
function matches(response: ConformanceResponse, decision: CorsDecision): boolean {
  const status = decision.respond ? decision.status : 200
  const want = JSON.stringify(Object.entries(decision.headers).sort())
  return response.status === status && JSON.stringify(Object.entries(corsHeaders(response)).sort()) === want
}

function expectDecidedBy(response: ConformanceResponse, decision: CorsDecision, label: string): void {
  expect(response.status, `${label}: status`).toBe(decision.respond ? decision.status : 200)
  expect(corsHeaders(response), `${label}: CORS headers`).toEqual({ ...decision.headers })
}

const decideNow = (options: CorsOptions, request: ConformanceRequest): CorsDecision =>
  createCors(options).decide(corsRequest(request)) as CorsDecision

/** Identical responses, byte for byte: status, body and every header but `date`. */
function withoutDate(response: ConformanceResponse) {
  const { date: _, ...headers } = response.headers
  return { status: response.status, headers, body: response.body }
}

/**
 * Runs the policy lifecycle through one adapter: `update` while requests are in flight (async origin
 * functions answering after the swap), a failing `update`, `shadow` (responses unchanged, differences
 * counted), and a load group updating many times per second under thousands of concurrent requests.
 * Needs global.gc (`execArgv: ['--expose-gc']`).
 */
export function describePolicyLifecycle(adapter: string, makeClient: MakePolicyClient): void {
  describe(`${adapter}: policy lifecycle`, () => {
    const requests = (origins: readonly string[]): ConformanceRequest[] =>
      origins.flatMap((origin) => [
        get('/ok', origin),
        get('/slow', origin, 'POST'),
        preflight('/ok', origin, 'PUT', 'content-type'),
      ])

    it('update while requests are in flight: each response is wholly the policy its request started with', async () => {
      let open!: () => void
      const gate = new Promise<void>((resolve) => {
        open = resolve
      })
      let asked = 0
      const first = [one, two]
      const second = [two, three]
      const policy = createCors(
        generation(
          1,
          first,
          asyncOrigin(first, () => {
            asked++
            return gate
          }),
        ),
      )
      const client = await makeClient(policy)
      const before = requests([one, two, three, stranger])
      const pending = before.map((request) => client(request))
      // Every request in flight is now waiting on the first policy's origin function.
      await vi.waitFor(() => expect(asked).toBe(before.length), { timeout: 10_000 })
      policy.update(generation(2, second))
      const after = requests([one, two, three, stranger])
      const afterResponses = await Promise.all(after.map((request) => client(request)))
      open()
      const beforeResponses = await Promise.all(pending)
      for (const [i, response] of beforeResponses.entries())
        expectDecidedBy(response, decideNow(generation(1, first), before[i]!), `in flight ${i}`)
      for (const [i, response] of afterResponses.entries())
        expectDecidedBy(response, decideNow(generation(2, second), after[i]!), `after ${i}`)
      expect(asked).toBe(before.length)
    })

    it('a failing update throws and leaves the old policy answering', async () => {
      const policy = createCors(generation(1, [one]))
      const client = await makeClient(policy)
      expect(() => policy.update({ origin: '*', credentials: true })).toThrow(CorsConfigError)
      expect(() => policy.update({ ...generation(2, [two]), maxAge: -5 })).toThrow(CorsConfigError)
      for (const request of requests([one, two]))
        expectDecidedBy(await client(request), decideNow(generation(1, [one]), request), request.method)
    })

    it('a shadow never changes a response: the same bytes with and without it, even while it waits', async () => {
      const enforced = generation(4, [one, two])
      const plain = await makeClient(createCors(enforced))
      const seen: CorsShadowDifference[] = []
      const shadows: CorsOptions[] = [
        generation(5, [two, three]),
        { ...generation(4, [one]), origin: () => new Promise<boolean>(() => {}) },
        { ...generation(4, [one]), origin: () => Promise.reject(new Error('shadow store down')) },
      ]
      for (const shadow of shadows) {
        const shadowed = await makeClient(createCors({ ...enforced, shadow, onShadow: (d) => seen.push(d) }))
        for (const request of [...requests([one, two, three, stranger]), get('/ok')]) {
          const [a, b] = [await plain(request), await shadowed(request)]
          expect(withoutDate(b), `${request.method} ${request.headers?.origin}`).toEqual(withoutDate(a))
        }
      }
      expect(seen.length).toBeGreaterThan(0)
    })

    it('shadow differences reach onShadow with both reasons, the native request, and a count for repeats', async () => {
      const seen: { difference: CorsShadowDifference; context: unknown }[] = []
      const policy = createCors({
        ...generation(2, [one, two]),
        shadow: generation(2, [one]),
        onShadow: (difference, context) => seen.push({ difference, context }),
      })
      const client = await makeClient(policy)
      for (let i = 0; i < 10; i++) await client(get('/ok', two))
      await client(get('/ok', one))
      expect(seen).toHaveLength(1)
      expect(seen[0]!.context).toBeTypeOf('object')
      expect(seen[0]!.difference).toMatchObject({
        origin: two,
        method: 'GET',
        count: 1,
        enforced: { allowed: true, reason: 'allowed' },
        shadow: { allowed: false, reason: 'origin-not-allowed' },
      })
      // A minute later, the next occurrence reports the nine repeats and itself.
      const realNow = Date.now
      const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000)
      try {
        await client(get('/ok', two))
      } finally {
        clock.mockRestore()
      }
      expect(seen).toHaveLength(2)
      expect(seen[1]!.difference.count).toBe(10)
      // Enforce the candidate: nothing differs any more.
      policy.update({
        ...generation(2, [one]),
        shadow: generation(2, [one]),
        onShadow: () => seen.push(null!),
      })
      await client(get('/ok', two))
      policy.update(generation(2, [one]))
      expect(seen).toHaveLength(2)
    })

    describe('load', () => {
      it('thousands of concurrent mixed requests while the policy is updated many times per second: none mixed, no 5xx, flat heap', async () => {
        const next = random(0x10ad)
        const origins = [one, two, three, stranger]
        // Generation k allows a rotating subset; odd ones ask an async origin function, and every
        // third carries a shadow (the next generation), so shadows are swapped under load too.
        const allowedIn = (k: number) => origins.filter((_, i) => (k + i) % 3 !== 0)
        // What generation k answers, from a synchronous twin of it (a few kept, the rest rebuilt).
        const twins = new Map<number, CorsPolicy>()
        const expected = (k: number, request: ConformanceRequest): CorsDecision => {
          let twin = twins.get(k)
          if (twin === undefined) {
            if (twins.size >= 256) twins.delete(twins.keys().next().value!)
            twin = createCors(generation(k, allowedIn(k)))
            twins.set(k, twin)
          }
          return twin.decide(corsRequest(request)) as CorsDecision
        }
        let shadowReports = 0
        const options = (k: number): CorsOptions => {
          const allowed = allowedIn(k)
          const base =
            k % 2 === 1
              ? generation(
                  k,
                  allowed,
                  asyncOrigin(allowed, () => sleep(Math.floor(next() * 3))),
                )
              : generation(k, allowed)
          if (k % 3 !== 0) return base
          return { ...base, shadow: generation(k + 1, allowedIn(k + 1)), onShadow: () => shadowReports++ }
        }
        let current = 1
        const policy = createCors(options(current))
        const client = await makeClient(policy)
        const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
        const batch = (size: number): ConformanceRequest[] =>
          Array.from({ length: size }, () => {
            const roll = next()
            if (roll < 0.05) return get('/ok')
            if (roll < 0.4) return preflight('/ok', pick(origins), 'PUT', 'content-type')
            return get(pick(['/ok', '/slow']), pick(origins), pick(['GET', 'POST', 'DELETE']))
          })
        const counts = { mixed: 0, serverErrors: 0, responses: 0 }
        const generations = new Set<number>()
        const update = () => policy.update(options(++current))
        const timer = setInterval(update, 2)
        // Requests go out in waves of 25, the policy updated between waves (and by the timer), so
        // every update lands while earlier requests still wait on an origin function or a handler.
        async function run(size: number): Promise<void> {
          const sent: Promise<void>[] = []
          for (const [i, request] of batch(size).entries()) {
            if (i % 25 === 0) {
              update()
              await new Promise((resolve) => setImmediate(resolve))
            }
            sent.push(send(request))
          }
          await Promise.all(sent)
        }
        // Each response must be wholly what one generation current during its request answers.
        async function send(request: ConformanceRequest): Promise<void> {
          const start = current
          const response = await client(request)
          const end = current
          counts.responses++
          if (response.status >= 500) counts.serverErrors++
          // An allowed response names its generation (Max-Age, or X-Gen-k in Expose-Headers): it must be
          // exactly that generation's answer. One without CORS headers must be a refusal (or a request
          // without Origin) of some generation current meanwhile.
          const cors = corsHeaders(response)
          const named = cors['access-control-max-age'] ?? cors['access-control-expose-headers']?.slice(6)
          const k = named === undefined ? undefined : Number(named)
          if (k !== undefined && k >= start && k <= end && matches(response, expected(k, request))) {
            generations.add(k)
            return
          }
          const origin = request.headers?.origin as string | undefined
          const refusedBy = (g: number) => origin === undefined || !allowedIn(g).includes(origin)
          const status = request.method === 'OPTIONS' && origin !== undefined ? 403 : 200
          if (k === undefined && Object.keys(cors).length === 0 && response.status === status)
            for (let g = start; g <= end; g++) if (refusedBy(g)) return
          counts.mixed++
        }
        // The twins are the test's own memory: dropped before each measurement.
        const settle = () => {
          twins.clear()
          return collectGarbage()
        }
        try {
          await run(2000)
          const afterFirst = await settle()
          await run(2000)
          const afterSecond = await settle()
          const grown = (afterSecond - afterFirst) / 2 ** 20
          expect(grown, `heap grew by ${grown.toFixed(2)} MiB between two runs`).toBeLessThan(1)
        } finally {
          clearInterval(timer)
        }
        expect(counts).toEqual({ mixed: 0, serverErrors: 0, responses: 4000 })
        // The policy really changed under the requests: many generations answered them.
        expect(current).toBeGreaterThan(160)
        expect(generations.size).toBeGreaterThan(40)
        expect(shadowReports).toBeGreaterThan(0)
      }, 60_000)
    })
  })
}
