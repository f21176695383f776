import type { CorsOptions } from '@cors/core'
import fc from 'fast-check'
import type { ConformanceRequest } from './types.ts'

// fast-check generators for the adversarial properties: valid policies of every shape, and hostile
// requests drawn near their edge. Requests only hold what every request API carries unchanged (no
// CR, LF or NUL, nothing above U+00FF, no whitespace at either end of a value), so the value the
// adapter reads is the value the test decides with; injection has its own table (hostile.ts).

/** A generated policy and origins it allows, to draw requests near its edge. */
export interface Scenario {
  readonly options: CorsOptions
  /** Origins the policy allows (or would, for `false`). */
  readonly samples: readonly string[]
  /** Whether the answer depends on the Origin header (every policy but `'*'` and `false`). */
  readonly dependsOnOrigin: boolean
  readonly credentials: boolean
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/)
const domain = fc.array(label, { minLength: 2, maxLength: 3 }).map((labels) => labels.join('.'))
const scheme = fc.constantFrom('http', 'https')

const exactOrigin = fc.oneof(
  fc
    .record({ scheme, host: domain, port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) })
    .map(({ scheme, host, port }) =>
      port === undefined || port === (scheme === 'http' ? 80 : 443)
        ? `${scheme}://${host}`
        : `${scheme}://${host}:${port}`,
    ),
  fc.constantFrom('http://localhost:3000', 'http://[::1]:8080', 'https://app.example.com'),
)

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** One item of an origin list, with origins it allows. */
const listItem: fc.Arbitrary<{ option: string | RegExp; samples: string[] }> = fc.oneof(
  exactOrigin.map((origin) => ({ option: origin, samples: [origin] })),
  fc.record({ scheme, domain, sub: label }).map(({ scheme, domain, sub }) => ({
    option: `${scheme}://*.${domain}`,
    samples: [`${scheme}://${sub}.${domain}`],
  })),
  fc
    .record({ scheme, host: domain, port: fc.integer({ min: 1024, max: 65535 }) })
    .map(({ scheme, host, port }) => ({
      option: `${scheme}://${host}:*`,
      samples: [`${scheme}://${host}:${port}`],
    })),
  fc
    .record({ scheme, domain, sub: label, ignoreCase: fc.boolean() })
    .map(({ scheme, domain, sub, ignoreCase }) => ({
      option: new RegExp(`^${scheme}:\\/\\/([a-z0-9]+\\.)?${escapeRegExp(domain)}$`, ignoreCase ? 'i' : ''),
      samples: [`${scheme}://${domain}`, `${scheme}://${sub}.${domain}`],
    })),
)

type OriginShape = { option: CorsOptions['origin'] | undefined; samples: string[]; kind: string }

const originOption: fc.Arbitrary<OriginShape> = fc.oneof(
  exactOrigin.map((sample) => ({ option: undefined, samples: [sample], kind: 'any' })),
  exactOrigin.map((sample) => ({ option: '*' as const, samples: [sample], kind: 'any' })),
  exactOrigin.map((sample) => ({ option: true, samples: [sample], kind: 'reflect' })),
  exactOrigin.map((sample) => ({ option: false, samples: [sample], kind: 'disabled' })),
  fc.array(listItem, { minLength: 1, maxLength: 3 }).map((items) => ({
    option: items.length === 1 ? items[0]!.option : items.map((item) => item.option),
    samples: items.flatMap((item) => item.samples),
    kind: 'list',
  })),
  fc
    .record({ allowed: fc.array(exactOrigin, { minLength: 1, maxLength: 3 }), async: fc.boolean() })
    .map(({ allowed, async }) => ({
      option: async
        ? async (origin: string) => allowed.includes(origin)
        : (origin: string) => allowed.includes(origin),
      samples: allowed,
      kind: 'function',
    })),
)

const hasWildcard = (value: unknown) => value === '*' || (Array.isArray(value) && value.includes('*'))

/** Valid policies of every shape: what `createCors` accepts, credentials only where allowed. */
export const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    origin: originOption,
    credentials: fc.boolean(),
    methods: fc.option(fc.oneof(fc.constant('*'), fc.subarray(['GET', 'PUT', 'PATCH', 'DELETE', 'PURGE'])), {
      nil: undefined,
    }),
    allowedHeaders: fc.option(
      fc.oneof(
        fc.constant('*'),
        fc.constant(['*', 'Authorization']),
        fc.subarray(['Content-Type', 'X-Request-Id', 'Authorization', 'X-Custom']),
      ),
      { nil: undefined },
    ),
    exposedHeaders: fc.option(fc.oneof(fc.constant('*'), fc.subarray(['X-Total', 'ETag'])), {
      nil: undefined,
    }),
    maxAge: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }),
    optionsSuccessStatus: fc.option(fc.constantFrom(200, 204, 299), { nil: undefined }),
    preflightContinue: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ origin, credentials: wanted, ...rest }) => {
    const credentials = wanted && origin.kind !== 'any' && origin.kind !== 'reflect'
    const options: Record<string, unknown> = {}
    if (origin.option !== undefined) options.origin = origin.option
    if (credentials) options.credentials = true
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined && !(credentials && hasWildcard(value))) options[key] = value
    }
    return {
      options: options as CorsOptions,
      samples: origin.samples,
      dependsOnOrigin: origin.kind !== 'any' && origin.kind !== 'disabled',
      credentials,
    }
  })

