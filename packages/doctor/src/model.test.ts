import { describe, expect, it } from 'vitest'
import { runModel } from './model.ts'
import type { OutgoingRequest, SentResponse } from './types.ts'

const origin = 'https://app.example.com'
const api = 'https://api.example.com/data'

/** A fake server: answers from a function and records what it was sent. */
function server(answer: (request: OutgoingRequest) => SentResponse) {
  const sent: OutgoingRequest[] = []
  return {
    sent,
    send: async (request: OutgoingRequest) => {
      sent.push(request)
      return answer(request)
    },
  }
}

const allowAll = (request: OutgoingRequest): SentResponse => ({
  status: request.preflight ? 204 : 200,
  headers: request.preflight
    ? {
        'access-control-allow-origin': request.headers['origin']!,
        'access-control-allow-methods': request.headers['access-control-request-method']!,
        'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '',
      }
    : { 'access-control-allow-origin': request.headers['origin']!, 'content-type': 'text/plain' },
})

describe('runModel', () => {
  it('sends only the actual request for a simple GET', async () => {
    const s = server(allowAll)
    const result = await runModel(api, { origin }, s.send)
    expect(s.sent).toEqual([
      { url: api, method: 'GET', headers: { accept: '*/*', origin }, credentials: false, preflight: false },
    ])
    expect(result).toMatchObject({
      verdict: 'allowed',
      preflight: null,
      readableHeaders: ['content-type'],
      failure: null,
    })
    expect(result.steps.map((step) => step.check)).toEqual([
      'preflight-needed',
      'cors-check',
      'readable-headers',
    ])
  })

  it('sends the preflight without credentials, then the actual request with them', async () => {
    const s = server((request) => {
      const response = allowAll(request)
      return { ...response, headers: { ...response.headers, 'access-control-allow-credentials': 'true' } }
    })
    const result = await runModel(
      api,
      { origin, method: 'put', headers: { 'X-Foo': '1' }, credentials: true },
      s.send,
    )
    expect(s.sent.map((r) => [r.method, r.credentials, r.headers['access-control-request-headers']])).toEqual(
      [
        ['OPTIONS', false, 'x-foo'],
        ['PUT', true, undefined],
      ],
    )
    expect(result.verdict).toBe('allowed')
    expect(result.steps.map((step) => `${step.stage}:${step.check}`)).toEqual([
      'preflight:preflight-needed',
      'preflight:cors-check',
      'preflight:preflight-status',
      'preflight:allow-methods',
      'preflight:allow-headers',
      'actual:cors-check',
      'actual:readable-headers',
    ])
  })

  it('never sends the actual request after a failed preflight', async () => {
    const s = server(() => ({ status: 403, headers: {} }))
    const result = await runModel(api, { origin, method: 'DELETE' }, s.send)
    expect(s.sent).toHaveLength(1)
    expect(result).toMatchObject({
      verdict: 'blocked',
      preflight: { status: 403, headers: {} },
      response: null,
      readableHeaders: [],
      failure: {
        stage: 'preflight',
        check: 'preflight-refused',
        chromeError: 'PreflightMissingAllowOriginHeader',
      },
    })
  })

  it('notes the headers fetch() drops', async () => {
    const result = await runModel(api, { origin, headers: { Cookie: 'a=1' } }, server(allowAll).send)
    expect(result.steps[0]).toEqual({
      stage: 'preflight',
      check: 'request-headers',
      ok: true,
      message: 'fetch() drops Cookie: a page may never set it, so it is not sent',
    })
  })
})

