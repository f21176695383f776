import { describe, expect, it } from 'vitest'
import { preflightHeaders, preflightNeed, unsafeHeaderNames } from './preflight.ts'
import { DoctorRequestError, toPageRequest } from './request.ts'

const origin = 'https://app.example.com'
const need = (method: string, headers: Record<string, string> = {}) =>
  preflightNeed(toPageRequest({ origin, method, headers }))

describe('preflightNeed', () => {
  it('sends GET, HEAD and POST with safelisted headers straight away', () => {
    for (const method of ['GET', 'head', 'POST']) {
      expect(need(method, { 'Content-Type': 'text/plain' })).toEqual({
        needed: false,
        unsafeNames: [],
        message: `no preflight: ${method.toUpperCase()} with only CORS-safelisted headers goes straight to the server`,
      })
    }
  })

  it('asks first for another method, and says what it sends', () => {
    expect(need('PUT').message).toBe(
      'a preflight is needed: the method PUT is not GET, HEAD or POST. The browser sends OPTIONS with `access-control-request-method: PUT`, without credentials',
    )
  })

  it('lists the unsafe headers sorted, lower case, joined by a comma without spaces', () => {
    const result = need('GET', { 'X-B': '1', 'Content-Type': 'application/json', 'X-A': '2' })
    expect(result.unsafeNames).toEqual(['content-type', 'x-a', 'x-b'])
    expect(result.message).toBe(
      'a preflight is needed: `x-b` is not CORS-safelisted (only Accept, Accept-Language, Content-Language, Content-Type and Range can be); `content-type` is not CORS-safelisted (its type is not application/x-www-form-urlencoded, multipart/form-data or text/plain); `x-a` is not CORS-safelisted (only Accept, Accept-Language, Content-Language, Content-Type and Range can be). The browser sends OPTIONS with `access-control-request-method: GET` and `access-control-request-headers: content-type,x-a,x-b`, without credentials',
    )
  })

  it('joins a repeated header into one value, as Chromium does before its checks', () => {
    // Two 100-byte Accept values are one 202-byte value: over 128, so unsafe.
    const headers: [string, string][] = [
      ['Accept', 'a'.repeat(100)],
      ['Accept', 'b'.repeat(100)],
    ]
    expect(need('GET', Object.fromEntries(headers)).needed).toBe(false)
    expect(preflightNeed(toPageRequest({ origin, headers })).unsafeNames).toEqual(['accept'])
  })

  it('counts every safelisted header as unsafe past 1024 bytes in total', () => {
    // Reachable with the header list of the standard, where repeated names stay separate entries.
    const list: [string, string][] = Array.from({ length: 9 }, (_, i) => [
      i % 2 ? 'accept' : 'content-language',
      'a'.repeat(120),
    ])
    expect(unsafeHeaderNames(list)).toEqual({
      names: ['accept', 'content-language'],
      why: ["the safelisted headers' values add up to 1080 bytes, over the 1024-byte total"],
    })
    expect(unsafeHeaderNames(list.slice(0, 8)).names).toEqual([])
  })
})

describe('toPageRequest', () => {
  it('drops headers a page may not set, and adds Accept: */*', () => {
    const page = toPageRequest({ origin, headers: { Cookie: 'a=1', 'X-Foo': ' 1 ' } })
    expect(page.dropped).toEqual(['Cookie'])
    expect(page.headers).toEqual([
      ['x-foo', '1'],
      ['accept', '*/*'],
    ])
  })

  it.each([
    [
      { origin: 'app.example.com' },
      '"app.example.com" is not an origin: write the scheme too, e.g. https://app.example.com',
    ],
    [
      { origin: 'https://app.example.com/path' },
      '"https://app.example.com/path" is not an origin: write the scheme, host and port only, e.g. https://app.example.com',
    ],
    [{ origin, method: 'TRACE' }, 'fetch() refuses the method TRACE: browsers never send it'],
    [{ origin, method: 'GE T' }, '"GE T" is not a valid HTTP method'],
    [{ origin, headers: { 'X Foo': '1' } }, '"X Foo" is not a valid header name'],
    [{ origin, headers: { 'X-Foo': 'a\nb' } }, 'the value of X-Foo has a character no header value may hold'],
  ])('refuses what fetch() refuses: %j', (request, message) => {
    expect(() => toPageRequest(request)).toThrow(new DoctorRequestError(message))
  })
})

it('builds the preflight as the browser does', () => {
  expect(preflightHeaders(origin, 'PUT', ['content-type', 'x-foo'])).toEqual({
    accept: '*/*',
    origin,
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'content-type,x-foo',
  })
  expect(preflightHeaders(origin, 'DELETE', [])).not.toHaveProperty('access-control-request-headers')
})
