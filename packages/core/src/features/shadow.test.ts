import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CorsConfigError } from '../config/errors.ts'
import type { CorsOptions, CorsShadowDifference } from '../config/options.ts'
import { createCors } from '../decide/policy.ts'
import { type CorsDecision, type CorsRequest, toCorsRequest } from '../decision.ts'
import { defaultShadowLimits, type ShadowLimits, shadowTracker, withShadow } from './shadow.ts'

const a = 'https://a.example'
const b = 'https://b.example'
const request = (
  method: string,
  origin: string | null,
  requestMethod: string | null = null,
  requestHeaders: string | null = null,
): CorsRequest =>
  toCorsRequest(method, (name) =>
    name === 'origin'
      ? origin
      : name === 'access-control-request-method'
        ? requestMethod
        : name === 'access-control-request-headers'
          ? requestHeaders
          : null,
  )
const get = (origin: string | null) => request('GET', origin)
const now = (decision: CorsDecision | Promise<CorsDecision>): CorsDecision => {
  if (decision instanceof Promise) throw new Error('expected a synchronous decision')
  return decision
}

function reports() {
  const seen: CorsShadowDifference[] = []
  const onShadow = vi.fn((difference: CorsShadowDifference, _context?: unknown) => {
    seen.push(difference)
  })
  return { seen, onShadow }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('shadow', () => {
  it('reports a request the shadow would refuse, with both reasons, and answers with the enforced policy', () => {
    const { seen, onShadow } = reports()
    const context = { id: 1 }
    const policy = createCors<typeof context>({ origin: [a, b], shadow: { origin: [a] }, onShadow })
    const decision = now(policy.decide(get(b), context))
    expect(decision).toEqual(now(createCors({ origin: [a, b] }).decide(get(b))))
    expect(onShadow).toHaveBeenCalledTimes(1)
    expect(onShadow.mock.calls[0]![1]).toBe(context)
    expect(seen[0]).toMatchObject({
      origin: b,
      method: 'GET',
      kind: 'actual',
      count: 1,
      enforced: { allowed: true, reason: 'allowed', headers: { 'access-control-allow-origin': b } },
      shadow: { allowed: false, reason: 'origin-not-allowed', headers: {} },
    })
    expect(seen[0]!.message).toContain('would refuse')
    expect(seen[0]!.message).toContain('not allowed')
    expect(Object.isFrozen(seen[0])).toBe(true)
  })

  it('reports what the shadow would allow, and different headers for the same verdict', () => {
    const { seen, onShadow } = reports()
    const policy = createCors({
      origin: [a],
      maxAge: 600,
      shadow: { origin: [a, b], maxAge: 60 },
      onShadow,
    })
    policy.decide(get(b))
    policy.decide(request('OPTIONS', a, 'PUT'))
    expect(seen.map((d) => [d.enforced.reason, d.shadow.reason])).toEqual([
      ['origin-not-allowed', 'allowed'],
      ['allowed', 'allowed'],
    ])
    expect(seen[0]!.message).toContain('would allow')
    expect(seen[1]!.message).toContain('access-control-max-age "600" -> "60"')
    expect(seen[1]!.kind).toBe('preflight')
  })

  it('reports nothing while both policies answer the same', () => {
    const { onShadow } = reports()
    const policy = createCors({ origin: [a], shadow: { origin: [a, 'https://*.c.example'] }, onShadow })
    for (const origin of [a, null, 'https://evil.example']) policy.decide(get(origin))
    policy.decide(request('OPTIONS', a, 'PUT', 'x-a'))
    expect(onShadow).not.toHaveBeenCalled()
  })

  it('decides every request exactly as the enforced policy does without a shadow', () => {
    const policies: CorsOptions[] = [
      { origin: [a], credentials: true, exposedHeaders: ['X-A'] },
      { origin: '*', methods: ['GET', 'PUT'] },
      { origin: ['https://*.a.example'], allowedHeaders: ['X-A'], maxAge: 5 },
      { origin: true, optionsSuccessStatus: 200 },
      { origin: false },
      { origin: (origin: string) => origin === b, preflightContinue: true },
    ]
    const origins = [a, b, null, 'https://x.a.example', 'null', 'https://evil.example', `${a}, ${b}`]
    const req = fc.record({
      method: fc.constantFrom('GET', 'POST', 'OPTIONS', 'DELETE'),
      origin: fc.constantFrom(...origins),
      requestMethod: fc.option(fc.constantFrom('PUT', 'PATCH', 'GET', 'get')),
      requestHeaders: fc.option(fc.constantFrom('x-a', 'x-a, x-b', 'authorization', 'bad header')),
    })
    fc.assert(
      fc.property(fc.nat(policies.length - 1), fc.nat(policies.length - 1), fc.array(req), (e, s, reqs) => {
        const enforced = createCors(policies[e]!)
        const shadowed = createCors({
          ...policies[e]!,
          shadow: policies[s]!,
          onShadow: () => {},
        } as CorsOptions)
        for (const r of reqs) {
          const cors = request(r.method, r.origin, r.requestMethod, r.requestHeaders)
          expect(now(shadowed.decide(cors))).toEqual(now(enforced.decide(cors)))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('reports repeats with a count: the first at once, then at most once per minute per difference', () => {
    const { seen, onShadow } = reports()
    const clock = vi.spyOn(Date, 'now').mockReturnValue(1_000_000)
    const policy = createCors({ origin: '*', shadow: { origin: [a] }, onShadow })
    for (let i = 0; i < 50; i++) policy.decide(get(b))
    policy.decide(request('POST', b))
    expect(seen.map((d) => [d.method, d.count])).toEqual([
      ['GET', 1],
      ['POST', 1],
    ])
    clock.mockReturnValue(1_000_000 + 60_000)
    policy.decide(get(b))
    expect(seen[2]).toMatchObject({ method: 'GET', count: 50 })
    expect(seen[2]!.message).toContain('(50 times since the last report)')
    policy.decide(get(b))
    expect(seen).toHaveLength(3)
  })

  it('keeps memory bounded: distinct differences past the limit are counted together, reports stay bounded', () => {
    let time = 0
    const limits: ShadowLimits = { ...defaultShadowLimits, now: () => time, maxKeys: 10 }
    const seen: CorsShadowDifference[] = []
    const tracker = shadowTracker((d: CorsShadowDifference) => seen.push(d), limits)
    const decide = withShadow(
      createCors({ origin: true }).decide,
      createCors({ origin: [a] }).decide,
      tracker,
    )
    for (let i = 0; i < 5000; i++) decide(get(`https://x${i}.example`))
    // Ten differences reported at first sight, then one overflow report; the rest are counted.
    expect(seen).toHaveLength(11)
    expect(seen[10]!.message).toMatch(/^too many distinct differences/)
    expect(tracker.tally.size).toBeLessThanOrEqual(10)
    time += 60_000
    decide(get('https://late.example'))
    // A new window: a new difference is reported at first sight again.
    expect(seen.at(-1)).toMatchObject({ origin: 'https://late.example', count: 1 })
    decide(get(`https://x${'y'.repeat(600)}.example`))
    expect(seen.at(-1)!.message).toMatch(/^too many distinct differences/)
    // Every occurrence is counted once: 10 + 1 reported at first, 4,984 together, 6 still tracked.
    expect(seen.at(-1)!.count).toBe(4984)
    expect(tracker.tally.size).toBe(7)
  })

  // Issue 18.7: 2,000 made-up origins used to fill the 1,000 slots for good, and a real partner the
  // candidate would break was then only counted in the overflow line, never named.
  it('names a partner sending 1% of the differing requests within one report interval, under a flood of 100,000 distinct origins', () => {
    let time = 0
    const limits: ShadowLimits = { ...defaultShadowLimits, now: () => time }
    const seen: CorsShadowDifference[] = []
    const tracker = shadowTracker((d: CorsShadowDifference) => seen.push(d), limits)
    const decide = withShadow(
      createCors({ origin: true }).decide,
      createCors({ origin: [a] }).decide,
      tracker,
    )
    const partner = 'https://partner.example'
    // The flood starts first: 2,000 distinct origins fill the table before the partner's first request.
    for (let i = 0; i < 2000; i++) decide(get(`https://flood${i}.example`))
    const start = time
    let sent = 0
    // One report interval (60 s): 98,000 more distinct origins, and every 100th differing request is
    // the partner's (1%).
    for (let i = 2000; i < 100_000; i++) {
      time = start + Math.floor(((i - 2000) * limits.window) / 98_000)
      decide(get(`https://flood${i}.example`))
      if (i % 99 === 0) {
        decide(get(partner))
        sent++
      }
    }
    // One interval after the partner's first request, its next one is reported with its count.
    time = start + limits.window + 1000
    decide(get(partner))
    sent++
    const named = seen.filter((d) => d.origin === partner)
    expect(named.length).toBeGreaterThan(0)
    // Its report counts its requests (all but the very first, which arrived with every slot taken).
    const counted = named.reduce((sum, d) => sum + d.count, 0)
    expect(counted).toBeGreaterThanOrEqual(sent - 2)
    expect(counted).toBeLessThanOrEqual(sent)
    // Memory and reports stay bounded.
    expect(tracker.tally.size).toBeLessThanOrEqual(limits.maxKeys)
    expect(seen.length).toBeLessThanOrEqual(limits.maxKeys + 5)
  })

  it('never delays the response for an async shadow origin function, and compares when it settles', async () => {
    const { seen, onShadow } = reports()
    let answer!: (ok: boolean) => void
    const policy = createCors({
      origin: [a],
      shadow: { origin: () => new Promise<boolean>((resolve) => (answer = resolve)) },
      onShadow,
    })
    const decision = policy.decide(get(a))
    expect(decision).not.toBeInstanceOf(Promise)
    expect(now(decision).allowed).toBe(true)
    expect(onShadow).not.toHaveBeenCalled()
    answer(false)
    await vi.waitFor(() => expect(onShadow).toHaveBeenCalledTimes(1))
    expect(seen[0]!.shadow.reason).toBe('origin-not-allowed')
  })

  it('returns the enforced async decision, and compares once both have settled', async () => {
    const { seen, onShadow } = reports()
    const policy = createCors({ origin: async (o: string) => o === a, shadow: { origin: [b] }, onShadow })
    const decision = await policy.decide(get(a))
    expect(decision.headers).toEqual({ 'access-control-allow-origin': a })
    await vi.waitFor(() => expect(seen).toHaveLength(1))
  })

  it('a shadow origin function that throws or rejects is a difference, never an error', async () => {
    const { seen, onShadow } = reports()
    const policy = createCors({
      origin: [a],
      shadow: {
        origin: (o: string) => (o === a ? Promise.reject(new Error('down')) : (null as never)),
      },
      onShadow,
    })
    expect(now(policy.decide(get(a))).allowed).toBe(true)
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    expect(seen[0]!.shadow.reason).toBe('origin-check-failed')
  })

  it('a throwing onShadow never breaks a request', () => {
    const policy = createCors({
      origin: [a],
      shadow: { origin: [b] },
      onShadow: () => {
        throw new Error('logger down')
      },
    })
    expect(now(policy.decide(get(a))).allowed).toBe(true)
  })

  it("calls the enforced policy's onReject as before, and never the shadow's", () => {
    const enforcedReject = vi.fn()
    const shadowReject = vi.fn()
    const { onShadow } = reports()
    const policy = createCors({
      origin: [a],
      onReject: enforcedReject,
      shadow: { origin: [b], onReject: shadowReject, debug: true },
      onShadow,
    })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    policy.decide(get(a))
    policy.decide(get(b))
    expect(enforcedReject).toHaveBeenCalledTimes(1)
    expect(shadowReject).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
    expect(onShadow).toHaveBeenCalledTimes(2)
  })

  it("validates the shadow with the policy, its problems under 'shadow.', all reported at once", () => {
    let error: unknown
    try {
      createCors({
        origin: '*',
        credentials: true,
        shadow: { origin: 'https://a.example/', maxAge: -1, shadow: {}, onShadow: () => {} },
        onShadow: () => {},
      } as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(CorsConfigError)
    expect((error as CorsConfigError).issues.map((issue) => issue.option).sort()).toEqual([
      'origin',
      'shadow.maxAge',
      'shadow.onShadow',
      'shadow.origin',
      'shadow.shadow',
    ])
    expect(() => createCors({ shadow: { origin: a } })).toThrow(/reports its differences nowhere/)
  })

  it('reads the shadow once: changing its object afterwards changes nothing', () => {
    const { onShadow } = reports()
    const shadow = { origin: [a] }
    const policy = createCors({ origin: [a], shadow, onShadow })
    shadow.origin.push(b)
    shadow.origin = [b]
    policy.decide(get(a))
    expect(onShadow).not.toHaveBeenCalled()
  })

  it('is swapped with the policy: update adds, changes and removes it', () => {
    const { seen, onShadow } = reports()
    const policy = createCors({ origin: '*' })
    policy.decide(get(b))
    policy.update({ origin: '*', shadow: { origin: [a] }, onShadow })
    policy.decide(get(b))
    expect(seen).toHaveLength(1)
    // Enforce the candidate: nothing differs any more; then drop the shadow.
    policy.update({ origin: [a], shadow: { origin: [a] }, onShadow })
    policy.decide(get(b))
    policy.update({ origin: [a], shadow: false })
    policy.decide(get(b))
    policy.update({ origin: [a] })
    expect(seen).toHaveLength(1)
    expect(now(policy.decide(get(b))).allowed).toBe(false)
  })

  it("applies an extended policy's overrides to its shadow too, so a route compares like with like", () => {
    const { seen, onShadow } = reports()
    const parent = createCors({ origin: '*', maxAge: 600, shadow: { origin: [a], maxAge: 600 }, onShadow })
    const route = parent.extend({ maxAge: 5, methods: ['GET', 'PUT'] })
    route.decide(request('OPTIONS', a, 'PUT'))
    expect(seen).toHaveLength(1)
    // Only the origin differs: the shadow got the route's maxAge and methods too.
    expect(seen[0]!.enforced.headers['access-control-allow-origin']).toBe('*')
    expect(seen[0]!.shadow.headers).toMatchObject({
      'access-control-allow-origin': a,
      'access-control-max-age': '5',
    })
    route.decide(request('OPTIONS', b, 'PUT'))
    expect(seen[1]!.shadow.reason).toBe('origin-not-allowed')
    // A route with a shadow of its own, over a parent without one: merged over the route's options.
    const { seen: own, onShadow: ownReport } = reports()
    const plain = createCors({ origin: [a, b], maxAge: 600 })
    const guarded = plain.extend({ shadow: { origin: [a] }, onShadow: ownReport })
    guarded.decide(request('OPTIONS', a, 'PUT'))
    guarded.decide(request('OPTIONS', b, 'PUT'))
    expect(own.map((d) => d.shadow.reason)).toEqual(['origin-not-allowed'])
    // Following the parent: an update of the parent's shadow reaches the route.
    parent.update({ origin: '*', maxAge: 600, shadow: { origin: [b] }, onShadow })
    route.decide(request('OPTIONS', b, 'PUT'))
    expect(seen.at(-1)!.shadow.headers['access-control-allow-origin']).toBe(b)
  })

  // Issue 19.4: the README's refresh (`update(load())` without `shadow`) silently dropped the shadow.
  it('stays across update() unless the new options name shadow (a new candidate) or shadow: false', () => {
    const { seen, onShadow } = reports()
    const policy = createCors({ origin: '*', shadow: { origin: [a] }, onShadow })
    policy.update({ origin: '*', maxAge: 60 })
    policy.decide(get(b))
    expect(seen.map((d) => d.shadow.reason)).toEqual(['origin-not-allowed'])
    // A new onShadow alone replaces the reporter, the candidate stays.
    const { seen: second, onShadow: other } = reports()
    policy.update({ origin: '*', onShadow: other })
    policy.decide(request('POST', b))
    expect(second).toHaveLength(1)
    // A new candidate replaces it; shadow: false removes it, and later updates do not bring it back.
    policy.update({ origin: '*', shadow: { origin: [b] }, onShadow: other })
    policy.decide(get(a))
    expect(second.at(-1)!.origin).toBe(a)
    policy.update({ origin: '*', shadow: false })
    policy.update({ origin: '*' })
    policy.decide(get(a))
    policy.decide(get('https://c.example'))
    expect(second).toHaveLength(2)
    expect(seen).toHaveLength(1)
  })

  // Issue 18.8: with a refresh every minute, 301 differing requests were reported as 4, each count 1.
  it('keeps its counts and once-a-minute rhythm across updates that keep the shadow', () => {
    const { seen, onShadow } = reports()
    const clock = vi.spyOn(Date, 'now').mockReturnValue(0)
    const load = (): CorsOptions => ({ origin: '*', maxAge: 600, shadow: { origin: [a] }, onShadow })
    const policy = createCors(load())
    for (let i = 0; i <= 300; i++) {
      clock.mockReturnValue(i * 1000)
      // The README's refresh: every 60 seconds, options loaded afresh (an equal shadow), or without it.
      if (i % 60 === 0 && i > 0) policy.update(i % 120 === 0 ? load() : { origin: '*', maxAge: 600 })
      policy.decide(get(b))
    }
    expect(seen.reduce((sum, d) => sum + d.count, 0)).toBe(301)
    expect(seen.map((d) => d.count)).toEqual([1, 60, 60, 60, 60, 60])
  })
})
