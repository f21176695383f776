import { afterEach, describe, expect, it, vi } from 'vitest'
import { CorsConfigError } from '../config/errors.ts'
import { createCors } from '../decide/policy.ts'
import { type CorsDecision, type CorsRequest, toCorsRequest } from '../decision.ts'

// Issues 18.1 and 19.6: hooks that return promises, and report-only protection without onReject.

const app = 'https://app.example.com'
const request = (method: string, origin: string, site = 'cross-site'): CorsRequest =>
  toCorsRequest(method, (name) =>
    name === 'origin'
      ? origin
      : name === 'sec-fetch-site'
        ? site
        : name === 'host'
          ? 'api.example.com'
          : null,
  )
const now = (decision: CorsDecision | Promise<CorsDecision>): CorsDecision => {
  if (decision instanceof Promise) throw new Error('expected a synchronous decision')
  return decision
}
// Lets rejected promises settle: an unhandled one would fail the run (vitest reports it).
const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('hooks that return promises (issue 18.1)', () => {
  it('refuses an async bypass at construction, with the fix', () => {
    let error: unknown
    try {
      createCors({ origin: [app], crossOriginProtection: { bypass: (async () => true) as never } })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(CorsConfigError)
    expect((error as CorsConfigError).issues).toEqual([
      expect.objectContaining({
        option: 'crossOriginProtection.bypass',
        message: expect.stringMatching(/^is an async function/),
        hint: expect.stringMatching(/^return true or false at once/),
      }),
    ])
  })

  it('a bypass returning a promise exempts nothing, says so once, and its rejection crashes nothing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const policy = createCors({
      origin: [app],
      crossOriginProtection: { bypass: () => Promise.reject(new Error('signature store down')) as never },
    })
    for (let i = 0; i < 3; i++) {
      const decision = now(policy.decide(request('POST', 'https://evil.example')))
      expect(decision).toMatchObject({ status: 403, reason: 'cross-origin-request-refused' })
      expect(decision.message).toContain('bypass returned a promise, which exempts nothing')
    }
    await settle()
    const lines = error.mock.calls.map(([line]) => String(line))
    expect(lines.filter((line) => line.includes('bypass returned a promise'))).toHaveLength(1)
    expect(lines.filter((line) => line.includes('signature store down'))).toHaveLength(1)
  })

  it('an async onReject that rejects is caught and reported once per message; the response is unchanged', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const onReject = vi.fn(async () => {
      throw new Error('log store down')
    })
    const policy = createCors({ origin: [app], crossOriginProtection: true, onReject })
    for (let i = 0; i < 3; i++)
      expect(now(policy.decide(request('POST', 'https://evil.example')))).toMatchObject({
        status: 403,
        respond: true,
      })
    expect(now(policy.decide(request('GET', 'https://other.example'))).allowed).toBe(false)
    await settle()
    // Each POST: the CORS refusal of its origin and the protection's refusal.
    expect(onReject).toHaveBeenCalledTimes(7)
    expect(error).toHaveBeenCalledOnce()
    expect(error.mock.calls[0]![0]).toMatch(
      /^@cors: onReject failed: Error: log store down; the response was not changed/,
    )
  })

  it('an onShadow that rejects or throws is caught and reported once per message; the response is unchanged', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const rejecting = createCors({
      origin: [app],
      shadow: { origin: ['https://partner.example'] },
      onShadow: async () => {
        throw new Error('shadow log down')
      },
    })
    const throwing = createCors({
      origin: [app],
      shadow: { origin: ['https://partner.example'] },
      onShadow: () => {
        throw new Error('shadow log full')
      },
    })
    for (const origin of [app, 'https://partner.example', 'https://c.example']) {
      const enforced = now(createCors({ origin: [app] }).decide(request('GET', origin)))
      expect(now(rejecting.decide(request('GET', origin)))).toEqual(enforced)
      expect(now(throwing.decide(request('GET', origin)))).toEqual(enforced)
    }
    await settle()
    expect(error.mock.calls.map(([line]) => line)).toEqual([
      expect.stringMatching(/^@cors: onShadow failed: Error: shadow log full/),
      expect.stringMatching(/^@cors: onShadow failed: Error: shadow log down/),
    ])
  })
})

describe('crossOriginProtection: { reportOnly: true } without onReject (issue 19.6)', () => {
  it('reports with console.warn, aggregated like the shadow: the first at once, repeats with a count', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const clock = vi.spyOn(Date, 'now').mockReturnValue(1_000_000)
    const policy = createCors({ origin: [app], crossOriginProtection: { reportOnly: true } })
    for (let i = 0; i < 50; i++)
      expect(now(policy.decide(request('POST', 'https://evil.example'))).respond).toBe(false)
    policy.decide(request('PUT', 'https://evil.example'))
    expect(warn).toHaveBeenCalledTimes(2)
    expect(warn.mock.calls[0]![0]).toMatch(
      /^@cors crossOriginProtection \(report only, let through\): cross-origin "?POST"? request refused/,
    )
    clock.mockReturnValue(1_060_000)
    policy.decide(request('POST', 'https://evil.example'))
    expect(warn).toHaveBeenCalledTimes(3)
    expect(warn.mock.calls[2]![0]).toContain('(50 times since the last report)')
    // An onReject replaces the default; enforcing protection never warns by itself.
    const onReject = vi.fn()
    createCors({ origin: [app], crossOriginProtection: { reportOnly: true }, onReject }).decide(
      request('POST', 'https://evil.example'),
    )
    createCors({ origin: [app], crossOriginProtection: true }).decide(request('POST', 'https://evil.example'))
    expect(onReject.mock.calls.map(([rejection]) => rejection.reason)).toEqual([
      'origin-not-allowed',
      'cross-origin-request-refused',
    ])
    expect(warn).toHaveBeenCalledTimes(3)
  })
})