// --- requests -------------------------------------------------------------------------------------

/** Trims what every HTTP layer trims (RFC 9110 OWS), so the adapter reads exactly the value sent. */
const trimOws = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '')

// Printable ASCII, inner spaces and two Latin-1 letters: what every request API sends as it is.
const safeChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constantFrom(' ', 'é', 'ü') },
)
const safeString = fc.string({ unit: safeChar, maxLength: 24 }).map(trimOws)

const mutations: readonly ((origin: string, extra: string) => string)[] = [
  (o) => `${o}/`,
  (o) => `${o}.`,
  (o) => `${o}:443`,
  (o) => `${o}:80`,
  (o) => `${o}:8080`,
  (o) => `${o}:0`,
  (o) => `${o}.evil.net`,
  (o) => `${o}@evil.net`,
  (o) => `${o}, https://evil.example`,
  (o) => o.toUpperCase(),
  (o) => o.replace('://', '://evil-'),
  (o) => o.replace('://', '://user@'),
  (o) => o.replace(/^https?/, (s) => (s === 'http' ? 'https' : 'http')),
  (o) => o.replace(/^[a-z]+:\/\/[a-z0-9]+\./, (s) => s.slice(0, s.indexOf('://') + 3)),
  (o) => o.slice(0, -1),
  (o, extra) => trimOws(o + extra),
  (o, extra) => {
    const at = extra.length % (o.length + 1)
    return trimOws(o.slice(0, at) + extra + o.slice(at))
  },
]

function requestOrigin(samples: readonly string[]): fc.Arbitrary<string | readonly string[] | undefined> {
  const sample = fc.constantFrom(...samples)
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: sample },
    {
      weight: 5,
      arbitrary: fc
        .record({ sample, mutation: fc.constantFrom(...mutations), extra: safeString })
        .map(({ sample, mutation, extra }) => mutation(sample, extra)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'null',
        '*',
        '',
        'https://evil.example',
        'https://bücher.example',
        `https://${'a.'.repeat(1100)}example.com`,
      ),
    },
    { weight: 1, arbitrary: safeString },
    { weight: 1, arbitrary: fc.tuple(sample, sample).map(([a, b]): readonly string[] => [a, b]) },
  )
}

const headerName = fc.oneof(
  fc.constantFrom(
    'content-type',
    'x-request-id',
    'authorization',
    'Authorization',
    'X-Custom',
    'x-total',
    '*',
  ),
  fc.stringMatching(/^[!#$%&'*+.^_`|~0-9a-zA-Z-]{1,10}$/),
)

const requestedHeaders = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 6,
    arbitrary: fc
      .record({
        names: fc.array(headerName, { maxLength: 6 }),
        separator: fc.constantFrom(',', ', ', ' , ', ',,', '\t,'),
      })
      .map(({ names, separator }) => trimOws(names.join(separator))),
  },
  {
    weight: 1,
    arbitrary: fc.array(headerName, { minLength: 1, maxLength: 4 }).map((names): readonly string[] => names),
  },
  {
    weight: 1,
    arbitrary: fc.array(headerName, { minLength: 98, maxLength: 102 }).map((names) => names.join(',')),
  },
  { weight: 1, arbitrary: safeString },
)

const requestedMethod = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'GET',
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
  { weight: 1, arbitrary: safeString },
)

/** Paths of the conformance app whose answer every framework agrees on (types.ts). */
export const propertyPaths: readonly string[] = ['/ok', '/vary', '/vary-origin', '/missing']

/** Requests near the edge of a policy: allowed origins, their mutations, preflights with hostile lists. */
export function request(samples: readonly string[]): fc.Arbitrary<ConformanceRequest> {
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'OPTIONS'),
      path: fc.constantFrom(...propertyPaths),
      origin: requestOrigin(samples),
      acrm: requestedMethod,
      acrh: requestedHeaders,
    })
    .map(({ method, path, origin, acrm, acrh }) => {
      const headers: Record<string, string | readonly string[]> = {}
      if (origin !== undefined) headers['origin'] = origin
      if (acrm !== undefined) headers['access-control-request-method'] = acrm
      if (acrh !== undefined) headers['access-control-request-headers'] = acrh
      return { method, path, headers }
    })
}

/** A policy with a few requests for it, sent one after another to the same application. */
export const scenarioWithRequests: fc.Arbitrary<[Scenario, ConformanceRequest[]]> = scenario.chain((s) =>
  fc.tuple(fc.constant(s), fc.array(request(s.samples), { minLength: 1, maxLength: 3 })),
)
