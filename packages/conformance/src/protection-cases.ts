import type { CorsOptions } from '@cors/core'
import type { ConformanceCase, ConformanceRequest, ConformanceWant } from './types.ts'

// Plain data: the rule of DESIGN.md, "Cross-origin protection", one row per branch, sent to the
// conformance app's `/ok` route (every method answers 200 `ok`). Every request names its Host, as a
// browser always sends it; the request APIs differ in the Host they would otherwise invent.

/** The host every request is sent to. */
export const protectedHost = 'api.test'
const app = 'https://app.example.com'
const evil = 'https://evil.example'

/** A row, plus what `onReject` must have been told when the protection refused it. */
export interface ProtectionCase extends ConformanceCase {
  /** Texts the `cross-origin-request-refused` rejection's message must contain. */
  readonly reported?: readonly string[]
}

export interface ProtectionGroup {
  readonly name: string
  readonly options: CorsOptions
  readonly cases: readonly ProtectionCase[]
}

type Seen = {
  readonly origin?: string | readonly string[]
  readonly site?: string | readonly string[]
  readonly host?: string
  readonly upgrade?: string
} & { readonly [other in `x-${string}` | 'forwarded']?: string | readonly string[] }

/** A request to `/ok` with these Origin, Sec-Fetch-Site, Host (api.test unless given) and Upgrade. */
export function protectedRequest(method: string, seen: Seen = {}): ConformanceRequest {
  const { origin, site, host = protectedHost, upgrade, ...rest } = seen
  const headers: Record<string, string | readonly string[]> = { host }
  if (origin !== undefined) headers.origin = origin
  if (site !== undefined) headers['sec-fetch-site'] = site
  if (upgrade !== undefined) {
    headers.upgrade = upgrade
    headers.connection = 'Upgrade'
  }
  for (const [name, value] of Object.entries(rest)) if (value !== undefined) headers[name] = value
  return { method, path: '/ok', headers }
}

/** Refused by the protection: 403, empty body, no CORS header, the application never ran. */
export const refusedByProtection: ConformanceWant = { status: 403, noCorsHeaders: true, handlerCalled: false }
/** Let through from an origin the policy does not allow: the handler runs, without CORS headers. */
const through: ConformanceWant = { status: 200, noCorsHeaders: true, handlerCalled: true }
/** Let through from the allowed origin, with its CORS headers. */
const allowed: ConformanceWant = {
  status: 200,
  headers: { 'access-control-allow-origin': app },
  handlerCalled: true,
}

const row = (
  name: string,
  request: ConformanceRequest,
  want: ConformanceWant,
  reported?: readonly string[],
): ProtectionCase => (reported === undefined ? { name, request, want } : { name, request, want, reported })

const unsafeMethods = ['POST', 'PUT', 'PATCH', 'DELETE'] as const

