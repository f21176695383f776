import { describe, expect, it } from 'vitest'
import {
  isAnchored,
  matchesPattern,
  maxOriginLength,
  type OriginParts,
  parseConfigOrigin,
  parseRequestOrigin,
} from './origin.ts'

describe('parseRequestOrigin: only serialized tuple origins are matched or echoed', () => {
  it.each([
    { origin: 'https://app.example.com', parts: { scheme: 'https', host: 'app.example.com', port: '' } },
    { origin: 'http://localhost:3000', parts: { scheme: 'http', host: 'localhost', port: '3000' } },
    { origin: 'http://127.0.0.1:8080', parts: { scheme: 'http', host: '127.0.0.1', port: '8080' } },
    { origin: 'http://[::1]:8080', parts: { scheme: 'http', host: '[::1]', port: '8080' } },
    { origin: 'http://[::1]', parts: { scheme: 'http', host: '[::1]', port: '' } },
    {
      origin: 'https://app.example.com:65535',
      parts: { scheme: 'https', host: 'app.example.com', port: '65535' },
    },
    { origin: 'http://app.example.com:443', parts: { scheme: 'http', host: 'app.example.com', port: '443' } },
    {
      origin: 'https://xn--bcher-kva.example',
      parts: { scheme: 'https', host: 'xn--bcher-kva.example', port: '' },
    },
    { origin: 'chrome-extension://abcdef', parts: { scheme: 'chrome-extension', host: 'abcdef', port: '' } },
  ])('accepts $origin', ({ origin, parts }) => {
    expect(parseRequestOrigin(origin)).toEqual(parts)
  })

  it.each([
    ['the opaque origin sent by sandboxed iframes and file: pages', 'null'],
    ['two Origin lines joined by a comma', 'https://a.example, https://b.example'],
    ['two origins joined without space', 'https://a.example,https://b.example'],
    ['a default https port browsers omit', 'https://app.example.com:443'],
    ['a default http port browsers omit', 'http://app.example.com:80'],
    ['port 0', 'https://app.example.com:0'],
    ['a port above 65535', 'https://app.example.com:65536'],
    ['a port with a leading zero', 'https://app.example.com:0443'],
    ['an empty port', 'https://app.example.com:'],
    ['upper case (browsers serialize in lower case)', 'https://App.example.com'],
    ['an upper-case scheme', 'HTTPS://app.example.com'],
    ['a trailing slash', 'https://app.example.com/'],
    ['a path', 'https://app.example.com/x'],
    ['a query', 'https://app.example.com?x'],
    ['user information', 'https://user@app.example.com'],
    ['CR LF (header injection)', 'https://app.example.com\r\nSet-Cookie: a=b'],
    ['a NUL', 'https://app.example.com\u0000'],
    ['leading whitespace', ' https://app.example.com'],
    ['a non-ASCII host', 'https://bücher.example'],
    ['a trailing dot', 'https://app.example.com.'],
    ['an empty label', 'https://app..example.com'],
    ['no scheme', 'app.example.com'],
    ['no host', 'https://'],
    ['an empty string', ''],
    ['a wildcard', 'https://*.example.com'],
    ['a value longer than any real origin', `https://${'a'.repeat(maxOriginLength)}.example`],
  ])('refuses %s', (_, origin) => {
    expect(parseRequestOrigin(origin)).toBeNull()
  })

  it('accepts an origin exactly maxOriginLength long, and refuses one character more', () => {
    const exact = `https://${'a'.repeat(maxOriginLength - 'https://.example'.length)}.example`
    expect(exact).toHaveLength(maxOriginLength)
    expect(parseRequestOrigin(exact)).not.toBeNull()
    expect(parseRequestOrigin(`${exact}e`)).toBeNull()
  })

  it('stays linear on a long hostile value', () => {
    const hostile = `https://${'a.'.repeat(1000)}!`
    const started = performance.now()
    for (let i = 0; i < 200; i++) expect(parseRequestOrigin(hostile)).toBeNull()
    expect(performance.now() - started).toBeLessThan(500)
  })
})

