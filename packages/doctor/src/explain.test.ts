import { createCors } from '@cors/core'
import { describe, expect, it } from 'vitest'
import { explain } from './explain.ts'

const origin = 'https://app.example.com'

describe('explain', () => {
  it('allows a simple GET and lists what the page can read', async () => {
    const result = await explain(
      { origin, exposedHeaders: ['X-Total-Count'] },
      { origin },
      { headers: { 'Content-Type': 'application/json', 'X-Total-Count': '3', 'X-Secret': 's' } },
    )
    expect(result).toMatchObject({
      verdict: 'allowed',
      preflight: null,
      response: { status: 200 },
      readableHeaders: ['content-type', 'x-total-count'],
      failure: null,
    })
    expect(result.steps.map((step) => step.check)).toEqual([
      'preflight-needed',
      'server-reason',
      'cors-check',
      'readable-headers',
    ])
  })

  it('accepts a policy made with createCors', async () => {
    const policy = createCors({ origin, methods: ['PUT'] })
    expect((await explain(policy, { origin, method: 'PUT' })).verdict).toBe('allowed')
  })

  it.each([
    [
      { origin, methods: ['GET'] },
      { origin, method: 'PUT' },
      'method-not-allowed',
      "send `Access-Control-Allow-Methods: PUT` on the preflight's answer (with @cors/*: add `PUT` to `methods`)",
      'method "PUT" is not allowed (allowed: GET) (method-not-allowed)',
      'MethodDisallowedByPreflightResponse',
    ],
    [
      { origin, allowedHeaders: ['content-type'] },
      { origin, headers: { 'X-Foo': '1' } },
      'header-not-allowed',
      "send `Access-Control-Allow-Headers: x-foo` on the preflight's answer (with @cors/*: add `x-foo` to `allowedHeaders`)",
      'header "x-foo" is not allowed (header-not-allowed)',
      'HeaderDisallowedByPreflightResponse',
    ],
    [
      { origin: '*', allowedHeaders: '*' },
      { origin, headers: { Authorization: 'Bearer x' } },
      'authorization-not-covered',
      '`Access-Control-Allow-Headers` must list `Authorization` by name, next to `*` (with @cors/*: add `Authorization` to `allowedHeaders`)',
      '"*" in allowedHeaders never covers Authorization; list "Authorization" to allow it (authorization-not-covered)',
      'HeaderDisallowedByPreflightResponse',
    ],
    [
      { origin },
      { origin: 'https://evil.example', method: 'DELETE' },
      'allow-origin-missing',
      'send `Access-Control-Allow-Origin: https://evil.example` (with @cors/*: add https://evil.example to the `origin` option)',
      'origin "https://evil.example" is not allowed (origin-not-allowed)',
      'PreflightMissingAllowOriginHeader',
    ],
  ])('names the policy reason: %j %j', async (options, request, check, fix, reason, chrome) => {
    const result = await explain(options, request)
    expect(result.failure).toEqual({
      stage: 'preflight',
      check,
      message: `the server refused the preflight: it answered 403 without any CORS headers (a browser reports only "no Access-Control-Allow-Origin header"); the policy refused it: ${reason}`,
      fix,
      chromeError: chrome,
    })
    expect(result.steps.find((step) => step.check === 'server-reason')).toMatchObject({ ok: false })
  })

  it('blocks the read of an actual request from a refused origin', async () => {
    const result = await explain({ origin }, { origin: 'https://evil.example' })
    expect(result.failure).toEqual({
      stage: 'actual',
      check: 'allow-origin-missing',
      message:
        'the response (status 200) has no Access-Control-Allow-Origin header; the policy refused it: origin "https://evil.example" is not allowed (origin-not-allowed)',
      fix: 'send `Access-Control-Allow-Origin: https://evil.example` (with @cors/*: add https://evil.example to the `origin` option)',
      chromeError: 'MissingAllowOriginHeader',
    })
  })

  it('agrees with the browser where the policy allows and the browser still refuses', async () => {
    // A method allowed by the policy but in the wrong case: the core compares case-sensitively too.
    const result = await explain({ origin, methods: ['PATCH'] }, { origin, method: 'patch' })
    expect(result.failure?.check).toBe('method-not-allowed')
  })

  it('follows an async origin function', async () => {
    const result = await explain(
      { origin: async (o: string) => o === origin, credentials: true },
      { origin, credentials: true },
    )
    expect(result.verdict).toBe('allowed')
  })
})