/** Every branch of the rule, against a policy that allows one origin. */
function ruleRows(): ProtectionCase[] {
  const rows: ProtectionCase[] = []
  for (const method of unsafeMethods) {
    rows.push(
      row(
        `${method} Sec-Fetch-Site: cross-site from a disallowed origin is refused`,
        protectedRequest(method, { origin: evil, site: 'cross-site' }),
        refusedByProtection,
        ['Sec-Fetch-Site: cross-site', `Origin: ${evil}`],
      ),
      row(
        `${method} Sec-Fetch-Site: cross-site from the allowed origin reaches the handler`,
        protectedRequest(method, { origin: app, site: 'cross-site' }),
        allowed,
      ),
      row(
        `${method} Sec-Fetch-Site: same-origin reaches the handler`,
        protectedRequest(method, { origin: `https://${protectedHost}`, site: 'same-origin' }),
        through,
      ),
      row(
        `${method} without Sec-Fetch-Site from a disallowed origin is refused`,
        protectedRequest(method, { origin: evil }),
        refusedByProtection,
        [`Origin: ${evil}`, `Host: ${protectedHost}`],
      ),
      row(
        `${method} without Sec-Fetch-Site, Origin host equal to Host, reaches the handler`,
        protectedRequest(method, { origin: `http://${protectedHost}` }),
        through,
      ),
      row(
        `${method} without Sec-Fetch-Site or Origin (not a browser) reaches the handler`,
        protectedRequest(method),
        through,
      ),
    )
  }
  for (const method of ['GET', 'HEAD', 'OPTIONS']) {
    rows.push(
      row(
        `${method} Sec-Fetch-Site: cross-site from a disallowed origin reaches the handler (CORS governs reads)`,
        protectedRequest(method, { origin: evil, site: 'cross-site' }),
        { ...through, status: 200 },
      ),
    )
  }
  rows.push(
    row(
      'POST Sec-Fetch-Site: same-site from a disallowed origin is refused',
      protectedRequest('POST', { origin: 'https://blog.api.test', site: 'same-site' }),
      refusedByProtection,
      ['Sec-Fetch-Site: same-site'],
    ),
    row(
      'POST Sec-Fetch-Site: none (a bookmark, the address bar) reaches the handler',
      protectedRequest('POST', { site: 'none' }),
      through,
    ),
    row(
      'POST Sec-Fetch-Site: cross-site without Origin is refused',
      protectedRequest('POST', { site: 'cross-site' }),
      refusedByProtection,
    ),
    row(
      'POST Sec-Fetch-Site with an unknown value is refused unless the origin is allowed',
      protectedRequest('POST', { origin: evil, site: 'cross-origin' }),
      refusedByProtection,
      ['Sec-Fetch-Site: cross-origin'],
    ),
    row(
      'POST Sec-Fetch-Site with an unknown value from the allowed origin reaches the handler',
      protectedRequest('POST', { origin: app, site: 'cross-origin' }),
      allowed,
    ),
    row(
      'POST Sec-Fetch-Site: cross-site with a Host equal to the Origin host is still refused',
      protectedRequest('POST', { origin: evil, site: 'cross-site', host: 'evil.example' }),
      refusedByProtection,
    ),
    row(
      'POST Origin: null with Sec-Fetch-Site: cross-site is refused',
      protectedRequest('POST', { origin: 'null', site: 'cross-site' }),
      refusedByProtection,
      ['Origin: null'],
    ),
    row(
      'POST Origin: null without Sec-Fetch-Site is refused',
      protectedRequest('POST', { origin: 'null' }),
      refusedByProtection,
    ),
    row(
      'POST Origin: null with Sec-Fetch-Site: same-origin reaches the handler',
      protectedRequest('POST', { origin: 'null', site: 'same-origin' }),
      through,
    ),
    row(
      'POST two Origin lines (the allowed one first) without Sec-Fetch-Site is refused',
      protectedRequest('POST', { origin: [app, evil] }),
      refusedByProtection,
    ),
    row(
      'POST without Sec-Fetch-Site, Host with a port equal to the Origin host and port, reaches the handler',
      protectedRequest('POST', { origin: 'http://api.test:8080', host: 'api.test:8080' }),
      through,
    ),
    row(
      'POST without Sec-Fetch-Site, Host with the default port written out, reaches the handler',
      protectedRequest('POST', { origin: 'https://api.test', host: 'api.test:443' }),
      through,
    ),
    row(
      'POST without Sec-Fetch-Site, Origin on another port than Host, is refused',
      protectedRequest('POST', { origin: 'http://api.test:8081', host: 'api.test:8080' }),
      refusedByProtection,
    ),
    row(
      'POST without Sec-Fetch-Site, Host with a port and an Origin without one, is refused',
      protectedRequest('POST', { origin: 'http://api.test', host: 'api.test:8080' }),
      refusedByProtection,
    ),
    row(
      'POST without Sec-Fetch-Site, IPv6 Origin and Host, reaches the handler',
      protectedRequest('POST', { origin: 'http://[::1]:3000', host: '[::1]:3000' }),
      through,
    ),
    row(
      'POST without Sec-Fetch-Site, IPv6 Host on another port, is refused',
      protectedRequest('POST', { origin: 'http://[::1]:3000', host: '[::1]:3001' }),
      refusedByProtection,
    ),
    row(
      'POST without Sec-Fetch-Site, a forwarded host matching the Origin changes nothing',
      protectedRequest('POST', {
        origin: evil,
        'x-forwarded-host': 'evil.example',
        forwarded: 'host=evil.example',
      }),
      refusedByProtection,
    ),
    row(
      'a WebSocket upgrade (GET) from a disallowed origin, Sec-Fetch-Site: cross-site, is refused',
      protectedRequest('GET', { origin: evil, site: 'cross-site', upgrade: 'websocket' }),
      refusedByProtection,
      ['Upgrade: websocket', 'Sec-Fetch-Site: cross-site', `Origin: ${evil}`],
    ),
    row(
      'a WebSocket upgrade from a disallowed origin without Sec-Fetch-Site is refused',
      protectedRequest('GET', { origin: evil, upgrade: 'websocket' }),
      refusedByProtection,
    ),
    row(
      'a WebSocket upgrade from Origin: null is refused',
      protectedRequest('GET', { origin: 'null', upgrade: 'websocket' }),
      refusedByProtection,
    ),
    row(
      'a WebSocket upgrade from the allowed origin reaches the handler',
      protectedRequest('GET', { origin: app, site: 'cross-site', upgrade: 'websocket' }),
      allowed,
    ),
    row(
      'a WebSocket upgrade with Sec-Fetch-Site: same-origin reaches the handler',
      protectedRequest('GET', {
        origin: `https://${protectedHost}`,
        site: 'same-origin',
        upgrade: 'websocket',
      }),
      through,
    ),
    row(
      'a WebSocket upgrade without Sec-Fetch-Site, Origin host equal to Host, reaches the handler',
      protectedRequest('GET', { origin: `http://${protectedHost}`, upgrade: 'websocket' }),
      through,
    ),
    row(
      'a WebSocket upgrade without Origin (not a browser) reaches the handler',
      protectedRequest('GET', { upgrade: 'websocket' }),
      through,
    ),
    row(
      'an upgrade with another method (POST) from a disallowed origin is refused',
      protectedRequest('POST', { origin: evil, site: 'cross-site', upgrade: 'websocket' }),
      refusedByProtection,
    ),
    row(
      'a preflight from the allowed origin is answered as before',
      {
        method: 'OPTIONS',
        path: '/ok',
        headers: {
          host: protectedHost,
          origin: app,
          'access-control-request-method': 'PUT',
          'sec-fetch-site': 'cross-site',
        },
      },
      { status: 204, headers: { 'access-control-allow-origin': app }, handlerCalled: false },
    ),
    row(
      'a preflight from a disallowed origin is refused by CORS as before',
      {
        method: 'OPTIONS',
        path: '/ok',
        headers: {
          host: protectedHost,
          origin: evil,
          'access-control-request-method': 'PUT',
          'sec-fetch-site': 'cross-site',
        },
      },
      refusedByProtection,
    ),
  )
  return rows
}

