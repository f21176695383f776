import type { CorsRejection } from '@cors/core'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { body, expectNothingDisclosed, headerBytes } from './adversarial-support.ts'
import { protectedHost, protectedRequest } from './protection-cases.ts'
import type { AdversarialTransport, ConformanceClient, ConformanceRequest, MakeClient } from './types.ts'

// The adversarial part of the cross-origin protection suite: spoofed and odd header values, and a
// property over random requests checked against a model of the rule written from DESIGN.md alone
// (with the URL parser, not the core's code), through the adapter's own request API.

const app = 'https://app.example.com'
const evil = 'https://evil.example'

/** Requests a browser on another site could make look harmless; every one must be refused. */
export const spoofedRequests: readonly { readonly name: string; readonly request: ConformanceRequest }[] = [
  {
    name: 'X-Forwarded-Host equal to the Origin host',
    request: protectedRequest('POST', { origin: evil, 'x-forwarded-host': 'evil.example' }),
  },
  {
    name: 'Forwarded: host= equal to the Origin host',
    request: protectedRequest('POST', { origin: evil, forwarded: 'host=evil.example;proto=https' }),
  },
  {
    name: 'X-Original-Host and X-Host',
    request: protectedRequest('POST', {
      origin: evil,
      'x-original-host': 'evil.example',
      'x-host': 'evil.example',
    }),
  },
  {
    name: 'Sec-Fetch-Site sent twice (same-origin, cross-site)',
    request: protectedRequest('POST', { origin: evil, site: ['same-origin', 'cross-site'] }),
  },
  {
    name: 'Sec-Fetch-Site: same-origin, cross-site on one line',
    request: protectedRequest('POST', { origin: evil, site: 'same-origin, cross-site' }),
  },
  { name: 'Sec-Fetch-Site: NONE', request: protectedRequest('POST', { origin: evil, site: 'NONE' }) },
  {
    name: 'Sec-Fetch-Site: same_origin',
    request: protectedRequest('POST', { origin: evil, site: 'same_origin' }),
  },
  {
    name: 'Sec-Fetch-Site: same-origin;q=1',
    request: protectedRequest('POST', { origin: evil, site: 'same-origin;q=1' }),
  },
  {
    name: 'Sec-Fetch-Site: "same-origin" (quoted)',
    request: protectedRequest('POST', { origin: evil, site: '"same-origin"' }),
  },
  {
    name: 'an empty Sec-Fetch-Site (no header) and a foreign Origin',
    request: protectedRequest('POST', { origin: evil, site: '' }),
  },
  {
    name: 'Origin with the Host as a prefix (api.test.evil.example)',
    request: protectedRequest('POST', { origin: `https://${protectedHost}.evil.example` }),
  },
  {
    name: 'Origin with userinfo (https://api.test@evil.example)',
    request: protectedRequest('POST', { origin: `https://${protectedHost}@evil.example` }),
  },
  {
    name: 'Origin with a path (https://api.test/)',
    request: protectedRequest('POST', { origin: `https://${protectedHost}/`, host: 'other.test' }),
  },
  {
    name: 'Origin in upper case, Host different',
    request: protectedRequest('POST', { origin: 'HTTPS://EVIL.EXAMPLE', host: 'other.test' }),
  },
  {
    name: 'two Origin lines, the second equal to Host',
    request: protectedRequest('POST', { origin: [evil, `https://${protectedHost}`] }),
  },
  {
    name: 'Origin: null and Host: null',
    request: protectedRequest('POST', { origin: 'null', host: 'null' }),
  },
  {
    name: 'Host with a trailing dot',
    request: protectedRequest('POST', { origin: evil, host: 'evil.example.' }),
  },
  {
    name: 'IPv6 Host without brackets',
    request: protectedRequest('POST', { origin: 'http://[::1]:3000', host: '::1:3000' }),
  },
  {
    name: 'IPv6 Origin and an IPv4 Host',
    request: protectedRequest('POST', { origin: 'http://[::1]:3000', host: '127.0.0.1:3000' }),
  },
  {
    name: 'an upgrade with Upgrade: WebSocket (mixed case)',
    request: protectedRequest('GET', { origin: evil, upgrade: 'WebSocket' }),
  },
  {
    name: 'an upgrade to something else than WebSocket',
    request: protectedRequest('GET', { origin: evil, upgrade: 'h2c' }),
  },
  {
    name: 'an upgrade from a disallowed origin with Sec-Fetch-Site: same-site',
    request: protectedRequest('GET', {
      origin: 'https://a.api.test',
      site: 'same-site',
      upgrade: 'websocket',
    }),
  },
]

