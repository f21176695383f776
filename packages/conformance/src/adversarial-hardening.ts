import type { CorsOptions } from '@cors/core'
import { describe, expect, it } from 'vitest'
import { expectNothingDisclosed, expectRefusedPreflight } from './adversarial-support.ts'
import { get, preflight } from './client.ts'
import type { AdversarialTransport, MakeClient } from './types.ts'

const app = 'https://app.example.com'
const evil = 'https://evil.example'

/** The hardening review's classes, through the real adapter: each must hold in every framework. */
export function describeHardening(makeClient: MakeClient, transport: AdversarialTransport): void {
  async function expectRefused(options: unknown, code: string): Promise<void> {
    let error: unknown
    try {
      await makeClient(options as CorsOptions)
    } catch (caught) {
      error = caught
    }
    expect(error, 'construction must fail').toMatchObject({ name: 'CorsConfigError' })
    expect((error as { issues: { code: string }[] }).issues.map((i) => i.code)).toContain(code)
  }

  describe('options shapes that would open the policy', () => {
    const shapes: [string, unknown][] = [
      [
        'a function returning a function (the @fastify/cors delegator)',
        () => (_req: unknown, cb: () => void) => cb(),
      ],
      ['an async options factory', async () => ({ origin: '*' })],
      ['a promise', Promise.resolve({ origin: '*' })],
      ['a string', app],
      ['an array', [app]],
    ]
    if (transport.falsyOptionsMeanNone !== true) shapes.push(['null', null])
    it.each(shapes)('%s is refused at construction', async (_, options) => {
      await expectRefused(options, 'invalid-type')
    })

    it('an explicitly undefined origin (an unset environment variable) is refused', async () => {
      await expectRefused({ origin: undefined }, 'invalid-origin')
    })

    it('a polluted Object.prototype adds no option and no header', async () => {
      const proto = Object.prototype as Record<string, unknown>
      const client = await makeClient({ origin: [app] })
      // `credentials` is left out here: the platform's own Request constructor reads it from the
      // prototype and throws (the core test covers it).
      proto.origin = true
      proto.exposedHeaders = '*'
      proto['x-polluted'] = 'yes'
      try {
        const polluted = await makeClient({ origin: [app] })
        for (const send of [client, polluted]) {
          const response = await send(get('/ok', evil))
          expectNothingDisclosed(response)
          expect(Object.hasOwn(response.headers, 'x-polluted')).toBe(false)
          const allowed = await send(get('/ok', app))
          expect(allowed.headers['access-control-expose-headers']).toBeUndefined()
          expect(Object.hasOwn(allowed.headers, 'x-polluted')).toBe(false)
        }
      } finally {
        delete proto.origin
        delete proto.exposedHeaders
        delete proto['x-polluted']
      }
    })
  })

  describe('options changed after construction', () => {
    it('a RegExp recompiled or with a replaced test() does not widen a credentialed policy', async () => {
      const re = /^https:\/\/app\.example\.com$/
      const client = await makeClient({ origin: [re], credentials: true })
      re.compile('^https://.*$')
      re.test = () => true
      expectNothingDisclosed(await client(get('/ok', evil)))
      expectRefusedPreflight(await client(preflight('/ok', evil, 'PUT')))
    })

    it('a list pushed to after construction changes nothing', async () => {
      const origins = [app]
      const client = await makeClient({ origin: origins })
      origins.push(evil)
      expectNothingDisclosed(await client(get('/ok', evil)))
    })
  })

  describe('regular-expression denial of service', () => {
    it.each([
      /^https:\/\/(a+)+\.example\.com$/,
      /^https:\/\/([a-z]*)*\.example\.com$/,
      /^https:\/\/(a|aa)+\.example\.com$/,
    ])('%s is refused at construction', async (re) => {
      await expectRefused({ origin: [re] }, 'regexp-exponential')
    })
  })

  describe('credentialed RegExps that match strangers', () => {
    it('an unescaped prefix (.*example\\.com matches https://evilexample.com) is refused', async () => {
      await expectRefused(
        { origin: [/^https:\/\/.*example\.com$/], credentials: true },
        'credentials-with-any-origin',
      )
    })
  })
}
