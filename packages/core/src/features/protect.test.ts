import { describe, expect, it, vi } from 'vitest'
import { CorsConfigError } from '../config/errors.ts'
import type { CorsOptions } from '../config/options.ts'
import { createCors } from '../decide/policy.ts'
import { type CorsDecision, type CorsRejection, type CorsRequest, toCorsRequest } from '../decision.ts'
import { corsResponseHeaders } from '../write/owned.ts'
import { sameHost } from './protect.ts'

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const host = 'api.example.com'

type Headers = Readonly<Record<string, string | readonly string[]>>
const request = (method: string, headers: Headers, asked?: string[]): CorsRequest =>
  toCorsRequest(method, (name) => {
    asked?.push(name)
    return headers[name]
  })

const now = (decision: CorsDecision | Promise<CorsDecision>): CorsDecision => {
  if (decision instanceof Promise) throw new Error('expected a synchronous decision')
  return decision
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

const refused = (d: CorsDecision): boolean => d.reason === 'cross-origin-request-refused'

// Every form of allow-list the origin matcher compiles, each allowing app.example.com (and, for the
// pattern, any subdomain of example.com) and nothing else.
const allowLists: readonly {
  name: string
  origin: Exclude<CorsOptions['origin'], undefined | '*' | true>
}[] = [
  { name: 'exact', origin: [app] },
  { name: 'pattern', origin: ['https://*.example.com'] },
  { name: 'RegExp', origin: [/^https:\/\/app\.example\.com$/] },
  { name: 'function', origin: (origin: string) => origin === app },
  { name: 'async function', origin: async (origin: string) => origin === app },
]

// The rule of DESIGN.md, "Cross-origin protection", one row per branch.
const rows: readonly { name: string; method: string; headers: Headers; refused: boolean }[] = [
  // Safe methods: CORS governs them; the protection never refuses them.
  {
    name: 'GET cross-site from a disallowed origin',
    method: 'GET',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', host },
    refused: false,
  },
  {
    name: 'HEAD cross-site',
    method: 'HEAD',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', host },
    refused: false,
  },
  {
    name: 'OPTIONS (not a preflight) cross-site',
    method: 'OPTIONS',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', host },
    refused: false,
  },
  // Sec-Fetch-Site first.
  {
    name: 'POST Sec-Fetch-Site: same-origin',
    method: 'POST',
    headers: { origin: evil, 'sec-fetch-site': 'same-origin', host },
    refused: false,
  },
  {
    name: 'POST Sec-Fetch-Site: none (typed in the address bar, a bookmark)',
    method: 'POST',
    headers: { 'sec-fetch-site': 'none', host },
    refused: false,
  },
  {
    name: 'POST Sec-Fetch-Site: cross-site from a disallowed origin',
    method: 'POST',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', host },
    refused: true,
  },
  {
    name: 'POST Sec-Fetch-Site: same-site from a disallowed origin',
    method: 'POST',
    headers: { origin: 'https://blog.example.net', 'sec-fetch-site': 'same-site', host },
    refused: true,
  },
  {
    name: 'POST Sec-Fetch-Site: cross-site from the allowed origin',
    method: 'POST',
    headers: { origin: app, 'sec-fetch-site': 'cross-site', host },
    refused: false,
  },
  {
    name: 'PUT Sec-Fetch-Site: same-site from the allowed origin',
    method: 'PUT',
    headers: { origin: app, 'sec-fetch-site': 'same-site', host },
    refused: false,
  },
  {
    name: 'DELETE Sec-Fetch-Site: cross-site without Origin',
    method: 'DELETE',
    headers: { 'sec-fetch-site': 'cross-site', host },
    refused: true,
  },
  {
    name: 'PATCH Sec-Fetch-Site with an unknown value',
    method: 'PATCH',
    headers: { origin: evil, 'sec-fetch-site': 'same-origin-ish', host },
    refused: true,
  },
  {
    name: 'POST Sec-Fetch-Site in another case',
    method: 'POST',
    headers: { origin: evil, 'sec-fetch-site': 'Same-Origin', host },
    refused: true,
  },
  {
    name: 'POST two Sec-Fetch-Site lines',
    method: 'POST',
    headers: { origin: evil, 'sec-fetch-site': ['same-origin', 'cross-site'], host },
    refused: true,
  },
  {
    name: 'POST Sec-Fetch-Site: cross-site with Origin equal to Host (spoofed Host does not help)',
    method: 'POST',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', host: 'evil.example' },
    refused: true,
  },
  // Without Sec-Fetch-Site, the Origin.
  {
    name: 'POST without Sec-Fetch-Site or Origin (not a browser)',
    method: 'POST',
    headers: { host },
    refused: false,
  },
  {
    name: 'POST without Sec-Fetch-Site, Origin host equals Host',
    method: 'POST',
    headers: { origin: `https://${host}`, host },
    refused: false,
  },
  {
    name: 'POST without Sec-Fetch-Site, Origin host and port equal Host',
    method: 'POST',
    headers: { origin: 'http://localhost:3000', host: 'localhost:3000' },
    refused: false,
  },
  {
    name: 'POST without Sec-Fetch-Site, Host with the default port written out',
    method: 'POST',
    headers: { origin: `https://${host}`, host: `${host}:443` },
    refused: false,
  },
  {
    name: 'POST without Sec-Fetch-Site, Host in upper case',
    method: 'POST',
    headers: { origin: `https://${host}`, host: host.toUpperCase() },
    refused: false,
  },
  {
    name: 'POST without Sec-Fetch-Site, IPv6 Origin and Host',
    method: 'POST',
    headers: { origin: 'http://[::1]:8080', host: '[::1]:8080' },
    refused: false,
  },
  {
    name: 'POST without Sec-Fetch-Site, IPv6 Host on another port',
    method: 'POST',
    headers: { origin: 'http://[::1]:8080', host: '[::1]:8081' },
    refused: true,
  },
  {
    name: 'POST without Sec-Fetch-Site, Origin on another port than Host',
    method: 'POST',
    headers: { origin: 'http://localhost:3001', host: 'localhost:3000' },
    refused: true,
  },
  {
    name: 'POST without Sec-Fetch-Site, Host with a port, Origin without',
    method: 'POST',
    headers: { origin: 'http://localhost', host: 'localhost:3000' },
    refused: true,
  },
  {
    name: 'POST without Sec-Fetch-Site, Origin host is a suffix of Host',
    method: 'POST',
    headers: { origin: 'https://example.com', host },
    refused: true,
  },
  {
    name: 'POST without Sec-Fetch-Site from the allowed origin',
    method: 'POST',
    headers: { origin: app, host },
    refused: false,
  },
  {
    name: 'POST without Sec-Fetch-Site from a disallowed origin',
    method: 'POST',
    headers: { origin: evil, host },
    refused: true,
  },
  {
    name: 'POST without Sec-Fetch-Site or Host from a disallowed origin',
    method: 'POST',
    headers: { origin: evil },
    refused: true,
  },
  {
    name: 'POST Origin: null (opaque), no Sec-Fetch-Site',
    method: 'POST',
    headers: { origin: 'null', host },
    refused: true,
  },
  {
    name: 'POST Origin: null, Sec-Fetch-Site: cross-site',
    method: 'POST',
    headers: { origin: 'null', 'sec-fetch-site': 'cross-site', host },
    refused: true,
  },
  {
    name: 'POST Origin: null, Sec-Fetch-Site: same-origin',
    method: 'POST',
    headers: { origin: 'null', 'sec-fetch-site': 'same-origin', host },
    refused: false,
  },
  {
    name: 'POST two Origin lines, the allowed one first',
    method: 'POST',
    headers: { origin: [app, evil], host },
    refused: true,
  },
  {
    name: 'POST two Origin lines, both equal to Host',
    method: 'POST',
    headers: { origin: [`https://${host}`, `https://${host}`], host },
    refused: true,
  },
  {
    name: 'a lower-case "post" is not a safe method',
    method: 'post',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', host },
    refused: true,
  },
  {
    name: 'an unknown method is not a safe method',
    method: 'PROPFIND',
    headers: { origin: evil, host },
    refused: true,
  },
  // WebSocket upgrades, whatever their method.
  {
    name: 'GET upgrade cross-site from a disallowed origin',
    method: 'GET',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', upgrade: 'websocket', host },
    refused: true,
  },
  {
    name: 'GET upgrade without Sec-Fetch-Site from a disallowed origin',
    method: 'GET',
    headers: { origin: evil, upgrade: 'websocket', host },
    refused: true,
  },
  {
    name: 'GET upgrade with Upgrade in another case',
    method: 'GET',
    headers: { origin: evil, upgrade: 'WebSocket', host },
    refused: true,
  },
  {
    name: 'GET upgrade from the allowed origin',
    method: 'GET',
    headers: { origin: app, 'sec-fetch-site': 'cross-site', upgrade: 'websocket', host },
    refused: false,
  },
  {
    name: 'GET upgrade Sec-Fetch-Site: same-origin',
    method: 'GET',
    headers: { origin: `https://${host}`, 'sec-fetch-site': 'same-origin', upgrade: 'websocket', host },
    refused: false,
  },
  {
    name: 'GET upgrade without Sec-Fetch-Site, Origin host equals Host',
    method: 'GET',
    headers: { origin: `https://${host}`, upgrade: 'websocket', host },
    refused: false,
  },
  {
    name: 'GET upgrade without Origin (not a browser)',
    method: 'GET',
    headers: { upgrade: 'websocket', host },
    refused: false,
  },
  {
    name: 'GET upgrade Origin: null',
    method: 'GET',
    headers: { origin: 'null', upgrade: 'websocket', host },
    refused: true,
  },
  {
    name: 'HEAD upgrade cross-site',
    method: 'HEAD',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', upgrade: 'websocket', host },
    refused: true,
  },
  {
    name: 'POST upgrade cross-site',
    method: 'POST',
    headers: { origin: evil, 'sec-fetch-site': 'cross-site', upgrade: 'websocket', host },
    refused: true,
  },
]

describe('crossOriginProtection: the rule', () => {
  for (const list of allowLists) {
    describe(`origin: ${list.name}`, () => {
      const policy = createCors({ origin: list.origin, crossOriginProtection: true, onReject: () => {} })
      it.each(rows)('$name: refused $refused', async (row) => {
        const decision = await policy.decide(request(row.method, row.headers))
        expect(refused(decision)).toBe(row.refused)
        if (!row.refused) expect(decision.respond).toBe(false)
      })
    })
  }

  it('a pattern allows every origin it matches, and only those', async () => {
    const policy = createCors({ origin: ['https://*.example.com'], crossOriginProtection: true })
    const from = (origin: string) =>
      policy.decide(request('POST', { origin, 'sec-fetch-site': 'cross-site', host }))
    expect(refused(await from('https://admin.example.com'))).toBe(false)
    expect(refused(await from('https://a.b.example.com'))).toBe(false)
    expect(refused(await from('https://example.com'))).toBe(true)
    expect(refused(await from('https://example.com.evil.example'))).toBe(true)
  })

  it('with origin: false nothing is allowed cross-origin, and same-origin requests pass', () => {
    const policy = createCors({ origin: false, crossOriginProtection: true })
    expect(
      refused(now(policy.decide(request('POST', { origin: app, 'sec-fetch-site': 'cross-site' })))),
    ).toBe(true)
    expect(
      refused(now(policy.decide(request('POST', { origin: app, 'sec-fetch-site': 'same-origin' })))),
    ).toBe(false)
    expect(refused(now(policy.decide(request('POST', { origin: `https://${host}`, host }))))).toBe(false)
    expect(refused(now(policy.decide(request('GET', { origin: evil, upgrade: 'websocket', host }))))).toBe(
      true,
    )
  })

  it('a request built without a header getter has no Sec-Fetch-Site, Host or Upgrade', () => {
    const policy = createCors({ origin: [app], crossOriginProtection: true })
    const bare = (method: string, origin: string | null): CorsRequest => ({
      method,
      origin,
      accessControlRequestMethod: null,
      accessControlRequestHeaders: null,
    })
    expect(refused(now(policy.decide(bare('POST', evil))))).toBe(true)
    expect(refused(now(policy.decide(bare('POST', app))))).toBe(false)
    expect(refused(now(policy.decide(bare('POST', null))))).toBe(false)
    expect(refused(now(policy.decide(bare('GET', evil))))).toBe(false)
  })

  it('reads the host from :authority when there is no Host (HTTP/2), and survives a getter that throws on it', () => {
    const policy = createCors({ origin: [app], crossOriginProtection: true })
    const h2 = request('POST', { origin: `https://${host}`, ':authority': host })
    expect(refused(now(policy.decide(h2)))).toBe(false)
    const fetchLike = toCorsRequest('POST', (name) => {
      if (name.startsWith(':')) throw new TypeError(`"${name}" is an invalid header name`)
      return name === 'origin' ? `https://${host}` : null
    })
    expect(refused(now(policy.decide(fetchLike)))).toBe(true)
  })
})

describe('crossOriginProtection: the refusal', () => {
  it('is a frozen 403 answered before the application, with no CORS header and every CORS header removed', () => {
    const rejections: CorsRejection[] = []
    const policy = createCors({
      origin: [app],
      crossOriginProtection: true,
      onReject: (r) => rejections.push(r),
    })
    const decision = now(
      policy.decide(request('POST', { origin: evil, 'sec-fetch-site': 'cross-site', host })),
    )
    expect(decision).toMatchObject({
      kind: 'actual',
      allowed: false,
      respond: true,
      status: 403,
      headers: {},
      vary: ['Origin'],
      unset: corsResponseHeaders,
      reason: 'cross-origin-request-refused',
    })
    expect(Object.isFrozen(decision)).toBe(true)
    expect(decision.message).toContain('Sec-Fetch-Site: cross-site')
    expect(decision.message).toContain(`Origin: ${evil}`)
    // The CORS decision's own rejection first, then the protection's.
    expect(rejections.map((r) => r.reason)).toEqual(['origin-not-allowed', 'cross-origin-request-refused'])
    expect(rejections[1]).toBe(decision)
  })

  it.each([
    [
      { origin: evil, host },
      `POST request refused: no Sec-Fetch-Site, Origin: ${evil}, which the policy does not allow, and it does not match Host: ${host}`,
    ],
    [{ origin: evil }, 'and it does not match no Host'],
    [
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      'Sec-Fetch-Site: cross-site and Origin: null (an opaque origin',
    ],
    [{ 'sec-fetch-site': 'cross-site' }, 'Sec-Fetch-Site: cross-site and no Origin'],
    [{ origin: evil, 'sec-fetch-site': 'cross site\n' }, 'Sec-Fetch-Site: "cross site\\n"'],
    [{ origin: evil, upgrade: 'websocket', host }, 'cross-origin upgrade (Upgrade: websocket) refused'],
  ])('names what it saw: %j', (headers, text) => {
    const policy = createCors({ origin: [app], crossOriginProtection: true })
    const method = 'upgrade' in headers ? 'GET' : 'POST'
    expect(now(policy.decide(request(method, headers))).message).toContain(text)
  })

  it('an async origin function is awaited before the rule runs', async () => {
    const policy = createCors({ origin: async (o) => o === app, crossOriginProtection: true })
    const pending = policy.decide(request('POST', { origin: evil, 'sec-fetch-site': 'cross-site' }))
    expect(pending).toBeInstanceOf(Promise)
    expect((await pending).reason).toBe('cross-origin-request-refused')
    expect(
      (await policy.decide(request('POST', { origin: app, 'sec-fetch-site': 'cross-site' }))).reason,
    ).toBe('allowed')
  })

  it('an origin function that throws allows nothing, and the request is refused', async () => {
    const policy = createCors({
      origin: () => {
        throw new Error('down')
      },
      crossOriginProtection: true,
    })
    const decision = now(policy.decide(request('POST', { origin: app, 'sec-fetch-site': 'cross-site' })))
    expect(decision.reason).toBe('cross-origin-request-refused')
  })
})

describe('crossOriginProtection: what it reads', () => {
  const policy = createCors({ origin: [app], crossOriginProtection: true, onReject: () => {} })
  it.each([
    { name: 'GET without Origin', method: 'GET', headers: {}, want: ['origin'] },
    { name: 'GET from the allowed origin', method: 'GET', headers: { origin: app }, want: ['origin'] },
    { name: 'POST from the allowed origin', method: 'POST', headers: { origin: app }, want: ['origin'] },
    {
      name: 'GET from a disallowed origin: whether it is an upgrade',
      method: 'GET',
      headers: { origin: evil },
      want: ['origin', 'upgrade'],
    },
    {
      name: 'POST with Sec-Fetch-Site',
      method: 'POST',
      headers: { origin: evil, 'sec-fetch-site': 'same-origin' },
      want: ['origin', 'sec-fetch-site'],
    },
    {
      name: 'POST without Sec-Fetch-Site',
      method: 'POST',
      headers: { origin: evil, host },
      want: ['origin', 'sec-fetch-site', 'host'],
    },
  ])('$name: $want', ({ method, headers, want }) => {
    const asked: string[] = []
    now(policy.decide(request(method, headers, asked)))
    expect(asked).toEqual(want)
  })

  it('without the option, nothing but the CORS headers is read', () => {
    const asked: string[] = []
    now(createCors({ origin: [app] }).decide(request('POST', { origin: evil }, asked)))
    expect(asked).toEqual(['origin'])
  })
})

describe('crossOriginProtection: reportOnly and bypass', () => {
  it('reportOnly reports the same refusal and returns the CORS decision', () => {
    const rejections: CorsRejection[] = []
    const policy = createCors({
      origin: [app],
      crossOriginProtection: { reportOnly: true },
      onReject: (r) => rejections.push(r),
    })
    const decision = now(policy.decide(request('POST', { origin: evil, 'sec-fetch-site': 'cross-site' })))
    expect(decision).toMatchObject({ reason: 'origin-not-allowed', respond: false })
    expect(rejections.map((r) => r.reason)).toEqual(['origin-not-allowed', 'cross-origin-request-refused'])
    expect(rejections[1]).toMatchObject({ respond: true, status: 403 })
    const allowed = now(policy.decide(request('POST', { origin: app, 'sec-fetch-site': 'cross-site' })))
    expect(allowed.reason).toBe('allowed')
    expect(rejections).toHaveLength(2)
  })

  it('bypass receives the context, is asked only for a request it would refuse, and exempts it', () => {
    const bypass = vi.fn((context: { path: string }) => context.path.startsWith('/webhooks/'))
    const rejections: CorsRejection[] = []
    const policy = createCors<{ path: string }>({
      origin: [app],
      crossOriginProtection: { bypass },
      onReject: (r) => rejections.push(r),
    })
    const post = (origin: string, path: string) =>
      now(policy.decide(request('POST', { origin, 'sec-fetch-site': 'cross-site' }), { path }))
    expect(post(evil, '/webhooks/stripe').reason).toBe('origin-not-allowed')
    expect(post(evil, '/account').reason).toBe('cross-origin-request-refused')
    expect(post(app, '/account').reason).toBe('allowed')
    expect(bypass.mock.calls.map(([context]) => context.path)).toEqual(['/webhooks/stripe', '/account'])
    expect(rejections.map((r) => r.reason)).toEqual([
      'origin-not-allowed',
      'origin-not-allowed',
      'cross-origin-request-refused',
    ])
  })

  it('only true exempts, and a bypass that throws exempts nothing (the error is in the message)', () => {
    for (const [result, reason] of [
      [1, 'cross-origin-request-refused'],
      ['yes', 'cross-origin-request-refused'],
      [true, 'origin-not-allowed'],
    ] as const) {
      const policy = createCors({ origin: [app], crossOriginProtection: { bypass: () => result as boolean } })
      expect(now(policy.decide(request('POST', { origin: evil }))).reason).toBe(reason)
    }
    const policy = createCors({
      origin: [app],
      crossOriginProtection: {
        bypass: () => {
          throw new Error('no route')
        },
      },
    })
    const decision = now(policy.decide(request('POST', { origin: evil })))
    expect(decision.reason).toBe('cross-origin-request-refused')
    expect(decision.message).toContain('bypass threw: Error: no route')
  })
})

describe('crossOriginProtection: construction', () => {
  it.each([
    {
      name: "origin: '*'",
      options: { origin: '*', crossOriginProtection: true },
      option: 'crossOriginProtection',
      code: 'protection-without-allow-list',
    },
    {
      name: 'origin omitted (the default "*")',
      options: { crossOriginProtection: true },
      option: 'crossOriginProtection',
      code: 'protection-without-allow-list',
    },
    {
      name: 'origin: true',
      options: { origin: true, crossOriginProtection: { reportOnly: true } },
      option: 'crossOriginProtection',
      code: 'protection-without-allow-list',
    },
    {
      name: 'a non-function bypass',
      options: { origin: [app], crossOriginProtection: { bypass: '/webhooks' } },
      option: 'crossOriginProtection.bypass',
      code: 'invalid-type',
    },
    {
      name: 'a non-boolean reportOnly',
      options: { origin: [app], crossOriginProtection: { reportOnly: 'yes' } },
      option: 'crossOriginProtection.reportOnly',
      code: 'invalid-type',
    },
    {
      name: 'an unknown key',
      options: { origin: [app], crossOriginProtection: { reportonly: true } },
      option: 'crossOriginProtection.reportonly',
      code: 'unknown-option',
    },
    {
      name: 'a string',
      options: { origin: [app], crossOriginProtection: 'on' },
      option: 'crossOriginProtection',
      code: 'invalid-type',
    },
  ])('refuses $name, with a fix', ({ options, option, code }) => {
    const error = configError(() => createCors(options as CorsOptions))
    const issue = error.issues.find((i) => i.option === option)
    expect(issue).toMatchObject({ code })
    expect(issue!.hint.length).toBeGreaterThan(10)
  })

  it('false, or the option left out, adds nothing to the decider', () => {
    for (const crossOriginProtection of [false, undefined]) {
      const policy = createCors({
        origin: [app],
        ...(crossOriginProtection === false ? { crossOriginProtection } : {}),
      })
      expect(
        now(policy.decide(request('POST', { origin: evil, 'sec-fetch-site': 'cross-site' }))).reason,
      ).toBe('origin-not-allowed')
    }
  })

  it('extend turns it on or off for one part of an application (a Fastify route)', () => {
    const root = createCors({ origin: [app], crossOriginProtection: true })
    const off = root.extend({ crossOriginProtection: false })
    const webhook = createCors({ origin: [app] }).extend({ crossOriginProtection: true })
    const post = request('POST', { origin: evil, 'sec-fetch-site': 'cross-site' })
    expect(now(root.decide(post)).reason).toBe('cross-origin-request-refused')
    expect(now(off.decide(post)).reason).toBe('origin-not-allowed')
    expect(now(webhook.decide(post)).reason).toBe('cross-origin-request-refused')
  })

  it('update can turn it on and off', () => {
    const policy = createCors({ origin: [app] })
    const post = request('POST', { origin: evil, 'sec-fetch-site': 'cross-site' })
    expect(now(policy.decide(post)).reason).toBe('origin-not-allowed')
    policy.update({ origin: [app], crossOriginProtection: true })
    expect(now(policy.decide(post)).reason).toBe('cross-origin-request-refused')
  })

  it('a shadow with protection reports the requests it would refuse; the response stays the enforced one', () => {
    const messages: string[] = []
    const policy = createCors({
      origin: [app],
      shadow: { origin: [app], crossOriginProtection: true },
      onShadow: (d) => messages.push(d.message),
    })
    const decision = now(policy.decide(request('POST', { origin: evil, 'sec-fetch-site': 'cross-site' })))
    expect(decision.reason).toBe('origin-not-allowed')
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain('differently')
  })

  it('debug leaves the refusal alone', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const policy = createCors({ origin: [app], crossOriginProtection: true, debug: true })
    const decision = now(policy.decide(request('POST', { origin: evil, 'sec-fetch-site': 'cross-site' })))
    expect(decision).toMatchObject({ reason: 'cross-origin-request-refused', status: 403, respond: true })
    expect(warn.mock.calls.map(([m]) => m)).toEqual([
      expect.stringContaining('origin-not-allowed'),
      expect.stringContaining('cross-origin-request-refused'),
    ])
    warn.mockRestore()
  })
})

describe('sameHost', () => {
  it.each([
    ['https://a.example', 'a.example', true],
    ['https://a.example', 'a.example:443', true],
    ['http://a.example', 'a.example:80', true],
    ['http://a.example', 'a.example:443', false],
    ['https://a.example:8443', 'a.example:8443', true],
    ['https://a.example:8443', 'a.example', false],
    ['http://[::1]', '[::1]', true],
    ['http://[::1]:3000', '[::1]:3000', true],
    ['http://[::1]:3000', '::1:3000', false],
    ['http://127.0.0.1:3000', '127.0.0.1:3000', true],
    ['https://a.example', 'A.EXAMPLE', true],
    ['https://a.example', 'a.example.', false],
    ['https://a.example', null, false],
    ['null', 'null', false],
    ['https://a.example, https://a.example', 'a.example', false],
  ] as const)('%s vs Host %s: %s', (origin, hostValue, want) => {
    expect(sameHost(origin, hostValue)).toBe(want)
  })
})
