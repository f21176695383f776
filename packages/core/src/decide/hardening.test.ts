import { describe, expect, it, vi } from 'vitest'
import { CorsConfigError } from '../config/errors.ts'
import type { CorsOptions } from '../config/options.ts'
import type { CorsDecision, CorsRequest } from '../decision.ts'
import { createCors } from './policy.ts'

// The hardening review's classes at the core level: options that change after construction, options
// read through the prototype chain or read twice, quadratic construction, origin functions that
// return something else than a boolean, and the debug answer.

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const get = (origin: string | null): CorsRequest => ({
  method: 'GET',
  origin,
  accessControlRequestMethod: null,
  accessControlRequestHeaders: null,
})
const preflight = (origin: string, method: string, headers: string | null = null): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  accessControlRequestMethod: method,
  accessControlRequestHeaders: headers,
})
const now = (decision: CorsDecision | Promise<CorsDecision>): CorsDecision => {
  if (decision instanceof Promise) throw new Error('expected a synchronous decision')
  return decision
}

describe('options are read once, as own properties, and copied', () => {
  it('a polluted Object.prototype never adds an option', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.origin = true
    proto.credentials = true
    try {
      const policy = createCors({})
      const decision = now(policy.decide(get(evil)))
      expect(decision.headers['access-control-allow-origin']).toBe('*')
      expect(decision.headers['access-control-allow-credentials']).toBeUndefined()
    } finally {
      delete proto.origin
      delete proto.credentials
    }
  })

  it('a polluted Object.prototype never becomes a response header', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto['x-polluted'] = 'yes'
    try {
      const decision = now(createCors({ origin: [app] }).decide(get(app)))
      // Writers read own keys only (the adapters' responses are checked in the adversarial suite).
      expect(Object.keys(decision.headers)).not.toContain('x-polluted')
    } finally {
      delete proto['x-polluted']
    }
  })

  it('a RegExp changed after construction (compile, a replaced test or exec) changes nothing', () => {
    const re = /^https:\/\/app\.example\.com$/
    const policy = createCors({ origin: [re], credentials: true })
    re.compile('^https://.*$')
    re.test = () => true
    re.exec = () => [''] as unknown as RegExpExecArray
    expect(now(policy.decide(get(evil))).allowed).toBe(false)
    expect(now(policy.decide(get(app))).allowed).toBe(true)
  })

  it('an options object or list changed after construction changes nothing', () => {
    const origins = [app]
    const options = { origin: origins, methods: ['GET'] }
    const policy = createCors(options)
    origins.push(evil)
    options.methods.push('DELETE')
    expect(now(policy.decide(get(evil))).allowed).toBe(false)
    expect(now(policy.decide(preflight(app, 'DELETE'))).reason).toBe('method-not-allowed')
  })

  it('a getter that answers differently on each read is read exactly once', () => {
    let reads = 0
    const options = {
      get methods() {
        reads++
        return reads === 1 ? ['GET', 'PUT'] : 42
      },
    }
    expect(() => createCors(options as CorsOptions)).not.toThrow()
    expect(reads).toBe(1)
  })

  it('a Proxy list is read once per item, and validated on the copy', () => {
    let reads = 0
    const methods = new Proxy(['GET', 'PUT'], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++
        return reads > 2 ? 7 : Reflect.get(target, key, receiver)
      },
    })
    const policy = createCors({ origin: app, methods })
    expect(reads).toBe(2)
    expect(now(policy.decide(preflight(app, 'PUT'))).allowed).toBe(true)
  })
})

describe('construction is linear in the number of origins', () => {
  // A quadratic de-duplication took 13 s for 30,000 origins; 100,000 would pass the test timeout.
  it('compiles 100,000 exact origins, duplicates removed', () => {
    const origins = Array.from({ length: 100_000 }, (_, i) => `https://app${i % 50_000}.example.com`)
    const policy = createCors({ origin: origins })
    expect(now(policy.decide(get('https://app49999.example.com'))).allowed).toBe(true)
    expect(now(policy.decide(get('https://app50000.example.com'))).allowed).toBe(false)
  })
})

