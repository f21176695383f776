import { describe, expect, it } from 'vitest'
import { diagnoseHar } from './har.ts'
import type { Har, HarEntry } from './har-types.ts'

// DevTools-style entries: a document, then fetches with their preflights (resource type
// "preflight"), failed requests with status 0 and `_error`.
const page = 'https://app.example.com'
const api = 'https://api.example.com'
const h = (record: Record<string, string>) => Object.entries(record).map(([name, value]) => ({ name, value }))

function entry(
  method: string,
  url: string,
  request: Record<string, string>,
  status: number,
  response: Record<string, string> = {},
  extra: Partial<HarEntry['response']> & { type?: string } = {},
): HarEntry {
  const { type, ...more } = extra
  return {
    pageref: 'page_1',
    request: { method, url, headers: h(request) },
    response: { status, headers: h(response), ...more },
    _resourceType: type ?? (method === 'OPTIONS' ? 'preflight' : 'fetch'),
  }
}

const preflight = (url: string, method: string, headers = '') =>
  entry(
    'OPTIONS',
    url,
    {
      Origin: page,
      'Access-Control-Request-Method': method,
      ...(headers === '' ? {} : { 'Access-Control-Request-Headers': headers }),
    },
    204,
    {
      'Access-Control-Allow-Origin': page,
      'Access-Control-Allow-Methods': method,
      'Access-Control-Allow-Headers': headers,
    },
  )

const har = (...entries: HarEntry[]): Har => ({
  log: { entries: [entry('GET', `${page}/`, {}, 200, {}, { type: 'document' }), ...entries] },
})

describe('diagnoseHar', () => {
  it('pairs a preflight with its actual request and judges both', () => {
    const result = diagnoseHar(
      har(
        preflight(`${api}/todos`, 'PUT', 'content-type'),
        entry('PUT', `${api}/todos`, { Origin: page, 'Content-Type': 'application/json' }, 200, {
          'Access-Control-Allow-Origin': page,
          'Content-Type': 'application/json',
        }),
      ),
    )
    expect(result.verdict).toBe('allowed')
    expect(result.requests).toHaveLength(1)
    expect(result.requests[0]).toMatchObject({
      url: `${api}/todos`,
      method: 'PUT',
      verdict: 'allowed',
      failure: null,
    })
    expect(result.requests[0]!.steps.map((step) => `${step.stage}:${step.check}`)).toEqual([
      'preflight:cors-check',
      'preflight:preflight-status',
      'preflight:allow-methods',
      'preflight:allow-headers',
      'actual:cors-check',
      'actual:readable-headers',
    ])
  })

  it('groups the same cause across requests: a preflight answered 401 by the auth middleware', () => {
    const refused = (path: string) => [
      entry('OPTIONS', `${api}${path}`, { Origin: page, 'Access-Control-Request-Method': 'DELETE' }, 401),
      entry('DELETE', `${api}${path}`, {}, 0, {}, { _error: 'net::ERR_FAILED' }),
    ]
    const result = diagnoseHar(
      har(
        ...refused('/a'),
        ...refused('/b'),
        entry('GET', `${api}/c`, { Origin: page }, 200, { 'Access-Control-Allow-Origin': '*' }),
      ),
    )
    expect(result.verdict).toBe('blocked')
    expect(result.requests.map((request) => [request.url, request.verdict])).toEqual([
      [`${api}/a`, 'blocked'],
      [`${api}/b`, 'blocked'],
      [`${api}/c`, 'allowed'],
    ])
    expect(result.groups).toEqual([
      {
        check: 'preflight-refused',
        count: 2,
        hosts: ['api.example.com'],
        fix: expect.stringContaining('before authentication'),
      },
    ])
  })

  it('checks the headers of a response the browser refused to hand over', () => {
    const result = diagnoseHar(
      har(
        entry('GET', `${api}/me`, { Origin: page, Cookie: 'sid=1' }, 200, {
          'Access-Control-Allow-Origin': '*',
        }),
      ),
    )
    expect(result.requests[0]!.failure).toMatchObject({
      stage: 'actual',
      check: 'allow-origin-wildcard-with-credentials',
      chromeError: 'WildcardOriginNotAllowed',
    })
  })

  it('follows a redirect and names the request by the URL the page asked for', () => {
    const result = diagnoseHar(
      har(
        entry('GET', `${api}/old`, { Origin: page }, 302, {
          'Access-Control-Allow-Origin': page,
          Location: 'https://cdn.example.net/new',
        }),
        entry('GET', 'https://cdn.example.net/new', { Origin: 'null' }, 200, {
          'Access-Control-Allow-Origin': page,
        }),
      ),
    )
    expect(result.requests).toHaveLength(1)
    expect(result.requests[0]).toMatchObject({
      url: `${api}/old`,
      verdict: 'blocked',
      failure: { check: 'allow-origin-mismatch', stage: 'actual' },
    })
    expect(result.requests[0]!.steps.find((step) => step.check === 'redirect')?.message).toBe(
      'followed 302 to https://cdn.example.net/new: the browser now sends `Origin: null`',
    )
  })

  it('lists failures that are not CORS as such, and a blocked entry without its response', () => {
    const result = diagnoseHar(
      har(
        entry('GET', `${api}/down`, { Origin: page }, 0, {}, { _error: 'net::ERR_CONNECTION_REFUSED' }),
        entry('GET', `${api}/blocked`, {}, -1, {}, { _failureText: 'net::ERR_FAILED' }),
      ),
    )
    expect(result.requests.map((request) => [request.verdict, request.failure?.check])).toEqual([
      ['error', 'network-error'],
      ['blocked', 'response-not-recorded'],
    ])
    expect(result.requests[1]!.failure?.fix).toContain(`cors-doctor ${api}/blocked --origin ${page}`)
    expect(result.groups.map((group) => group.check)).toEqual(['response-not-recorded'])
  })

  it("infers credentials: 'include' when only they explain the browser's failure", () => {
    const result = diagnoseHar(
      har(
        entry(
          'GET',
          `${api}/me`,
          { Origin: page },
          200,
          { 'Access-Control-Allow-Origin': '*' },
          { _error: 'net::ERR_FAILED' },
        ),
        entry('GET', `${api}/open`, { Origin: page }, 200, { 'Access-Control-Allow-Origin': '*' }),
      ),
    )
    expect(result.requests.map((request) => [request.verdict, request.failure?.check])).toEqual([
      ['blocked', 'allow-origin-wildcard-with-credentials'],
      ['allowed', undefined],
    ])
    expect(result.requests[0]!.steps[0]?.message).toBe(
      "the browser failed this request although its answers pass without credentials: the page sent it with credentials: 'include'",
    )
  })

  it('pairs a preflight recorded after its actual request', () => {
    const result = diagnoseHar(
      har(
        entry('DELETE', `${api}/x`, { Origin: page }, 0, {}, { _error: 'net::ERR_FAILED' }),
        entry('OPTIONS', `${api}/x`, { Origin: page, 'Access-Control-Request-Method': 'DELETE' }, 403),
      ),
    )
    expect(result.requests).toHaveLength(1)
    expect(result.requests[0]).toMatchObject({
      method: 'DELETE',
      failure: { stage: 'preflight', check: 'preflight-refused' },
    })
  })

  it('leaves same-origin requests and no-cors resources out', () => {
    const result = diagnoseHar(
      har(
        entry('GET', `${page}/api/me`, {}, 200),
        entry('GET', 'https://images.example.net/a.png', {}, 200, {}, { type: 'image' }),
      ),
    )
    expect(result).toEqual({ verdict: 'allowed', requests: [], groups: [] })
  })
})
