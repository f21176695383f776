import { type CorsDecision, type CorsOptions, type CorsRejection, createCors } from '@cors/core'
import { describe, expect, it } from 'vitest'
import { describeHardening } from './adversarial-hardening.ts'
import { describeLoad } from './adversarial-load.ts'
import {
  body,
  collectGarbage,
  corsHeaders,
  corsRequest,
  expectNothingDisclosed,
  expectRefusedPreflight,
  expectVary,
  headerBytes,
  sleep,
  visibleValue,
} from './adversarial-support.ts'
import { get, preflight, preflightVary } from './client.ts'
import {
  credentialedAnyOrigin,
  evil,
  type InjectionProbe,
  injectionPolicies,
  injectionProbes,
  originProbes,
  probePolicy,
  requestHeadersProbes,
  statefulRegExps,
  trusted,
} from './hostile.ts'
import type {
  AdversarialTransport,
  ConformanceClient,
  ConformanceRequest,
  ConformanceResponse,
  MakeClient,
} from './types.ts'

// --- the suite ------------------------------------------------------------------------------------

/**
 * The adversarial suite: every known failure class of CORS layers (see SECURITY.md), reproduced
 * through one adapter's own request API, plus fast-check properties and a concurrency run over it.
 * Needs `global.gc` (vitest `execArgv: ['--expose-gc']`) and a client that reports the body.
 */
