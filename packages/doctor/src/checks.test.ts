import { describe, expect, it } from 'vitest'
import { corsCheck } from './cors-check.ts'
import { preflightChecks, preflightRedirect, preflightStatus } from './preflight-checks.ts'
import { readableHeaders, readableStep } from './readable.ts'
import type { DoctorResponse } from './types.ts'

const origin = 'https://app.example.com'
const res = (headers: Record<string, string>, status = 200): DoctorResponse => ({ status, headers })
const acao = (value: string, more: Record<string, string> = {}) =>
  res({ 'access-control-allow-origin': value, ...more })
const failed = (check: string, message: string, fix: string) => ({ check, ok: false, message, fix })
const passed = (check: string, message: string) => ({ check, ok: true, message, fix: '' })

describe('corsCheck', () => {
  const plain = { origin, credentials: false }
  const withCookies = { origin, credentials: true }
  it.each([
    [
      res({}),
      plain,
      false,
      failed(
        'allow-origin-missing',
        'the response (status 200) has no Access-Control-Allow-Origin header',
        'send `Access-Control-Allow-Origin: https://app.example.com` on the response (with @cors/*: add https://app.example.com to the `origin` option)',
      ),
    ],
    [
      res({}, 401),
      plain,
      true,
      failed(
        'preflight-refused',
        'the server refused the preflight: it answered 401 without any CORS headers (a browser reports only "no Access-Control-Allow-Origin header")',
        'answer OPTIONS preflights with 204 and the Access-Control-Allow-* headers before authentication (this one got 401): a preflight never carries cookies or Authorization (with @cors/*: register the CORS middleware before the authentication middleware)',
      ),
    ],
    [
      res({}),
      { origin: 'null', credentials: false },
      false,
      failed(
        'allow-origin-missing',
        'the response (status 200) has no Access-Control-Allow-Origin header; after a redirect to another origin the browser sends `Origin: null`',
        'redirect to the final URL from the page itself, or send `Access-Control-Allow-Origin: *` (without credentials) on the target',
      ),
    ],
    [
      acao(`${origin}, https://other.example`),
      plain,
      false,
      failed(
        'allow-origin-multiple',
        'the server sent `Access-Control-Allow-Origin: https://app.example.com, https://other.example`: several values, but a browser accepts exactly one',
        "send Access-Control-Allow-Origin once, with the single value https://app.example.com: two layers add it. Turn off the Function URL's / API Gateway's own CORS setting or the code's (or the proxy's, or the application's)",
      ),
    ],
    [
      acao('*', { 'access-control-allow-credentials': 'true' }),
      withCookies,
      false,
      failed(
        'allow-origin-wildcard-with-credentials',
        'the server sent `Access-Control-Allow-Origin: *` but the request has credentials',
        'send the origin itself (`Access-Control-Allow-Origin: https://app.example.com`) and `Access-Control-Allow-Credentials: true` (with @cors/*: list the origins in `origin` and set `credentials: true`)',
      ),
    ],
    [
      acao(`${origin}/`),
      plain,
      false,
      failed(
        'allow-origin-mismatch',
        "the server sent `Access-Control-Allow-Origin: https://app.example.com/` but the page's origin is https://app.example.com; they must be equal byte for byte",
        'remove the trailing slash: send `Access-Control-Allow-Origin: https://app.example.com`',
      ),
    ],
    [
      acao('https://App.example.com'),
      plain,
      false,
      failed(
        'allow-origin-mismatch',
        "the server sent `Access-Control-Allow-Origin: https://App.example.com` but the page's origin is https://app.example.com; they must be equal byte for byte",
        'write the origin as the browser does, in lower case: `Access-Control-Allow-Origin: https://app.example.com`',
      ),
    ],
    [
      acao('https://evil.example'),
      plain,
      false,
      failed(
        'allow-origin-mismatch',
        "the server sent `Access-Control-Allow-Origin: https://evil.example` but the page's origin is https://app.example.com; they must be equal byte for byte",
        'send `Access-Control-Allow-Origin: https://app.example.com` for this origin (with @cors/*: add https://app.example.com to the `origin` option)',
      ),
    ],
    [
      acao(origin),
      withCookies,
      false,
      failed(
        'allow-credentials-missing',
        'the request has credentials but the server sent no Access-Control-Allow-Credentials header; it must be exactly `true`',
        'send `Access-Control-Allow-Credentials: true` (with @cors/*: `credentials: true`)',
      ),
    ],
    [
      acao(origin, { 'access-control-allow-credentials': 'True' }),
      withCookies,
      false,
      failed(
        'allow-credentials-missing',
        'the request has credentials but the server sent `Access-Control-Allow-Credentials: True`; it must be exactly `true`',
        'send `Access-Control-Allow-Credentials: true` (with @cors/*: `credentials: true`)',
      ),
    ],
    [
      acao('*'),
      plain,
      false,
      passed('cors-check', 'the server sent `Access-Control-Allow-Origin: *`: any origin may read'),
    ],
    [
      acao(origin),
      plain,
      false,
      passed(
        'cors-check',
        "the server sent `Access-Control-Allow-Origin: https://app.example.com`, the page's origin",
      ),
    ],
    [
      acao(origin, { 'access-control-allow-credentials': 'true' }),
      withCookies,
      false,
      passed(
        'cors-check',
        "the server sent `Access-Control-Allow-Origin: https://app.example.com`, the page's origin, and `Access-Control-Allow-Credentials: true`",
      ),
    ],
  ])('%j %j', (response, request, preflight, want) => {
    expect(corsCheck(response, request, preflight)).toEqual(want)
  })
})