describe('parseConfigOrigin', () => {
  it.each([
    { value: 'https://app.example.com', parts: { scheme: 'https', host: 'app.example.com', port: '' } },
    { value: 'https://*.example.com', parts: { scheme: 'https', host: '*.example.com', port: '' } },
    { value: 'http://localhost:*', parts: { scheme: 'http', host: 'localhost', port: '*' } },
    { value: 'https://*.example.com:*', parts: { scheme: 'https', host: '*.example.com', port: '*' } },
    { value: 'http://[::1]:8080', parts: { scheme: 'http', host: '[::1]', port: '8080' } },
    { value: 'http://[::1]', parts: { scheme: 'http', host: '[::1]', port: '' } },
  ])('splits $value into parts', ({ value, parts }) => {
    expect(parseConfigOrigin(value, true)).toEqual(parts)
  })

  it.each([
    ['a subdomain wildcard', 'https://*.example.com'],
    ['a port wildcard', 'http://localhost:*'],
  ])('refuses %s where patterns are not allowed', (_, value) => {
    expect(parseConfigOrigin(value, false)).toMatchObject({ code: 'invalid-origin' })
  })

  it.each([
    ['https://app.example.com/', 'invalid-origin', /a trailing slash/, 'use "https://app.example.com"'],
    [
      'https://app.example.com/a?b',
      'invalid-origin',
      /a path, query or fragment/,
      'use "https://app.example.com"',
    ],
    ['https://app.example.com.', 'invalid-origin', /trailing dot/, 'use "https://app.example.com"'],
    ['https://app.example.com.:8443', 'invalid-origin', /trailing dot/, 'use "https://app.example.com:8443"'],
    ['http://app.example.com:80', 'invalid-origin', /default port 80/, 'use "http://app.example.com"'],
    ['https://APP.example.com', 'invalid-origin', /upper-case/, 'use "https://app.example.com"'],
    [
      'null',
      'null-origin',
      /opaque origin/,
      'remove "null"; serve the page from a real origin and list that',
    ],
    ['https://*.com', 'origin-pattern-too-broad', /top-level domain "com"/, /\*\.example\.com/],
    ['https://a.*.example.com', 'invalid-origin', /may only stand as the first label/, /scheme:\/\/host/],
  ])('%s is refused with %s and a concrete fix', (value, code, message, hint) => {
    const result = parseConfigOrigin(value, true)
    expect(result).toMatchObject({ code, message: expect.stringMatching(message) })
    expect('hint' in result && result.hint).toMatch(hint)
  })
})

describe('matchesPattern', () => {
  const pattern = (value: string): OriginParts => {
    const parts = parseConfigOrigin(value, true)
    if ('message' in parts) throw new Error(parts.message)
    return parts
  }
  const origin = (value: string): OriginParts => {
    const parts = parseRequestOrigin(value)
    if (parts === null) throw new Error(`not an origin: ${value}`)
    return parts
  }

  it.each([
    ['https://*.example.com', 'https://app.example.com', true, 'one subdomain label'],
    ['https://*.example.com', 'https://a.b.example.com', true, 'several subdomain labels'],
    ['https://*.example.com', 'https://example.com', false, 'never the apex'],
    ['https://*.example.com', 'https://evil-example.com', false, 'a label boundary is required'],
    ['https://*.example.com', 'https://example.com.evil.net', false, 'the suffix must end the host'],
    ['https://*.example.com', 'http://app.example.com', false, 'the scheme must match'],
    ['https://*.example.com', 'https://app.example.com:8443', false, 'the port must match'],
    ['https://*.example.com:*', 'https://app.example.com:8443', true, 'any port with a port wildcard'],
    ['https://*.example.com:*', 'https://app.example.com', true, 'the default port with a port wildcard'],
    ['http://localhost:*', 'http://localhost:3000', true, 'any port of localhost'],
    ['http://localhost:*', 'http://localhost', true, 'the default port of localhost'],
    ['http://localhost:*', 'https://localhost:3000', false, 'not another scheme'],
    ['http://localhost:*', 'http://localhost.evil.net:3000', false, 'not another host'],
    ['http://localhost:*', 'http://app.localhost:3000', false, 'not a subdomain'],
  ])('%s vs %s -> %s (%s)', (p, o, expected) => {
    expect(matchesPattern(origin(o), pattern(p))).toBe(expected)
  })
})

describe('isAnchored: every top-level alternative starts with ^ and ends with an unescaped $', () => {
  it.each([
    ['^https://a\\.example$', true],
    ['^https:\\/\\/(a|b)\\.example$', true],
    ['^a$|^b$', true],
    ['^a\\\\$', true],
    ['^[|]$', true],
    ['^a[$]$', true],
    ['^(?:a|b)$', true],
    ['a', false],
    ['^a', false],
    ['a$', false],
    ['^a$|b', false],
    ['a|^b$', false],
    ['^a$|', false],
    ['^a\\$', false],
    ['^a\\\\\\$', false],
    ['^a[$]', false],
    ['(^a$)', false],
    ['^a$(?:)', false],
  ])('%s -> %s', (source, expected) => {
    expect(isAnchored(source)).toBe(expected)
  })
})
