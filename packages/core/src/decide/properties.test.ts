import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CorsOptions } from '../config/options.ts'
import type { CorsDecision, CorsRequest } from '../decision.ts'
import { type CorsPolicy, createCors, validateCorsOptions } from './policy.ts'

// Property tests over generated policies and hostile requests. Each policy is generated together with
// a model of the origins it allows (an oracle written independently of the core, on top of WHATWG URL)
// and sample origins it should allow, so requests can be drawn near the edge of the policy.

const numRuns = 4000

type Scheme = 'http' | 'https'

/** One item of an origin list, as the oracle sees it. */
type Item =
  | { readonly kind: 'exact'; readonly origin: string }
  | {
      readonly kind: 'subdomains'
      readonly scheme: Scheme
      readonly domain: string
      readonly anyPort: boolean
    }
  | { readonly kind: 'any-port'; readonly scheme: Scheme; readonly host: string }
  | { readonly kind: 'regexp'; readonly scheme: Scheme; readonly domain: string; readonly regexp: RegExp }

/** The origin option, as the oracle sees it. */
type OriginModel =
  | { readonly kind: 'any' | 'reflect' | 'disabled' }
  | { readonly kind: 'list'; readonly items: readonly Item[] }
  | { readonly kind: 'function'; readonly allowed: readonly string[] }

interface Scenario {
  readonly options: CorsOptions
  readonly model: OriginModel
  readonly credentials: boolean
  /** Origins the policy should allow (empty for `false`). */
  readonly samples: readonly string[]
}

function serializesAsItself(value: string): boolean {
  try {
    return new URL(value).origin === value
  } catch {
    return false
  }
}

/**
 * A serialized tuple origin: what a browser puts in `Origin`. For http(s) and ws(s) this is the URL
 * standard's own serialization. Browsers also send tuple origins for their own schemes
 * (`chrome-extension://id`, `moz-extension://uuid`), which the URL standard calls opaque; for those,
 * the host and port must still serialize as they would under http or https.
 */
function isSerializedOrigin(value: string): boolean {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/s.exec(value)
  if (match === null) return false
  // URL rewrites or refuses hosts that end in a number ("0.0.1" becomes "0.0.0.1"); the core checks
  // their syntax only. No browser sends the non-canonical form, so none can read what is echoed.
  if (/^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9_-]+\.)*(?:[0-9]+|0x[0-9a-f]*)(?::[1-9][0-9]{0,4})?$/.test(value))
    return true
  const [, scheme, rest] = match
  if (scheme === 'http' || scheme === 'https' || scheme === 'ws' || scheme === 'wss')
    return serializesAsItself(value)
  return serializesAsItself(`http://${rest}`) || serializesAsItself(`https://${rest}`)
}

function matchesItem(item: Item, origin: string): boolean {
  if (item.kind === 'exact') return origin === item.origin
  // Patterns and RegExps are generated over letter-only domains, which URL always parses.
  const url = isSerializedOrigin(origin) && URL.canParse(origin) ? new URL(origin) : undefined
  if (url === undefined) return false
  if (url.protocol !== `${item.scheme}:`) return false
  switch (item.kind) {
    case 'subdomains':
      return url.hostname.endsWith(`.${item.domain}`) && (item.anyPort || url.port === '')
    case 'any-port':
      return url.hostname === item.host
    case 'regexp':
      return item.regexp.test(origin)
  }
}