const crossSitePost = protectedRequest('POST', { origin: evil, site: 'cross-site' })

export const protectionGroups: readonly ProtectionGroup[] = [
  {
    name: 'protection off (the default): a cross-site POST reaches the handler, which is what the option is for',
    options: { origin: [app] },
    cases: [
      row(
        'POST Sec-Fetch-Site: cross-site from a disallowed origin runs the handler',
        crossSitePost,
        through,
      ),
      row(
        'a WebSocket upgrade from a disallowed origin runs the handler',
        protectedRequest('GET', { origin: evil, site: 'cross-site', upgrade: 'websocket' }),
        through,
      ),
    ],
  },
  {
    name: 'crossOriginProtection: true, exact allow-list',
    options: { origin: [app], crossOriginProtection: true },
    cases: ruleRows(),
  },
  {
    name: 'crossOriginProtection: true, an async origin function',
    options: { origin: async (origin: string) => origin === app, crossOriginProtection: true },
    cases: ruleRows(),
  },
  {
    name: 'crossOriginProtection: true, a pattern and a RegExp',
    options: {
      origin: ['https://*.example.com', /^https:\/\/partner\.example$/],
      crossOriginProtection: true,
    },
    cases: [
      row(
        'the pattern allows a subdomain',
        protectedRequest('POST', { origin: app, site: 'cross-site' }),
        allowed,
      ),
      row(
        'the RegExp allows its origin',
        protectedRequest('POST', { origin: 'https://partner.example', site: 'cross-site' }),
        {
          status: 200,
          headers: { 'access-control-allow-origin': 'https://partner.example' },
          handlerCalled: true,
        },
      ),
      row(
        'the pattern never allows the apex',
        protectedRequest('POST', { origin: 'https://example.com', site: 'cross-site' }),
        refusedByProtection,
      ),
      row('anything else is refused', crossSitePost, refusedByProtection),
    ],
  },
  {
    name: 'crossOriginProtection: { reportOnly: true }',
    options: { origin: [app], crossOriginProtection: { reportOnly: true } },
    cases: [
      row('a cross-site POST is reported and reaches the handler', crossSitePost, through, [
        'Sec-Fetch-Site: cross-site',
      ]),
      row(
        'a WebSocket upgrade from a disallowed origin is reported and reaches the handler',
        protectedRequest('GET', { origin: evil, upgrade: 'websocket' }),
        through,
        ['Upgrade: websocket'],
      ),
    ],
  },
  {
    name: 'crossOriginProtection: { bypass } that exempts every request',
    options: { origin: [app], crossOriginProtection: { bypass: () => true } },
    cases: [row('a cross-site POST reaches the handler', crossSitePost, through)],
  },
  {
    name: 'crossOriginProtection: { bypass } that exempts nothing',
    options: { origin: [app], crossOriginProtection: { bypass: () => false } },
    cases: [row('a cross-site POST is refused', crossSitePost, refusedByProtection)],
  },
]

/** Options every adapter refuses at construction, with the issue it reports. */
export const protectionConstructionErrors: readonly {
  readonly name: string
  readonly options: CorsOptions
  readonly option: string
  readonly code: string
}[] = [
  {
    name: "origin: '*'",
    options: { origin: '*', crossOriginProtection: true },
    option: 'crossOriginProtection',
    code: 'protection-without-allow-list',
  },
  {
    name: "no origin (the default '*')",
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
    name: 'a bypass that is not a function',
    options: { origin: [app], crossOriginProtection: { bypass: '/webhooks' as never } },
    option: 'crossOriginProtection.bypass',
    code: 'invalid-type',
  },
]
