import * as core from '@cors/core'
import { describe, expect, it } from 'vitest'
import {
  isForbiddenRequestHeader,
  isSafelistedMethod,
  isSafelistedRange,
  mimeEssence,
  normalizeMethod,
  unsafeReason,
} from './safelist.ts'

describe('unsafeReason (CORS-safelisted request-header)', () => {
  it.each([
    ['accept', 'application/json'],
    ['accept', '*/*'],
    ['accept-language', 'en-US,en;q=0.9'],
    ['content-language', 'de-DE'],
    ['content-type', 'text/plain'],
    ['content-type', 'text/plain;charset=UTF-8'],
    ['content-type', 'TEXT/Plain ; charset=utf-8'],
    ['content-type', 'application/x-www-form-urlencoded'],
    ['content-type', 'multipart/form-data; boundary=x'],
    ['range', 'bytes=0-99'],
    ['range', 'bytes=100-'],
    ['accept', 'a'.repeat(128)],
  ])('%s: %s is safelisted', (name, value) => {
    expect(unsafeReason(name, value)).toBeNull()
  })

  it.each([
    ['x-foo', '1', 'only Accept, Accept-Language, Content-Language, Content-Type and Range can be'],
    [
      'authorization',
      'Bearer x',
      'only Accept, Accept-Language, Content-Language, Content-Type and Range can be',
    ],
    ['accept', 'a'.repeat(129), 'its value is 129 bytes long, over the 128-byte limit'],
    ['accept', 'text/html"', 'its value contains a byte Fetch deems unsafe'],
    ['accept', 'a{b}', 'its value contains a byte Fetch deems unsafe'],
    ['accept-language', 'en_US', 'its value has a character other than 0-9 A-Z a-z space *,-.;='],
    ['content-language', 'de/DE', 'its value has a character other than 0-9 A-Z a-z space *,-.;='],
    [
      'content-type',
      'application/json',
      'its type is not application/x-www-form-urlencoded, multipart/form-data or text/plain',
    ],
    ['content-type', 'text/plain; a="b"', 'its value contains a byte Fetch deems unsafe'],
    [
      'content-type',
      'text',
      'its type is not application/x-www-form-urlencoded, multipart/form-data or text/plain',
    ],
    ['range', 'bytes=-500', 'its value is not a single `bytes=start-[end]` range'],
    ['range', 'bytes=0-1,3-4', 'its value is not a single `bytes=start-[end]` range'],
    ['range', 'bytes = 0-1', 'its value is not a single `bytes=start-[end]` range'],
    ['range', 'bytes=5-1', 'its value is not a single `bytes=start-[end]` range'],
  ])('%s: %s is not safelisted', (name, value, reason) => {
    expect(unsafeReason(name, value)).toBe(reason)
  })
})

describe('helpers', () => {
  it("uses the core's method sets, not copies of them", () => {
    expect(isSafelistedMethod).toBe(core.isSafelistedMethod)
    expect(['GET', 'HEAD', 'POST', 'get', 'PUT'].map(isSafelistedMethod)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ])
  })

  it('normalizes the six methods fetch() upper-cases, and only those', () => {
    expect(
      ['get', 'post', 'put', 'delete', 'head', 'options', 'patch', 'Patch'].map(normalizeMethod),
    ).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'patch', 'Patch'])
  })

  it('parses MIME essences as the MIME Sniffing standard does', () => {
    expect(mimeEssence(' Text/Plain ;charset=x')).toBe('text/plain')
    expect(mimeEssence('text/')).toBeNull()
    expect(mimeEssence('text/plain, application/json')).toBeNull()
  })

  it('safelists only a single byte range with a start', () => {
    expect(isSafelistedRange('BYTES=1-1')).toBe(true)
    expect(isSafelistedRange('bytes=')).toBe(false)
  })

  it('knows the forbidden request headers, method overrides included', () => {
    expect(isForbiddenRequestHeader('Cookie', 'a=1')).toBe(true)
    expect(isForbiddenRequestHeader('Sec-Foo', '1')).toBe(true)
    expect(isForbiddenRequestHeader('Proxy-Authorization', '1')).toBe(true)
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'trace')).toBe(true)
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'PUT')).toBe(false)
    expect(isForbiddenRequestHeader('Authorization', 'x')).toBe(false)
  })
})

describe("Chromium's extra safelisted headers (measured in Chromium 156)", () => {
  it.each([
    ['dpr', '2.5', true],
    ['dpr', '.5', false],
    ['dpr', '2.', false],
    ['device-memory', '0.5', true],
    ['downlink', '1', true],
    ['width', '800', true],
    ['width', '8.5', false],
    ['viewport-width', '-1', false],
    ['rtt', '50', true],
    ['rtt', '5.5', false],
    ['save-data', 'On', true],
    ['save-data', 'off', false],
    ['ect', 'slow-2g', true],
    ['ect', '4G', false],
    ['intervention', '<https://x>; level="warning"', true],
    ['dpr', '1'.repeat(129), false],
  ])('%s: %s safelisted=%s', (name, value, safe) => {
    expect(unsafeReason(name, value) === null).toBe(safe)
  })
})