/** Whether the policy lets `origin` read responses, decided without the core. */
function oracleAllows(model: OriginModel, origin: string): boolean {
  switch (model.kind) {
    case 'any':
      return true
    case 'disabled':
      return false
    case 'reflect':
      return isSerializedOrigin(origin)
    case 'list':
      return model.items.some((item) => matchesItem(item, origin))
    case 'function':
      return isSerializedOrigin(origin) && model.allowed.includes(origin)
  }
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

// --- policies -------------------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/)
const domain = fc.array(label, { minLength: 2, maxLength: 3 }).map((labels) => labels.join('.'))
const scheme = fc.constantFrom<Scheme>('http', 'https')
const port = fc.integer({ min: 1, max: 65535 })

const exactOrigin = fc.oneof(
  fc
    .record({ scheme, host: domain, port: fc.option(port, { nil: undefined }) })
    .map(({ scheme, host, port }) =>
      port === undefined || port === (scheme === 'http' ? 80 : 443)
        ? `${scheme}://${host}`
        : `${scheme}://${host}:${port}`,
    ),
  fc.constantFrom(
    'http://localhost:3000',
    'http://127.0.0.1:5173',
    'http://[::1]:8080',
    'https://app.example.com',
  ),
)

const item: fc.Arbitrary<{ item: Item; option: string | RegExp; samples: string[] }> = fc.oneof(
  exactOrigin.map((origin) => ({
    item: { kind: 'exact', origin } as Item,
    option: origin,
    samples: [origin],
  })),
  fc
    .record({ scheme, domain, anyPort: fc.boolean(), sub: label, port })
    .map(({ scheme, domain, anyPort, sub, port }) => ({
      item: { kind: 'subdomains', scheme, domain, anyPort } as Item,
      option: `${scheme}://*.${domain}${anyPort ? ':*' : ''}`,
      samples: [
        `${scheme}://${sub}.${domain}`,
        ...(anyPort ? [`${scheme}://${sub}.x.${domain}:${port}`] : []),
      ],
    })),
  fc
    .record({ scheme, host: fc.oneof(domain, fc.constant('localhost')), port })
    .map(({ scheme, host, port }) => ({
      item: { kind: 'any-port', scheme, host } as Item,
      option: `${scheme}://${host}:*`,
      samples: [`${scheme}://${host}:${port}`, `${scheme}://${host}`],
    })),
  fc
    .record({ scheme, domain, sub: label, ignoreCase: fc.boolean() })
    .map(({ scheme, domain, sub, ignoreCase }) => {
      const regexp = new RegExp(
        `^${scheme}:\\/\\/([a-z0-9]+\\.)?${escapeRegExp(domain)}$`,
        ignoreCase ? 'i' : '',
      )
      return {
        item: { kind: 'regexp', scheme, domain, regexp } as Item,
        option: regexp,
        samples: [`${scheme}://${domain}`, `${scheme}://${sub}.${domain}`],
      }
    }),
)

const origin: fc.Arbitrary<{
  model: OriginModel
  option: CorsOptions['origin'] | undefined
  samples: string[]
}> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ omit: fc.boolean(), sample: exactOrigin }).map(({ omit, sample }) => ({
      model: { kind: 'any' } as OriginModel,
      option: omit ? undefined : ('*' as const),
      samples: [sample],
    })),
  },
  {
    weight: 2,
    arbitrary: exactOrigin.map((sample) => ({
      model: { kind: 'reflect' } as OriginModel,
      option: true,
      samples: [sample],
    })),
  },
  {
    weight: 1,
    arbitrary: exactOrigin.map((sample) => ({
      model: { kind: 'disabled' } as OriginModel,
      option: false,
      samples: [sample],
    })),
  },
  {
    weight: 4,
    arbitrary: fc.array(item, { minLength: 1, maxLength: 4 }).map((items) => ({
      model: { kind: 'list', items: items.map((i) => i.item) } as OriginModel,
      option: items.length === 1 ? items[0]!.option : items.map((i) => i.option),
      samples: items.flatMap((i) => i.samples),
    })),
  },
  {
    weight: 2,
    arbitrary: fc.array(exactOrigin, { minLength: 1, maxLength: 3 }).map((allowed) => ({
      model: { kind: 'function', allowed } as OriginModel,
      option: (value: string) => allowed.includes(value),
      samples: allowed,
    })),
  },
)

const methodsOption = fc.oneof(
  fc.constant('*'),
  fc.subarray(['GET', 'PUT', 'PATCH', 'DELETE', 'PURGE', 'get', 'post']),
  fc.subarray(['PUT', 'PATCH', 'DELETE']).map((names) => names.join(', ')),
)
const allowedHeadersOption = fc.oneof(
  fc.constant('*'),
  fc.constant(['*', 'Authorization']),
  fc.subarray(['Content-Type', 'X-Request-Id', 'Authorization', 'X-Custom']),
  fc.subarray(['content-type', 'x-custom']).map((names) => names.join(',')),
)
const exposedHeadersOption = fc.oneof(fc.constant('*'), fc.subarray(['X-Total', 'ETag', 'Content-Length']))