export function describeAdversarial(
  adapter: string,
  makeClient: MakeClient,
  transport: AdversarialTransport = {},
): void {
  /** Builds the application around a policy, recording every rejection the policy reports. */
  async function build(
    options: CorsOptions,
  ): Promise<{ client: ConformanceClient; rejections: CorsRejection[] }> {
    const rejections: CorsRejection[] = []
    const client = await makeClient({ ...options, onReject: (rejection) => rejections.push(rejection) })
    return { client, rejections }
  }

  /** Whether the HTTP server refuses this request before the adapter sees it; then checks that answer. */
  function refusedByTransport(request: ConformanceRequest, response: ConformanceResponse): boolean {
    if (transport.maxHeaderBytes === undefined || headerBytes(request) <= transport.maxHeaderBytes)
      return false
    expect(response.status, 'the HTTP server refuses oversized headers').toBe(431)
    expectNothingDisclosed(response)
    expect(response.handlerCalled).toBe(false)
    return true
  }

  async function expectConstructionFails(options: CorsOptions, code: string): Promise<void> {
    let error: unknown
    try {
      await makeClient(options)
    } catch (caught) {
      error = caught
    }
    expect(error, 'construction must fail').toMatchObject({ name: 'CorsConfigError' })
    const { issues } = error as { issues: readonly { code: string }[] }
    expect(issues.map((issue) => issue.code)).toContain(code)
  }

  describe(`${adapter}: adversarial`, () => {
    describe('any origin reflected with credentials', () => {
      it.each(credentialedAnyOrigin)('refuses $name at construction ($code)', async ({ options, code }) => {
        await expectConstructionFails(options, code)
      })

      it('no request makes a credentialed policy send credentials to an origin it does not list', async () => {
        const { client } = await build(probePolicy)
        for (const probe of originProbes) {
          for (const request of [get('/ok', probe.origin), preflight('/ok', probe.origin, 'PUT')]) {
            const response = await client(request)
            if (refusedByTransport(request, response)) continue
            const credentials = response.headers['access-control-allow-credentials']
            expect(credentials !== undefined, probe.name).toBe(probe.listed)
            if (credentials === undefined) continue
            expect(credentials).toBe('true')
            expect(response.headers['access-control-allow-origin']).toBe(probe.origin)
          }
        }
      })

      it('an origin function that allows everything with credentials still never echoes "null" or a malformed origin', async () => {
        const asked: string[] = []
        const { client } = await build({
          origin: (origin) => {
            asked.push(origin)
            return true
          },
          credentials: true,
        })
        for (const probe of originProbes) {
          const request = get('/ok', probe.origin)
          const response = await client(request)
          if (refusedByTransport(request, response)) continue
          const allowOrigin = response.headers['access-control-allow-origin']
          if (probe.wellFormed) expect(allowOrigin, probe.name).toBe(probe.origin)
          else expectNothingDisclosed(response)
        }
        expect(new Set(asked)).toEqual(new Set(originProbes.filter((p) => p.wellFormed).map((p) => p.origin)))
      })
    })

    describe('loose origin matching', () => {
      let listed: Awaited<ReturnType<typeof build>> | undefined
      let reflected: Awaited<ReturnType<typeof build>> | undefined

      it.each(originProbes)('$name: allowed only when listed', async (probe) => {
        listed ??= await build(probePolicy)
        const { client, rejections } = listed
        for (const request of [
          get('/ok', probe.origin),
          preflight('/ok', probe.origin, 'PUT', 'content-type'),
        ]) {
          rejections.length = 0
          const response = await client(request)
          if (refusedByTransport(request, response)) continue
          const isPreflight = request.method === 'OPTIONS'
          if (probe.listed) {
            expect(response.headers['access-control-allow-origin']).toBe(probe.origin)
            expect(response.status).toBe(isPreflight ? 204 : 200)
            continue
          }
          if (isPreflight) expectRefusedPreflight(response)
          else {
            expect(response.status).toBe(200)
            expectNothingDisclosed(response)
          }
          expectVary(response, isPreflight ? preflightVary : ['origin'])
          // The policy saw the value as sent: both lines of a repeated Origin, joined (with ", " by
          // HTTP servers, with "," by API Gateway HTTP APIs and Function URLs before Lambda sees it).
          expect(rejections.map((r) => r.reason)).toEqual(['origin-not-allowed'])
          const joined = typeof probe.origin === 'string' ? probe.origin : probe.origin.join(', ')
          const seen = (text: string) => text.replaceAll(', ', ',')
          expect(seen(rejections[0]!.message)).toContain(
            seen(JSON.stringify(joined.slice(0, 100)).slice(1, -1)),
          )
        }
      })

      it.each(originProbes)('$name: reflected by origin: true only when well-formed', async (probe) => {
        reflected ??= await build({ origin: true })
        const request = get('/ok', probe.origin)
        const response = await reflected.client(request)
        if (refusedByTransport(request, response)) return
        if (probe.wellFormed) expect(response.headers['access-control-allow-origin']).toBe(probe.origin)
        else expectNothingDisclosed(response)
        expectVary(response, ['origin'])
      })

      it('an empty Origin is no Origin: not CORS, and still Vary: Origin', async () => {
        const { client, rejections } = await build(probePolicy)
        for (const request of [get('/ok', ''), preflight('/ok', '', 'PUT')]) {
          const response = await client(request)
          expect(response.status).toBe(200)
          expect(response.handlerCalled).toBe(true)
          expectNothingDisclosed(response)
          expectVary(response, ['origin'])
        }
        expect(rejections).toEqual([])
      })
    })

    describe('stateful RegExp', () => {
      it.each(statefulRegExps)('refuses a RegExp with $name at construction', async ({ options }) => {
        await expectConstructionFails(options, 'regexp-stateful')
      })

      it('the same origin gets the same answer every time, whatever came before', async () => {
        const policies: CorsOptions[] = [
          { origin: [/^https:\/\/(app|admin)\.example\.com$/i] },
          { origin: ['https://*.example.com'] },
          { origin: (origin) => origin.endsWith('.example.com') },
        ]
        for (const options of policies) {
          const { client } = await build(options)
          const sequence = [trusted, trusted, evil, trusted, 'https://admin.example.com', trusted, evil, evil]
          for (let round = 0; round < 3; round++) {
            for (const origin of sequence) {
              const response = await client(get('/ok', origin))
              expect(response.headers['access-control-allow-origin']).toBe(
                origin === evil ? undefined : origin,
              )
            }
          }
        }
      })

      it('options changed after construction change nothing', async () => {
        const origins = [trusted]
        const methods = ['GET', 'PUT']
        const regexp = /^https:\/\/admin\.example\.com$/
        const options = { origin: [...origins, regexp], methods, exposedHeaders: ['X-A'] }
        const { client } = await build(options)
        origins.push(evil)
        options.origin.push(evil)
        methods.push('DELETE')
        options.exposedHeaders.push('X-Secret')
        regexp.lastIndex = 7
        expectNothingDisclosed(await client(get('/ok', evil)))
        expectRefusedPreflight(await client(preflight('/ok', trusted, 'DELETE')))
        const admin = await client(get('/ok', 'https://admin.example.com'))
        expect(admin.headers['access-control-allow-origin']).toBe('https://admin.example.com')
        expect(admin.headers['access-control-expose-headers']).toBe('x-a')
      })

      it("an origin function's verdict is never reused for the next request", async () => {
        let calls = 0
        const { client } = await build({ origin: () => ++calls % 2 === 1 })
        for (let i = 1; i <= 6; i++) {
          const response = await client(get('/ok', trusted))
          expect(response.headers['access-control-allow-origin']).toBe(i % 2 === 1 ? trusted : undefined)
        }
        expect(calls).toBe(6)
      })

      it('answers stay the same after the bounded caches fill and empty (1100 distinct origins)', async () => {
        const { client } = await build({
          origin: ['https://*.example.com', /^https:\/\/[a-z0-9]+\.example\.org$/],
        })
        const first = await client(get('/ok', 'https://first.example.com'))
        const origins = Array.from({ length: 1100 }, (_, i) =>
          i % 3 === 0
            ? `https://o${i}.example.org`
            : i % 3 === 1
              ? `https://o${i}.example.com`
              : `https://o${i}.evil.net`,
        )
        for (let at = 0; at < origins.length; at += 100) {
          const chunk = origins.slice(at, at + 100)
          const responses = await Promise.all(chunk.map((origin) => client(get('/ok', origin))))
          responses.forEach((response, i) => {
            const origin = chunk[i]!
            expect(response.headers['access-control-allow-origin']).toBe(
              origin.endsWith('.evil.net') ? undefined : origin,
            )
          })
        }
        const again = await client(get('/ok', 'https://first.example.com'))
        expect(corsHeaders(again)).toEqual(corsHeaders(first))
        expectNothingDisclosed(await client(get('/ok', 'https://o2.evil.net')))
      }, 30_000)
    })

    describe('Access-Control-Request-Headers parsing', () => {
      it.each(requestHeadersProbes)('$name: $want', async ({ value, want }) => {
        const { client, rejections } = await build({ origin: trusted })
        const request = preflight('/ok', trusted, 'PUT', value)
        const response = await client(request)
        if (refusedByTransport(request, response)) return
        if (want === 'allowed') {
          expect(response.status).toBe(204)
          expect(response.headers['access-control-allow-origin']).toBe(trusted)
          expect(rejections).toEqual([])
          return
        }
        expectRefusedPreflight(response)
        expect(rejections.map((r) => r.reason)).toEqual([want])
      })

      it('a refused list is never cached as accepted: the next valid list is judged on its own', async () => {
        const { client } = await build({ origin: trusted, allowedHeaders: ['Content-Type', 'X-A'] })
        expectRefusedPreflight(await client(preflight('/ok', trusted, 'PUT', ','.repeat(5000))))
        expectRefusedPreflight(await client(preflight('/ok', trusted, 'PUT', 'x-a, x-b')))
        const fine = await client(preflight('/ok', trusted, 'PUT', 'content-type,x-a'))
        expect(fine.status).toBe(204)
        expect(fine.headers['access-control-allow-headers']).toBe('content-type, x-a')
      })
    })

    describe('header injection', () => {
      const rows = injectionPolicies.flatMap((policy) =>
        injectionProbes.map((probe) => ({
          policy: policy.name,
          options: policy.options,
          probe,
          name: probe.name,
        })),
      )
      const requestsFor = (probe: InjectionProbe): ConformanceRequest[] =>
        probe.header === 'origin'
          ? [get('/ok', probe.value), preflight('/ok', probe.value, 'PUT')]
          : [
              preflight(
                '/ok',
                trusted,
                'PUT',
                probe.header === 'access-control-request-headers' ? probe.value : undefined,
              ),
            ].map((request) => ({ ...request, headers: { ...request.headers, [probe.header]: probe.value } }))

      it.each(rows)(
        '$policy, $probe.header with $name: never reaches a response header',
        async ({ options, probe }) => {
          const { client } = await build(options)
          for (const request of requestsFor(probe)) {
            // The policy itself, with the raw value (as a client without header validation sends it).
            const decision = await createCors(options).decide(corsRequest(request))
            expect(decision.allowed, 'the policy refuses the raw value').toBe(false)
            expect(decision.headers).toEqual({})
            let response: ConformanceResponse
            try {
              response = await client(request)
            } catch (error) {
              // The request API refused to send it (Fetch Headers: TypeError; Node's HTTP client:
              // ERR_INVALID_CHAR): the value never reached the adapter, so it cannot come back.
              const { name, code } = error as { name?: string; code?: string }
              expect(name === 'TypeError' || code === 'ERR_INVALID_CHAR', String(error)).toBe(true)
              continue
            }
            expect(response.status).toBeLessThan(500)
            for (const [name, value] of Object.entries(response.headers)) {
              expect(value, `header ${name}`).toMatch(visibleValue)
              expect(`${name}: ${value}`.toLowerCase(), `header ${name}`).not.toContain(probe.marker)
            }
            expect(response.headers).not.toHaveProperty('set-cookie')
            expect(response.headers).not.toHaveProperty('x-injected')
          }
        },
      )
    })

    describe('cache poisoning (Vary)', () => {
      const policies: readonly { name: string; options: CorsOptions; dependsOnOrigin: boolean }[] = [
        {
          name: 'exact origins with credentials',
          options: { origin: [trusted], credentials: true },
          dependsOnOrigin: true,
        },
        { name: 'a subdomain pattern', options: { origin: 'https://*.example.com' }, dependsOnOrigin: true },
        { name: 'a RegExp', options: { origin: /^https:\/\/app\.example\.com$/ }, dependsOnOrigin: true },
        { name: 'origin: true', options: { origin: true }, dependsOnOrigin: true },
        { name: 'an async function', options: { origin: async (o) => o === trusted }, dependsOnOrigin: true },
        { name: 'origin "*"', options: { origin: '*' }, dependsOnOrigin: false },
      ]
      const withVary = (request: ConformanceRequest, vary: string): ConformanceRequest => ({
        ...request,
        headers: { ...request.headers, vary },
      })
      // [request, the names Vary must hold when the answer depends on the origin, and when it does not]
      const requests: readonly [string, ConformanceRequest, readonly string[], readonly string[]][] = [
        ['an allowed actual request', get('/ok', trusted), ['origin'], []],
        ['a disallowed actual request', get('/ok', 'null'), ['origin'], []],
        ['a request without Origin', get('/ok'), ['origin'], []],
        [
          'an allowed preflight',
          preflight('/ok', trusted, 'PUT', 'x-a'),
          preflightVary,
          preflightVary.slice(1),
        ],
        ['a disallowed preflight', preflight('/ok', 'null', 'PUT'), preflightVary, preflightVary.slice(1)],
        [
          'a preflight refused for its method',
          preflight('/ok', trusted, 'CONNECT'),
          preflightVary,
          preflightVary.slice(1),
        ],
        [
          "the app's Vary, allowed",
          get('/vary', trusted),
          ['accept-encoding', 'origin'],
          ['accept-encoding'],
        ],
        [
          "the app's Vary, disallowed",
          get('/vary', 'null'),
          ['accept-encoding', 'origin'],
          ['accept-encoding'],
        ],
        ["the app's Vary, without Origin", get('/vary'), ['accept-encoding', 'origin'], ['accept-encoding']],
        ["the app's Vary: origin, allowed", get('/vary-origin', trusted), ['origin'], ['origin']],
        ["the app's Vary: origin, disallowed", get('/vary-origin', 'null'), ['origin'], ['origin']],
        ['a 404, disallowed', get('/missing', 'null'), ['origin'], []],
        ['a thrown error, without Origin', get('/throw'), ['origin'], []],
        ['a redirect, disallowed', get('/redirect', 'null'), ['origin'], []],
        ['a request carrying its own Vary', withVary(get('/ok', trusted), 'Cookie, X-Evil'), ['origin'], []],
        [
          'a preflight carrying its own Vary and lists',
          withVary(preflight('/ok', trusted, 'PUT', 'x-evil, vary'), 'X-Evil'),
          preflightVary,
          preflightVary.slice(1),
        ],
      ]
      const rows = policies.flatMap((policy) =>
        requests.map(([name, request, dependent, independent]) => ({
          policy: policy.name,
          options: policy.options,
          name,
          request,
          want: policy.dependsOnOrigin ? dependent : independent,
        })),
      )

      it.each(rows)(
        '$policy, $name: Vary is exactly [$want], twice in a row',
        async ({ options, request, want }) => {
          const { client } = await build(options)
          for (let i = 0; i < 2; i++) {
            expectVary(await client(request), want)
          }
        },
      )
    })

    describe('policy disclosure', () => {
      const secretive: CorsOptions = {
        origin: [trusted],
        credentials: true,
        methods: ['GET', 'PURGE'],
        allowedHeaders: ['X-Secret-Header'],
        exposedHeaders: ['X-Internal-Id'],
        maxAge: 7200,
      }
      const secrets = ['x-secret-header', 'x-internal-id', 'purge', '7200', trusted]
      const outsiders = [
        evil,
        'null',
        `${trusted}.evil.net`,
        'https://app.example.com:443',
        [trusted, evil],
      ] as const
      const requests = outsiders.flatMap((origin) => [
        get('/ok', origin),
        get('/ok', origin, 'POST'),
        get('/missing', origin),
        get('/throw', origin),
        get('/redirect', origin),
        get('/auth', origin),
        get('/ok', origin, 'OPTIONS'),
        preflight('/ok', origin, 'PURGE', 'x-secret-header'),
        preflight('/ok', origin, 'GET'),
        preflight('/missing', origin, 'DELETE', 'authorization'),
      ])

      it.each(requests)('a disallowed origin learns nothing: %j', async (request) => {
        const { client } = await build(secretive)
        const response = await client(request)
        expectNothingDisclosed(response)
        const isPreflight =
          request.method === 'OPTIONS' && request.headers?.['access-control-request-method'] !== undefined
        if (isPreflight) expectRefusedPreflight(response)
        const text = `${JSON.stringify(response.headers)} ${body(response)}`.toLowerCase()
        for (const secret of secrets) expect(text).not.toContain(secret)
      })

      it('an allowed origin refused on the method or a header learns nothing more', async () => {
        const { client } = await build(secretive)
        expectRefusedPreflight(await client(preflight('/ok', trusted, 'DELETE')))
        expectRefusedPreflight(await client(preflight('/ok', trusted, 'GET', 'x-other')))
      })
    })

    describe('origin function failures', () => {
      const secret = 'secret-db-password'
      const failures: readonly { name: string; origin: CorsOptions['origin']; reason: string }[] = [
        {
          name: 'throws an Error',
          origin: () => {
            throw new Error(secret)
          },
          reason: 'origin-check-failed',
        },
        {
          name: 'rejects with an Error',
          origin: async () => Promise.reject(new Error(secret)),
          reason: 'origin-check-failed',
        },
        {
          name: 'rejects with a string',
          origin: () => Promise.reject(secret),
          reason: 'origin-check-failed',
        },
        {
          name: 'rejects with undefined',
          origin: () => Promise.reject(undefined),
          reason: 'origin-check-failed',
        },
        {
          name: 'throws an object without a prototype',
          origin: () => {
            throw Object.assign(Object.create(null) as object, { secret })
          },
          reason: 'origin-check-failed',
        },
        {
          name: 'throws an object whose toString throws the secret',
          origin: () => {
            throw {
              toString() {
                throw new Error(secret)
              },
            }
          },
          reason: 'origin-check-failed',
        },
        {
          name: 'rejects with an Error whose message getter throws the secret',
          origin: async () => {
            throw Object.defineProperty(new Error(), 'message', {
              get() {
                throw new Error(secret)
              },
            })
          },
          reason: 'origin-check-failed',
        },
        {
          name: 'returns a truthy non-boolean',
          origin: () => 'yes' as unknown as boolean,
          reason: 'origin-not-allowed',
        },
        { name: 'resolves to 1', origin: async () => 1 as unknown as boolean, reason: 'origin-not-allowed' },
      ]

      it.each(failures)(
        'a function that $name denies with a reason, never a 500',
        async ({ origin, reason }) => {
          for (const credentials of [false, true]) {
            const { client, rejections } = await build({ origin, credentials } as CorsOptions)
            const actual = await client(get('/ok', trusted))
            expect(actual.status).toBe(200)
            expect(actual.handlerCalled).toBe(true)
            expectNothingDisclosed(actual)
            expect(body(actual)).toBe('ok')
            const refused = await client(preflight('/ok', trusted, 'PUT'))
            expectRefusedPreflight(refused)
            for (const response of [actual, refused]) {
              expect(`${JSON.stringify(response.headers)} ${body(response)}`).not.toContain(secret)
            }
            expect(rejections.map((r) => r.reason)).toEqual([reason, reason])
          }
        },
      )

      it('a never-settling function holds only its own requests: the rest are served meanwhile', async () => {
        const hang = 'https://hang.example'
        const timeouts: ((error: Error) => void)[] = []
        const { client, rejections } = await build({
          origin: (origin) =>
            origin === hang
              ? new Promise<boolean>((_, reject) => timeouts.push(reject))
              : sleep(origin.length % 3).then(() => origin === trusted),
          credentials: true,
        })
        let settled = 0
        const stuck = [get('/ok', hang), preflight('/ok', hang, 'PUT'), get('/missing', hang)].map(
          (request) => client(request).finally(() => settled++),
        )
        const others = Array.from(
          { length: 60 },
          (_, i) =>
            [get('/ok', trusted), get('/ok', evil), preflight('/ok', trusted, 'PUT'), get('/ok')][i % 4]!,
        )
        const served = await Promise.all(others.map((request) => client(request)))
        served.forEach((response, i) => {
          expect(response.status).toBeLessThan(500)
          const origin = others[i]!.headers?.['origin']
          expect(response.headers['access-control-allow-origin']).toBe(
            origin === trusted ? trusted : undefined,
          )
        })
        await sleep(20)
        expect(settled, 'the hanging requests are still waiting').toBe(0)
        expect(timeouts).toHaveLength(3)
        // The documented remedy: a timeout inside the function. Its rejection denies like any failure.
        for (const timeout of timeouts) timeout(new Error('origin lookup timed out'))
        const [actual, refused, missing] = await Promise.all(stuck)
        expect(actual!.status).toBe(200)
        expectNothingDisclosed(actual!)
        expectRefusedPreflight(refused!, false)
        expect(missing!.status).toBe(404)
        expectNothingDisclosed(missing!)
        expect(rejections.filter((r) => r.reason === 'origin-check-failed')).toHaveLength(3)
      })

      it('a never-settling function leaves nothing behind once its requests are abandoned (core)', async () => {
        const policy = createCors<object>({ origin: () => new Promise<boolean>(() => {}) })
        const contexts: WeakRef<object>[] = []
        ;(() => {
          for (let i = 0; i < 200; i++) {
            const context = { request: i, payload: new Array(1000).fill(i) }
            contexts.push(new WeakRef(context))
            void policy.decide(corsRequest(get('/ok', `https://o${i}.example`)), context)
          }
        })()
        await collectGarbage()
        expect(contexts.filter((ref) => ref.deref() !== undefined)).toHaveLength(0)
        // The policy still answers: nothing in it was waiting on the abandoned promises.
        const decision = (await createCors({ origin: async () => true }).decide(
          corsRequest(get('/ok', trusted)),
        )) as CorsDecision
        expect(decision.allowed).toBe(true)
      })
    })

    describeHardening(makeClient, transport)
    describeLoad(makeClient)
  })
}