describe('preflight status and redirect', () => {
  it.each([
    [
      401,
      'answer OPTIONS preflights with 204 and the Access-Control-Allow-* headers before authentication (this one got 401): a preflight never carries cookies or Authorization (with @cors/*: register the CORS middleware before the authentication middleware)',
    ],
    [
      404,
      'the server has no OPTIONS route at this path (it answered 404): answer OPTIONS preflights with 204 and the Access-Control-Allow-* headers, from an OPTIONS route or a middleware that runs before routing (with @cors/*: register the CORS middleware for every path, before the routes)',
    ],
    [
      500,
      'the server failed on OPTIONS (500): answer OPTIONS preflights with 204 and the Access-Control-Allow-* headers before the handler runs; its logs say why',
    ],
    [100, 'answer OPTIONS preflights with 204 and the Access-Control-Allow-* headers (this one got 100)'],
  ])('preflight-status for %i', (status, fix) => {
    expect(preflightStatus(res({}, status))).toEqual(
      failed('preflight-status', `the preflight was answered ${status}; a browser needs a 2xx status`, fix),
    )
  })

  it('passes any 2xx', () => {
    expect(preflightStatus(res({}, 204))).toEqual(
      passed('preflight-status', 'the preflight was answered 204, an ok status'),
    )
  })

  it('refuses a redirected preflight', () => {
    expect(preflightRedirect(res({ location: '/login' }, 302))).toEqual(
      failed(
        'preflight-redirect',
        'the preflight was answered 302 (a redirect to /login); a browser never follows a redirect on a preflight',
        'answer OPTIONS at this URL itself (2xx with the CORS headers), before any redirect; or have the page call the final URL',
      ),
    )
    expect(preflightRedirect(res({}, 204))).toBeNull()
  })
})