describe('an origin function that does not return a boolean says so', () => {
  it.each([
    [
      'a string (hono/cors style)',
      () => app,
      /returned a string \("https:\/\/app\.example\.com"\); only true allows/,
    ],
    ['undefined (a missing return)', () => undefined, /returned undefined \(a missing return\?\)/],
    ['a number', () => 1, /returned a number/],
    ['null', () => null, /returned null/],
  ])('%s', (_, fn, message) => {
    const onReject = vi.fn()
    const decision = now(createCors({ origin: fn as never, onReject }).decide(get(app)))
    expect(decision.allowed).toBe(false)
    expect(decision.message).toMatch(message)
    expect(onReject.mock.calls[0]?.[0].message).toMatch(message)
  })

  it('an Express-style (origin, callback) function is named as such', () => {
    // Named so that construction cannot recognise it (see the next test): found when called.
    const express = (_origin: string, reply: (error: null, allow: boolean) => void) => reply(null, true)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const decision = now(createCors({ origin: express as never }).decide(get(app), {}))
    expect(decision.reason).toBe('origin-check-failed')
    expect(decision.message).toMatch(/Express-style \(origin, callback\) function/)
    const silent = (_origin: string, _answer: unknown) => undefined
    expect(now(createCors({ origin: silent as never }).decide(get(app))).message).toMatch(/Express-style/)
    warn.mockRestore()
  })

  // Issue 19.2: an Express-style callback started without an error, then failed every request silently.
  it.each([
    ['an arrow function', (origin: string, cb: (e: null, ok: boolean) => void) => cb(null, origin === app)],
    [
      'a function',
      function check(_origin: string, callback: () => void) {
        callback()
      },
    ],
    ['an async function', async (_origin: string, done: () => void) => done()],
    ['a method', { origin(_origin: string, _next: unknown) {} }.origin],
  ])(
    'an origin function whose second parameter is named as a callback is refused at construction (%s)',
    (_name, fn) => {
      let error: unknown
      try {
        createCors({ origin: fn as never })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(CorsConfigError)
      expect((error as CorsConfigError).issues).toEqual([
        expect.objectContaining({
          code: 'invalid-type',
          option: 'origin',
          message: expect.stringMatching(
            /Express-style \(origin, _*[a-z]+\) function from the cors package/i,
          ),
          hint: expect.stringMatching(/^return a boolean instead of calling a callback/),
        }),
      ])
    },
  )

  it('an origin function taking the request as its second parameter is accepted', () => {
    const fn = (origin: string, request: unknown) => origin === app && request !== undefined
    expect(now(createCors({ origin: fn }).decide(get(app), {})).allowed).toBe(true)
  })

  // Issue 19.2: without onReject or debug, a rejection the origin function causes goes to
  // console.warn, once per distinct cause; an onReject replaces that default.
  it('writes the rejections the origin function causes to console.warn once per cause, unless onReject is set', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const throws = createCors({
      origin: () => {
        throw new Error('db down')
      },
    })
    const undef = createCors({ origin: (() => undefined) as never })
    const text = createCors({ origin: async (origin: string) => origin as never })
    for (const other of [app, 'https://b.example', 'https://c.example']) {
      throws.decide(get(other))
      undef.decide(get(other))
      await text.decide(get(other))
    }
    expect(warn).toHaveBeenCalledTimes(3)
    expect(warn.mock.calls.map(([line]) => line)).toEqual([
      expect.stringMatching(/^@cors: origin-check-failed: the origin function failed for .*: Error: db down/),
      expect.stringMatching(/^@cors: origin-not-allowed: .*returned undefined \(a missing return\?\)/),
      expect.stringMatching(/^@cors: origin-not-allowed: .*returned a string/),
    ])
    expect(warn.mock.calls[0]![0]).toContain('pass onReject to receive every rejection')
    // A refusal of the request itself (an origin the function answers false for) is not a setup problem.
    createCors({ origin: () => false }).decide(get(app))
    const onReject = vi.fn()
    createCors({
      origin: () => {
        throw new Error('db down')
      },
      onReject,
    }).decide(get(app))
    expect(onReject).toHaveBeenCalledOnce()
    expect(warn).toHaveBeenCalledTimes(3)
    warn.mockRestore()
  })

  it('an async function resolving to a string says so too', async () => {
    const decision = await createCors({ origin: async () => app as never }).decide(get(app))
    expect(decision.message).toMatch(/returned a string/)
  })
})

describe('debug: true', () => {
  const options = { origin: [app], allowedHeaders: ['Content-Type'], methods: ['GET', 'PUT'], debug: true }

  it('answers a preflight refused for a header like an allowed one, with the policy own lists', () => {
    const onReject = vi.fn()
    const decision = now(createCors({ ...options, onReject }).decide(preflight(app, 'PUT', 'x-foo')))
    expect(decision).toMatchObject({ kind: 'preflight', allowed: true, respond: true, status: 204 })
    expect(decision.headers['access-control-allow-headers']).toBe('content-type')
    expect(decision.message).toMatch(/debug: .*header "x-foo" is not allowed/)
    expect(onReject).toHaveBeenCalledOnce()
  })

  it('answers a preflight refused for its method the same way', () => {
    const decision = now(createCors(options).decide(preflight(app, 'DELETE')))
    expect(decision.allowed).toBe(true)
    expect(decision.headers['access-control-allow-methods']).toBe('GET, PUT')
  })

  it('still refuses an origin the policy does not allow, and writes rejections to console.warn', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const decision = now(createCors(options).decide(preflight(evil, 'PUT')))
      expect(decision).toMatchObject({ allowed: false, status: 403 })
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/origin-not-allowed/))
    } finally {
      warn.mockRestore()
    }
  })

  it('is refused when it is not a boolean', () => {
    expect(() => createCors({ debug: 'yes' as never })).toThrow(CorsConfigError)
  })
})

describe('validateCorsOptions', () => {
  it("reports a shadow's problems as createCors does", async () => {
    const { validateCorsOptions } = await import('./policy.ts')
    const issues = validateCorsOptions({ shadow: { origin: 'nope' }, onShadow: () => {} })
    expect(issues.map((issue) => issue.option)).toContain('shadow.origin')
  })
})