const hasWildcard = (value: unknown) => value === '*' || (Array.isArray(value) && value.includes('*'))

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    origin,
    credentials: fc.boolean(),
    methods: fc.option(methodsOption, { nil: undefined }),
    allowedHeaders: fc.option(allowedHeadersOption, { nil: undefined }),
    exposedHeaders: fc.option(exposedHeadersOption, { nil: undefined }),
    maxAge: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }),
    optionsSuccessStatus: fc.option(fc.integer({ min: 200, max: 299 }), { nil: undefined }),
    preflightContinue: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ origin, credentials: wanted, ...rest }) => {
    // Credentials need a listed origin and no "*" anywhere: the generator only builds valid policies.
    const credentials = wanted && origin.model.kind !== 'any' && origin.model.kind !== 'reflect'
    const options: Record<string, unknown> = {}
    if (origin.option !== undefined) options.origin = origin.option
    if (credentials) options.credentials = true
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined || (credentials && hasWildcard(value))) continue
      options[key] = value
    }
    return { options: options as CorsOptions, model: origin.model, credentials, samples: origin.samples }
  })

// --- requests -------------------------------------------------------------------------------------

const mutations: readonly ((origin: string, extra: string) => string)[] = [
  (o) => `${o}/`,
  (o) => `${o}/path`,
  (o) => `${o}?q=1`,
  (o) => `${o}#f`,
  (o) => `${o}.`,
  (o) => `${o}:443`,
  (o) => `${o}:80`,
  (o) => `${o}:0`,
  (o) => `${o}:65536`,
  (o) => `${o}:8080`,
  (o) => `${o}.evil.net`,
  (o) => `${o}, https://evil.example`,
  (o) => `${o},${o}`,
  (o) => `${o}\r\nSet-Cookie: a=b`,
  (o) => `${o}\n`,
  (o) => `${o}\u0000`,
  (o) => ` ${o}`,
  (o) => `${o} `,
  (o) => o.toUpperCase(),
  (o) => o.replace('://', '://evil-'),
  (o) => o.replace('://', '://user@'),
  (o) => o.replace(/^https?/, (s) => (s === 'http' ? 'https' : 'http')),
  (o) => o.replace(/^[a-z]+:\/\/[a-z0-9]+\./, (s) => s.slice(0, s.indexOf('://') + 3)),
  (o) => o.slice(0, -1),
  (o, extra) => o + extra,
  (o, extra) => {
    const at = extra.length % (o.length + 1)
    return o.slice(0, at) + extra + o.slice(at)
  },
]

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  fc.constantFrom('\r', '\n', '\u0000', '\u00e9', '\u2028', '\ud83d\ude00', ',', ' ', '\t', '*'),
)

function requestOrigin(samples: readonly string[]): fc.Arbitrary<string | null> {
  const sample = fc.constantFrom(...samples)
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: sample },
    {
      weight: 4,
      arbitrary: fc
        .record({ sample, mutation: fc.constantFrom(...mutations), extra: hostileString })
        .map(({ sample, mutation, extra }) => mutation(sample, extra)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'null',
        '*',
        '',
        'https://evil.example',
        'http://localhost:1',
        'file://',
        'https://[::1]',
        `https://${'a'.repeat(2100)}.example`,
      ),
    },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.tuple(sample, sample).map(([a, b]) => `${a}, ${b}`) },
  )
}

