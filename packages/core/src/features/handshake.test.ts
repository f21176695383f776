import { describe, expect, it, vi } from 'vitest'
import type { CorsOptions, CorsOriginFunction } from '../config/options.ts'
import { createCors } from '../decide/policy.ts'
import { type CorsRejection, toCorsRequest } from '../decision.ts'
import { createHandshakeCheck } from './handshake.ts'

const app = 'https://app.example.com'
const handshake = (headers: Record<string, string>) =>
  toCorsRequest('GET', (name) => ({ host: 'api.example.com', upgrade: 'websocket', ...headers })[name])

describe('createHandshakeCheck', () => {
  it('passes allowed origins, same-origin pages and clients without Origin; refuses the rest', () => {
    const check = createHandshakeCheck({ origin: [app] })
    expect(check(handshake({ origin: app }), undefined)).toBeUndefined()
    expect(check(handshake({}), undefined)).toBeUndefined()
    expect(check(handshake({ origin: 'https://api.example.com' }), undefined)).toBeUndefined()
    expect(
      check(handshake({ origin: 'https://x.example', 'sec-fetch-site': 'same-origin' }), undefined),
    ).toBe(undefined)
    for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example']) {
      const refusal = check(handshake({ origin }), undefined) as CorsRejection
      expect(refusal).toMatchObject({
        allowed: false,
        respond: true,
        status: 403,
        reason: 'websocket-origin-refused',
      })
    }
    // Sec-Fetch-Site is trusted over a Host match: a cross-site page cannot pass by naming this host.
    const named = handshake({ origin: 'https://api.example.com', 'sec-fetch-site': 'cross-site' })
    expect(check(named, undefined)).toMatchObject({ reason: 'websocket-origin-refused' })
  })

  it('applies whether or not crossOriginProtection is set, and origin: false allows same-origin only', () => {
    for (const options of [{ origin: [app], crossOriginProtection: true }, { origin: false }] as const) {
      const check = createHandshakeCheck(options)
      expect(check(handshake({ origin: 'https://evil.example' }), undefined)).toBeDefined()
      expect(check(handshake({ origin: 'https://api.example.com' }), undefined)).toBeUndefined()
    }
  })

  it("requireOrigin refuses handshakes without Origin; '*' and true are refused at construction", () => {
    expect(
      createHandshakeCheck({ origin: [app] }, { requireOrigin: true })(handshake({}), undefined),
    ).toBeDefined()
    for (const origin of ['*', true, undefined] as const)
      expect(() => createHandshakeCheck(origin === undefined ? {} : { origin })).toThrow(/nothing to check/)
    expect(() => createHandshakeCheck({ origin: [app] }, { requireOrign: true } as never)).toThrow(
      /not an option/,
    )
  })

  it('reads the live policy: update() reaches the next handshake; updated to "*" it fails closed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const policy = createCors<unknown>({ origin: [app] })
    const check = createHandshakeCheck(policy)
    policy.update({ origin: ['https://other.example'] })
    expect(check(handshake({ origin: app }), undefined)).toBeDefined()
    expect(check(handshake({ origin: 'https://other.example' }), undefined)).toBeUndefined()
    policy.update({ origin: '*' })
    expect(check(handshake({ origin: 'https://other.example' }), undefined)).toBeDefined()
    expect(check(handshake({ origin: 'https://api.example.com' }), undefined)).toBeUndefined()
    expect(warn).toHaveBeenCalledTimes(1)
    warn.mockRestore()
  })

  it('asks sync and async origin functions with the context, and reports once to onReject', async () => {
    const seen: [string, unknown][] = []
    const options = (origin: CorsOriginFunction<string>): CorsOptions<string> => ({
      origin,
      onReject: (rejection, context) => {
        seen.push([rejection.reason, context])
      },
    })
    const sync = createHandshakeCheck(options((origin, context) => origin === app && context === 'req'))
    expect(sync(handshake({ origin: app }), 'req')).toBeUndefined()
    const async = createHandshakeCheck(options(async (origin) => origin === app))
    expect(await async(handshake({ origin: app }), 'req')).toBeUndefined()
    expect(await async(handshake({ origin: 'https://evil.example' }), 'req')).toBeDefined()
    expect(seen).toEqual([['websocket-origin-refused', 'req']])
  })

  it('a throwing or rejecting onReject or origin function is reported, never thrown', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const throwing = createHandshakeCheck({
      origin: () => {
        throw new Error('db down')
      },
      onReject: () => {
        throw new Error('log down')
      },
    })
    expect(throwing(handshake({ origin: app }), undefined)).toMatchObject({ status: 403 })
    const rejecting = createHandshakeCheck({
      origin: [app],
      onReject: () => Promise.reject(new Error('log down')),
    })
    expect(rejecting(handshake({ origin: 'https://evil.example' }), undefined)).toBeDefined()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(error).toHaveBeenCalledTimes(1)
    error.mockRestore()
  })
})
