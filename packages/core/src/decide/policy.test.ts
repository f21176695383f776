import { describe, expect, it, vi } from 'vitest'
import { CorsConfigError } from '../config/errors.ts'
import type { CorsOptions } from '../config/options.ts'
import { type CorsDecision, type CorsRequest, toCorsRequest } from '../decision.ts'
import { createCors, isCorsPolicy, sameCorsPolicy } from './policy.ts'

const a = 'https://a.example'
const b = 'https://b.example'
const get = (origin: string | null): CorsRequest =>
  toCorsRequest('GET', (name) => (name === 'origin' ? origin : null))
const preflight = (origin: string, method = 'PUT'): CorsRequest =>
  toCorsRequest('OPTIONS', (name) =>
    name === 'origin' ? origin : name === 'access-control-request-method' ? method : null,
  )
const now = (decision: CorsDecision | Promise<CorsDecision>): CorsDecision => {
  if (decision instanceof Promise) throw new Error('expected a synchronous decision')
  return decision
}

/** A promise and the function that settles it, for origin functions that answer when the test says. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

function configError(run: () => unknown): CorsConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof CorsConfigError) return error
    throw error
  }
  throw new Error('expected a CorsConfigError')
}

describe('createCors', () => {
  it('returns a policy given a policy, so every adapter accepts either', () => {
    const policy = createCors({ origin: a })
    expect(isCorsPolicy(policy)).toBe(true)
    expect(createCors(policy)).toBe(policy)
    expect(isCorsPolicy({ decide: () => null })).toBe(false)
  })
})

describe('update', () => {
  it('replaces the whole policy: the next request is decided by the new options alone', () => {
    const policy = createCors({ origin: a, exposedHeaders: ['X-Old'], credentials: true })
    expect(now(policy.decide(get(a))).headers).toEqual({
      'access-control-allow-origin': a,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-old',
    })
    policy.update({ origin: [b] })
    expect(now(policy.decide(get(a))).reason).toBe('origin-not-allowed')
    expect(now(policy.decide(get(b))).headers).toEqual({ 'access-control-allow-origin': b })
  })

  it('validates first: a bad update throws every problem and the old policy keeps answering', () => {
    // A fixed header list: the allowed preflight is precomputed, so `toBe` shows the same compiled policy.
    const policy = createCors({ origin: a, maxAge: 60, allowedHeaders: ['X-A'] })
    const before = now(policy.decide(preflight(a)))
    const error = configError(() =>
      policy.update({ origin: '*', credentials: true, maxAge: -1 } as unknown as CorsOptions),
    )
    expect(error.issues.map((issue) => issue.option).sort()).toEqual(['maxAge', 'origin'])
    expect(now(policy.decide(preflight(a)))).toBe(before)
    expect(() => policy.update('https://b.example' as never)).toThrow(CorsConfigError)
    expect(now(policy.decide(preflight(a)))).toBe(before)
  })

  it('reads the new options once and copies them: changing them afterwards changes nothing', () => {
    const policy = createCors({ origin: a })
    const origins = [b]
    policy.update({ origin: origins })
    origins.push(a)
    expect(now(policy.decide(get(a))).allowed).toBe(false)
  })

  it('keeps the same decide function: adapters hold it, and it costs no lookup of its own', () => {
    const policy = createCors({ origin: a })
    const decide = policy.decide
    policy.update({ origin: b })
    expect(policy.decide).toBe(decide)
    expect(now(decide(get(b))).allowed).toBe(true)
  })

  it('finishes a request in flight under the policy it started with, though its origin function answers after the swap', async () => {
    const answer = gate()
    const asked: string[] = []
    const onReject = vi.fn()
    const policy = createCors({
      origin: async (origin: string) => {
        asked.push(origin)
        await answer.promise
        return origin === a
      },
      exposedHeaders: ['X-Old'],
      maxAge: 10,
      onReject,
    })
    const inFlight = [policy.decide(get(a)), policy.decide(preflight(a)), policy.decide(get(b))]
    expect(asked).toEqual([a, a, b])
    policy.update({ origin: [b], exposedHeaders: ['X-New'], maxAge: 20 })
    const after = now(policy.decide(get(b)))
    answer.open()
    const [actual, pre, refused] = await Promise.all(inFlight)
    expect(actual!.headers).toEqual({
      'access-control-allow-origin': a,
      'access-control-expose-headers': 'x-old',
    })
    expect(pre!.headers['access-control-max-age']).toBe('10')
    expect(refused!.allowed).toBe(false)
    expect(onReject).toHaveBeenCalledTimes(1)
    expect(after.headers).toEqual({
      'access-control-allow-origin': b,
      'access-control-expose-headers': 'x-new',
    })
    expect(asked).toEqual([a, a, b])
  })

  it('never shares verdict caches: an origin the old policy remembered is decided afresh', () => {
    const policy = createCors({ origin: ['https://*.example.com'] })
    const allowed = toCorsRequest('GET', (name) => (name === 'origin' ? 'https://x.example.com' : null))
    const first = now(policy.decide(allowed))
    expect(now(policy.decide(allowed))).toBe(first)
    policy.update({ origin: ['https://*.example.org'] })
    expect(now(policy.decide(allowed)).allowed).toBe(false)
    policy.update({ origin: ['https://*.example.com'] })
    const again = now(policy.decide(allowed))
    expect(again).toEqual(first)
    expect(again).not.toBe(first)
  })

  it('a policy that is never updated answers as createCors always did', () => {
    const options: CorsOptions = { origin: [a, 'https://*.b.example'], maxAge: 5, credentials: true }
    const policy = createCors(options)
    for (const request of [
      get(a),
      get(b),
      get(null),
      preflight(a),
      preflight('https://x.b.example', 'PATCH'),
    ])
      expect(policy.decide(request)).toEqual(createCors(options).decide(request))
  })
})

describe('extend', () => {
  it("merges overrides over the parent's options and follows the parent's updates", () => {
    const parent = createCors({ origin: a, credentials: true, maxAge: 60 })
    const child = parent.extend({ maxAge: 5 })
    expect(now(child.decide(preflight(a))).headers).toMatchObject({
      'access-control-allow-origin': a,
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '5',
    })
    parent.update({ origin: b, credentials: true, maxAge: 60 })
    expect(now(child.decide(preflight(a))).allowed).toBe(false)
    expect(now(child.decide(preflight(b))).headers['access-control-max-age']).toBe('5')
    expect(now(parent.decide(preflight(b))).headers['access-control-max-age']).toBe('60')
  })

  it("a child's own update replaces its overrides and leaves the parent alone", () => {
    const parent = createCors({ origin: a, maxAge: 60 })
    const child = parent.extend({ maxAge: 5 })
    child.update({ origin: b })
    expect(now(child.decide(preflight(b))).headers['access-control-max-age']).toBe('60')
    expect(now(parent.decide(preflight(b))).allowed).toBe(false)
    expect(now(parent.decide(preflight(a))).allowed).toBe(true)
  })

  it('a failing update anywhere in the family leaves every policy as it was', () => {
    const parent = createCors({ origin: a })
    const child = parent.extend({ credentials: true })
    const grandchild = child.extend({ maxAge: 9 })
    const before = [parent, child, grandchild].map((p) => now(p.decide(preflight(a))))
    // Valid for the parent, invalid for the credentialed child: nothing changes anywhere.
    const error = configError(() => parent.update({ origin: '*' }))
    expect(error.issues[0]?.code).toBe('credentials-with-any-origin')
    expect([parent, child, grandchild].map((p) => now(p.decide(preflight(a))))).toEqual(before)
    expect(now(parent.decide(preflight(b))).allowed).toBe(false)
    parent.update({ origin: [a, b] })
    expect(now(grandchild.decide(preflight(b))).headers).toMatchObject({
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '9',
    })
  })

  it('validates the overrides at once', () => {
    const parent = createCors({ origin: a })
    expect(() => parent.extend({ maxAge: 1.5 })).toThrow(CorsConfigError)
  })
})

// Issue 18.9: route policies of closed Fastify apps stayed attached for good: update() rebuilt them
// all, and a closed app's route { credentials: true } blocked update({ origin: '*' }).
describe('release', () => {
  it('detaches extended policies: the parent no longer rebuilds or checks them on update', () => {
    const parent = createCors({ origin: [a] })
    const routes = Array.from({ length: 300 }, () => parent.extend({ credentials: true }))
    expect(() => parent.update({ origin: '*' })).toThrow(CorsConfigError)
    const build = vi.spyOn(Object, 'freeze')
    parent.update({ origin: [a, b] })
    const withChildren = build.mock.calls.length
    for (const route of routes) route.release()
    build.mockClear()
    parent.update({ origin: [a, b] })
    const alone = build.mock.calls.length
    build.mockRestore()
    // The work of an update no longer grows with the released children (300 rebuilds before).
    expect(withChildren).toBeGreaterThan(alone * 100)
    expect(() => parent.update({ origin: '*' })).not.toThrow()
    // A released policy keeps answering with its last options, and releasing again does nothing.
    expect(now(routes[0]!.decide(get(b)))).toMatchObject({ allowed: true })
    routes[0]!.release()
    parent.release()
    expect(now(parent.decide(get('https://c.example'))).headers['access-control-allow-origin']).toBe('*')
  })
})

// Issue 19.5: two cors() calls with equal options are one policy.
describe('sameCorsPolicy', () => {
  const check = (origin: string) => origin.endsWith('.example')
  it('knows policies made from equal options, functions compared by identity', () => {
    expect(sameCorsPolicy(createCors({ origin: a }), createCors({ origin: [a] }))).toBe(true)
    expect(sameCorsPolicy(createCors({ origin: [a, b] }), createCors({ origin: [b, a] }))).toBe(true)
    expect(
      sameCorsPolicy(createCors(), createCors({ origin: '*', methods: 'GET,HEAD,PUT,PATCH,POST,DELETE' })),
    ).toBe(true)
    expect(sameCorsPolicy(createCors({ origin: check }), createCors({ origin: check }))).toBe(true)
    expect(
      sameCorsPolicy(
        createCors({ origin: [/^https:\/\/a\.example$/], crossOriginProtection: { bypass: () => false } }),
        createCors({ origin: [/^https:\/\/a\.example$/], crossOriginProtection: { bypass: () => false } }),
      ),
    ).toBe(false)
    expect(
      sameCorsPolicy(createCors({ origin: (o) => check(o) }), createCors({ origin: (o) => check(o) })),
    ).toBe(false)
    expect(sameCorsPolicy(createCors({ origin: a }), createCors({ origin: a, credentials: true }))).toBe(
      false,
    )
    expect(
      sameCorsPolicy(createCors({ methods: ['GET', 'POST'] }), createCors({ methods: ['POST', 'GET'] })),
    ).toBe(false)
    expect(sameCorsPolicy({ origin: a }, createCors({ origin: a }))).toBe(false)
  })

  it('compares what the policies are now, after updates', () => {
    const one = createCors({ origin: a })
    const two = createCors({ origin: b })
    expect(sameCorsPolicy(one, two)).toBe(false)
    two.update({ origin: a })
    expect(sameCorsPolicy(one, two)).toBe(true)
    expect(sameCorsPolicy(one, one)).toBe(true)
  })
})