const requestMethod = fc.oneof(
  { weight: 5, arbitrary: fc.constant('OPTIONS') },
  { weight: 5, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'options', 'DELETE') },
)
const requestedMethod = fc.option(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        'GET',
        'HEAD',
        'POST',
        'PUT',
        'PATCH',
        'patch',
        'DELETE',
        'CONNECT',
        'trace',
        'PURGE',
        'get',
      ),
    },
    { weight: 1, arbitrary: hostileString },
  ),
  { nil: null },
)
const headerName = fc.oneof(
  fc.constantFrom(
    'content-type',
    'x-request-id',
    'authorization',
    'Authorization',
    'X-Custom',
    'x-total',
    'cookie',
  ),
  fc.stringMatching(/^[!#$%&'*+.^_`|~0-9a-zA-Z-]{1,12}$/),
)
const requestedHeaders = fc.option(
  fc.oneof(
    fc
      .record({
        names: fc.array(headerName, { maxLength: 8 }),
        separator: fc.constantFrom(',', ', ', ' , ', ',,', '\t,', ', \t'),
      })
      .map(({ names, separator }) => names.join(separator)),
    fc.array(headerName, { minLength: 95, maxLength: 105 }).map((names) => names.join(',')),
    hostileString,
    fc.record({ name: headerName, bad: hostileString }).map(({ name, bad }) => `${name}, ${bad}`),
  ),
  { nil: null },
)

function request(samples: readonly string[]): fc.Arbitrary<CorsRequest> {
  return fc.record({
    method: requestMethod,
    origin: requestOrigin(samples),
    accessControlRequestMethod: requestedMethod,
    accessControlRequestHeaders: requestedHeaders,
  })
}

const scenarioWithRequests = scenario.chain((s) =>
  fc.tuple(fc.constant(s), fc.array(request(s.samples), { minLength: 1, maxLength: 6 })),
)

function decideNow(policy: CorsPolicy, req: CorsRequest): CorsDecision {
  const decision = policy.decide(req)
  if (decision instanceof Promise) throw new Error('a synchronous policy returned a promise')
  return decision
}

const noHeaders = { accessControlRequestMethod: null, accessControlRequestHeaders: null } as const

const corsHeaderNames = new Set([
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
])
const varyNames = new Set(['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'])

// --- properties -----------------------------------------------------------------------------------

describe('properties of every generated policy', () => {
  it('generated policies are valid (the generator only builds what createCors accepts)', () => {
    fc.assert(
      fc.property(scenario, ({ options }) => {
        expect(validateCorsOptions(options)).toEqual([])
      }),
      { numRuns },
    )
  })

  it('a rejected decision never carries a header; an origin the policy does not match never gets an Access-Control-* header, and a request without Origin only gets the "*" of a "*" policy', () => {
    fc.assert(
      fc.property(scenarioWithRequests, ([s, requests]) => {
        const policy = createCors(s.options)
        for (const req of requests) {
          const decision = decideNow(policy, req)
          if (!decision.allowed) {
            expect(decision.headers).toEqual({})
            expect(decision).toMatchObject({ status: 403, respond: decision.kind === 'preflight' })
          }
          // A "*" policy sends Allow-Origin "*" on every response, so a shared cache can serve any of them.
          const everywhere = s.model.kind === 'any' ? ['access-control-allow-origin'] : []
          const names = Object.keys(decision.headers)
          if (decision.kind === 'non-cors') expect(names.slice(0, 1)).toEqual(everywhere)
          else if (req.origin === null || !oracleAllows(s.model, req.origin)) expect(names).toEqual([])
          const allowOrigin = decision.headers['access-control-allow-origin']
          if (names.length > 0) {
            expect(allowOrigin).toBe(s.model.kind === 'any' ? '*' : req.origin)
            expect(allowOrigin).not.toBe('null')
          }
        }
      }),
      { numRuns },
    )
  })

  it('an origin the policy lists is allowed, on actual requests and on plain preflights', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), fc.constantFrom('GET', 'POST', 'DELETE'), (s, pick, method) => {
        const origin = s.samples[pick % s.samples.length]!
        const policy = createCors(s.options)
        const allowOrigin = s.model.kind === 'any' ? '*' : origin
        const actual = decideNow(policy, { ...noHeaders, method, origin })
        const preflight = decideNow(policy, {
          ...noHeaders,
          method: 'OPTIONS',
          origin,
          accessControlRequestMethod: 'GET',
        })
        if (s.model.kind === 'disabled') {
          expect([actual.reason, preflight.reason]).toEqual(['disabled', 'disabled'])
          return
        }
        expect(actual).toMatchObject({ kind: 'actual', allowed: true })
        expect(actual.headers['access-control-allow-origin']).toBe(allowOrigin)
        expect(preflight).toMatchObject({
          kind: 'preflight',
          allowed: true,
          respond: s.options.preflightContinue !== true,
        })
        expect(preflight.headers['access-control-allow-origin']).toBe(allowOrigin)
      }),
      { numRuns },
    )
  })

  it('"*" never appears in Allow-Origin together with Allow-Credentials, and credentials never meet any "*"', () => {
    fc.assert(
      fc.property(scenarioWithRequests, ([s, requests]) => {
        const policy = createCors(s.options)
        for (const req of requests) {
          const { headers, allowed, kind } = decideNow(policy, req)
          if (headers['access-control-allow-origin'] === '*') {
            expect(headers).not.toHaveProperty('access-control-allow-credentials')
          }
          if ('access-control-allow-credentials' in headers) {
            expect(headers['access-control-allow-credentials']).toBe('true')
            expect(s.credentials).toBe(true)
            expect(headers['access-control-allow-origin']).toBe(req.origin)
            expect(headers['access-control-allow-methods']?.split(', ') ?? []).not.toContain('*')
            expect(headers['access-control-expose-headers']?.split(', ') ?? []).not.toContain('*')
            // A "*" in Allow-Headers is read literally with credentials, so it may only be there
            // because the page literally asked for a header named "*" (a valid token).
            const requested = (req.accessControlRequestHeaders ?? '').split(',').map((name) => name.trim())
            if (headers['access-control-allow-headers']?.split(', ').includes('*'))
              expect(requested).toContain('*')
          }
          if (s.credentials && allowed && kind !== 'non-cors') {
            expect(headers['access-control-allow-credentials']).toBe('true')
          }
        }
      }),
      { numRuns },
    )
  })

  it('every header value is a valid, visible value, and every Vary name comes from a fixed set', () => {
    fc.assert(
      fc.property(scenarioWithRequests, ([s, requests]) => {
        const policy = createCors(s.options)
        for (const req of requests) {
          const decision = decideNow(policy, req)
          for (const [name, value] of Object.entries(decision.headers)) {
            expect(corsHeaderNames.has(name)).toBe(true)
            expect(value).toMatch(/^[\x21-\x7e]([\t\x20-\x7e]*[\x21-\x7e])?$/)
          }
          for (const name of decision.vary) expect(varyNames.has(name)).toBe(true)
          expect(new Set(decision.vary).size).toBe(decision.vary.length)
        }
      }),
      { numRuns },
    )
  })

  it('Vary has Origin exactly when the answer depends on the origin (any policy but "*" and false)', () => {
    fc.assert(
      fc.property(scenarioWithRequests, ([s, requests]) => {
        const policy = createCors(s.options)
        const dependsOnOrigin = s.model.kind !== 'any' && s.model.kind !== 'disabled'
        for (const req of requests) {
          const decision = decideNow(policy, req)
          expect(decision.vary.includes('Origin')).toBe(dependsOnOrigin)
          if (decision.kind === 'preflight') {
            expect(decision.vary).toContain('Access-Control-Request-Method')
            expect(decision.vary).toContain('Access-Control-Request-Headers')
          }
        }
      }),
      { numRuns },
    )
  })

  it('the decision for one request never depends on an earlier one', () => {
    fc.assert(
      fc.property(scenarioWithRequests, ([s, requests]) => {
        const shared = createCors(s.options)
        const inSequence = requests.map((req) => decideNow(shared, req))
        const inReverse = [...requests].reverse().map((req) => decideNow(shared, req))
        requests.forEach((req, i) => {
          const alone = decideNow(createCors(s.options), req)
          expect(inSequence[i]).toEqual(alone)
          expect(inReverse[requests.length - 1 - i]).toEqual(alone)
        })
      }),
      { numRuns },
    )
  })
})