// The rule of DESIGN.md, written independently of the core: true when the request must be refused.
function modelRefuses(request: ConformanceRequest): boolean {
  const get = (name: string): string | undefined => {
    const value = request.headers?.[name]
    const joined = value === undefined ? undefined : typeof value === 'string' ? value : value.join(', ')
    return joined === '' ? undefined : joined
  }
  const origin = get('origin')
  const site = get('sec-fetch-site')
  if (origin === app) return false
  const safe = ['GET', 'HEAD', 'OPTIONS'].includes(request.method)
  if (safe && (get('upgrade') === undefined || origin === undefined)) return false
  if (site !== undefined) return site !== 'same-origin' && site !== 'none'
  if (origin === undefined) return false
  return !sameHostModel(origin, get('host'))
}

function sameHostModel(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false
  try {
    const o = new URL(origin)
    if (o.origin !== origin) return false
    return new URL(`${o.protocol}//${host}`).host === o.host
  } catch {
    return false
  }
}

const hosts = [
  'api.test',
  'api.test:8080',
  'api.test:443',
  'API.TEST',
  '[::1]:3000',
  '127.0.0.1:3000',
  'evil.example',
]
const origin = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    app,
    evil,
    'null',
    'http://api.test',
    'https://api.test',
    'http://api.test:8080',
    'https://api.test:8443',
    'http://[::1]:3000',
    'http://127.0.0.1:3000',
    'https://API.TEST',
    'https://api.test/',
    'https://app.example.com.evil.example',
  ),
  fc.constant([app, evil] as const),
  fc.constant([`https://${protectedHost}`, evil] as const),
)
const site = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none', '', 'Same-Origin', 'same-origin, none'),
  fc.stringMatching(/^[a-z][a-z-]{0,15}$/),
  fc.constant(['same-origin', 'cross-site'] as const),
)
const generated = fc
  .record({
    method: fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'),
    origin,
    site,
    host: fc.constantFrom(...hosts),
    upgrade: fc.constantFrom(undefined, 'websocket', 'WebSocket'),
    forwarded: fc.constantFrom(undefined, 'evil.example', 'api.test'),
  })
  .map(({ method, origin, site, host, upgrade, forwarded }) =>
    protectedRequest(method, {
      ...(origin === undefined ? {} : { origin }),
      ...(site === undefined ? {} : { site }),
      ...(upgrade === undefined ? {} : { upgrade }),
      ...(forwarded === undefined ? {} : { 'x-forwarded-host': forwarded }),
      host,
    }),
  )

export function describeProtectionAdversarial(makeClient: MakeClient, transport: AdversarialTransport): void {
  describe('adversarial', () => {
    let client: ConformanceClient
    const rejections: CorsRejection[] = []
    beforeAll(async () => {
      client = await makeClient({
        origin: [app],
        crossOriginProtection: true,
        onReject: (rejection) => rejections.push(rejection),
      })
    })

    const expectRefused = async (request: ConformanceRequest, name: string) => {
      rejections.length = 0
      const response = await client(request)
      if (transport.maxHeaderBytes !== undefined && headerBytes(request) > transport.maxHeaderBytes) return
      expect(response.status, name).toBe(403)
      expect(response.handlerCalled, `${name}: handler called`).toBe(false)
      expectNothingDisclosed(response)
      expect(body(response), 'empty body').toBe('')
      expect(rejections.map((r) => r.reason)).toContain('cross-origin-request-refused')
    }

    it.each(spoofedRequests)('refuses: $name', async ({ name, request }) => {
      await expectRefused(request, name)
    })

    it('refused and let through exactly as the rule says, over random requests (400 runs)', async () => {
      await fc.assert(
        fc.asyncProperty(generated, async (request) => {
          if (modelRefuses(request)) return expectRefused(request, JSON.stringify(request))
          const response = await client(request)
          expect(response.status, JSON.stringify(request)).toBe(200)
          expect(response.handlerCalled).toBe(true)
          if (request.headers?.origin !== app) expectNothingDisclosed(response)
        }),
        { numRuns: 400 },
      )
    })

    it('the same request from the allowed origin always reaches the handler, whatever else it says', async () => {
      await fc.assert(
        fc.asyncProperty(generated, async (request) => {
          const fromApp = { ...request, headers: { ...request.headers, origin: app } }
          const response = await client(fromApp)
          expect(response.status).toBe(200)
          expect(response.handlerCalled).toBe(true)
          expect(response.headers['access-control-allow-origin']).toBe(app)
        }),
        { numRuns: 100 },
      )
    })
  })
}