describe('preflightChecks (methods and headers)', () => {
  const methods = (value: string) => res({ 'access-control-allow-methods': value }, 204)
  const headers = (value: string) => res({ 'access-control-allow-headers': value }, 204)
  const last = (list: unknown[]) => list.at(-1)
  it.each([
    [
      methods('GET, POST'),
      'PUT',
      [],
      false,
      failed(
        'method-not-allowed',
        'the page sends the method `PUT` but the server sent `Access-Control-Allow-Methods: GET, POST`',
        "send `Access-Control-Allow-Methods: PUT` (or a list with it) on the preflight's answer (with @cors/*: add `PUT` to `methods`)",
      ),
    ],
    [
      res({}, 204),
      'DELETE',
      [],
      false,
      failed(
        'method-not-allowed',
        'the page sends the method `DELETE` but the server sent no Access-Control-Allow-Methods header',
        "send `Access-Control-Allow-Methods: DELETE` (or a list with it) on the preflight's answer (with @cors/*: add `DELETE` to `methods`)",
      ),
    ],
    [
      methods('PATCH'),
      'patch',
      [],
      false,
      failed(
        'method-not-allowed',
        'the page sends the method `patch` and the server sent `Access-Control-Allow-Methods: PATCH`: methods are compared case-sensitively, and fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT',
        "send `Access-Control-Allow-Methods: patch` (exactly as the page writes it) on the preflight's answer, or have the page send `PATCH` (with @cors/*: add `patch` to `methods`)",
      ),
    ],
    [
      methods('*'),
      'PUT',
      [],
      true,
      failed(
        'method-wildcard-with-credentials',
        'the request has credentials and the server sent `Access-Control-Allow-Methods: *`: with credentials `*` is just a method named "*"',
        'list `PUT` in Access-Control-Allow-Methods instead of `*` (with @cors/*: list `PUT` in `methods`)',
      ),
    ],
    [
      methods('GET;POST'),
      'PUT',
      [],
      false,
      failed(
        'allow-methods-invalid',
        'the server sent `Access-Control-Allow-Methods: GET;POST`, which is not a comma-separated list of methods',
        'send a comma-separated list of method names, e.g. `Access-Control-Allow-Methods: GET, POST, PUT`',
      ),
    ],
    [
      headers('x-a x-b'),
      'GET',
      ['x-a'],
      false,
      failed(
        'allow-headers-invalid',
        'the server sent `Access-Control-Allow-Headers: x-a x-b`, which is not a comma-separated list of header names',
        'send a list of header names, e.g. `Access-Control-Allow-Headers: x-a`',
      ),
    ],
    [
      headers('*'),
      'GET',
      ['authorization', 'x-a'],
      false,
      failed(
        'authorization-not-covered',
        'the page sends Authorization and the server sent `Access-Control-Allow-Headers: *`: `*` never covers Authorization',
        'list `Authorization` in Access-Control-Allow-Headers by name, next to `*` (with @cors/*: add `Authorization` to `allowedHeaders`)',
      ),
    ],
    [
      headers('Content-Type'),
      'GET',
      ['content-type', 'x-a', 'x-b'],
      false,
      failed(
        'header-not-allowed',
        'the page sends `x-a`, `x-b` but the server sent `Access-Control-Allow-Headers: Content-Type`',
        "send `Access-Control-Allow-Headers: x-a, x-b` (or a list with them) on the preflight's answer (with @cors/*: add `x-a`, `x-b` to `allowedHeaders`)",
      ),
    ],
    [
      headers('*'),
      'GET',
      ['x-a'],
      true,
      failed(
        'header-wildcard-with-credentials',
        'the page sends `x-a` with credentials and the server sent `Access-Control-Allow-Headers: *`: with credentials `*` is just a header named "*"',
        'list `x-a` in Access-Control-Allow-Headers instead of `*` (with @cors/*: list `x-a` in `allowedHeaders`)',
      ),
    ],
    [
      methods('*'),
      'PUT',
      [],
      false,
      passed('allow-headers', 'no header needs allowing (no Access-Control-Allow-Headers header)'),
    ],
    [
      res(
        { 'access-control-allow-methods': 'put', 'access-control-allow-headers': 'X-A, ,authorization' },
        204,
      ),
      'POST',
      ['authorization', 'x-a'],
      true,
      passed(
        'allow-headers',
        'authorization, x-a allowed (`Access-Control-Allow-Headers: X-A, ,authorization`)',
      ),
    ],
  ])('%j %s %j credentials=%s', (response, method, names, credentials, want) => {
    expect(last(preflightChecks(response, method, names, credentials))).toEqual(want)
  })

  it('passes the method first, then the headers', () => {
    expect(preflightChecks(methods('PUT'), 'PUT', [], false)[0]).toEqual(
      passed('allow-methods', 'PUT is allowed (`Access-Control-Allow-Methods: PUT`)'),
    )
  })
})

describe('readable headers', () => {
  const response = res({
    'content-type': 'application/json',
    'content-length': '2',
    'x-total-count': '3',
    'x-secret': 'hunter2',
    'set-cookie': 'a=1',
    date: 'now',
  })
  it('allows the safelisted names and the exposed ones, never Set-Cookie', () => {
    const exposed = {
      ...response,
      headers: { ...response.headers, 'access-control-expose-headers': 'X-Total-Count, set-cookie' },
    }
    expect(readableHeaders(response, false)).toEqual(['content-length', 'content-type'])
    expect(readableHeaders(exposed, true)).toEqual(['content-length', 'content-type', 'x-total-count'])
  })

  it('treats * as every name only without credentials', () => {
    const star = { ...response, headers: { ...response.headers, 'access-control-expose-headers': '*' } }
    expect(readableHeaders(star, false)).toEqual([
      'access-control-expose-headers',
      'content-length',
      'content-type',
      'date',
      'x-secret',
      'x-total-count',
    ])
    expect(readableHeaders(star, true)).toEqual(['content-length', 'content-type'])
    expect(readableStep(star, true)).toEqual(
      passed(
        'readable-headers',
        'the page can read the body, the status and content-length, content-type; hidden: date, set-cookie, x-secret, x-total-count (add to exposedHeaders to make readable); `Access-Control-Expose-Headers: *` exposes nothing with credentials: list the names',
      ),
    )
  })
})