describe('redirects', () => {
  const hops = (map: Record<string, SentResponse>) =>
    server((request) => map[`${request.method} ${request.url}`] ?? { status: 404, headers: {} })

  it('checks the redirect response too, and taints the origin across origins', async () => {
    const other = 'https://cdn.example.net/file'
    const s = hops({
      [`GET ${api}`]: { status: 302, headers: { location: other, 'access-control-allow-origin': origin } },
      [`GET ${other}`]: { status: 200, headers: { 'access-control-allow-origin': '*' } },
    })
    const result = await runModel(api, { origin }, s.send)
    expect(s.sent.map((r) => r.headers['origin'])).toEqual([origin, 'null'])
    expect(result.verdict).toBe('allowed')
    expect(result.steps.find((step) => step.check === 'redirect')?.message).toBe(
      'followed 302 to https://cdn.example.net/file: the browser now sends `Origin: null`',
    )
  })

  it('blocks a redirect without CORS headers', async () => {
    const s = hops({ [`GET ${api}`]: { status: 301, headers: { location: '/elsewhere' } } })
    const result = await runModel(api, { origin }, s.send)
    expect(result.failure).toMatchObject({ stage: 'actual', check: 'allow-origin-missing' })
    expect(s.sent).toHaveLength(1)
  })

  it('turns POST into GET on 303 and drops the body headers', async () => {
    const next = 'https://api.example.com/done'
    const s = hops({
      [`POST ${api}`]: { status: 303, headers: { location: next, 'access-control-allow-origin': origin } },
      [`GET ${next}`]: { status: 200, headers: { 'access-control-allow-origin': origin } },
    })
    const result = await runModel(
      api,
      { origin, method: 'POST', headers: { 'content-type': 'text/plain' } },
      s.send,
    )
    expect(result.verdict).toBe('allowed')
    expect(s.sent[1]?.headers).toEqual({ accept: '*/*', origin })
  })

  it.each([
    ['https://user:pw@api.example.com/x', 'redirect-credentials'],
    ['ftp://api.example.com/x', 'redirect'],
    ['http://[bad', 'redirect'],
  ])('refuses a redirect to %s', async (location, check) => {
    const s = hops({
      [`GET ${api}`]: { status: 307, headers: { location, 'access-control-allow-origin': origin } },
    })
    expect((await runModel(api, { origin }, s.send)).failure?.check).toBe(check)
  })

  it('stops after 20 redirects', async () => {
    const s = server(() => ({
      status: 302,
      headers: { location: api, 'access-control-allow-origin': origin },
    }))
    const result = await runModel(api, { origin }, s.send)
    expect(result.failure).toEqual({
      stage: 'actual',
      check: 'redirect-limit',
      message: 'more than 20 redirects',
      fix: 'end the redirect chain: it probably loops',
      chromeError: null,
    })
    expect(s.sent).toHaveLength(21)
  })
})

describe('the preflight cache', () => {
  const withMaxAge = (maxAge: string) => (request: OutgoingRequest) => {
    const answer = allowAll(request)
    if (!request.preflight) return answer
    return { ...answer, headers: { ...answer.headers, 'access-control-max-age': maxAge } }
  }

  it.each([
    [
      '86400',
      "the preflight's answer says `Access-Control-Max-Age: 86400`: a browser may reuse it for up to 7200 s (Chromium caps it at 7200 s, 2 hours) without asking again, so a change on the server (a fix included) can look like it did nothing until then; test in a new private window",
    ],
    [
      '600',
      "the preflight's answer says `Access-Control-Max-Age: 600`: a browser may reuse it for up to 600 s without asking again, so a change on the server (a fix included) can look like it did nothing until then; test in a new private window",
    ],
  ])('notes Access-Control-Max-Age: %s after a passing preflight', async (maxAge, message) => {
    const result = await runModel(api, { origin, method: 'PUT' }, server(withMaxAge(maxAge)).send)
    expect(result.steps.filter((step) => step.check === 'preflight-cache')).toEqual([
      { stage: 'preflight', check: 'preflight-cache', ok: true, message },
    ])
  })

  it('says nothing for 0, no header, or a preflight that failed (a browser caches only passing ones)', async () => {
    for (const maxAge of ['0', '-5', 'soon']) {
      const result = await runModel(api, { origin, method: 'PUT' }, server(withMaxAge(maxAge)).send)
      expect(result.steps.some((step) => step.check === 'preflight-cache')).toBe(false)
    }
    const refused = server(() => ({ status: 403, headers: { 'access-control-max-age': '600' } }))
    const result = await runModel(api, { origin, method: 'PUT' }, refused.send)
    expect(result.steps.some((step) => step.check === 'preflight-cache')).toBe(false)
  })
})
