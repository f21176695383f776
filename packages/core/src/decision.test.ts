import { describe, expect, it } from 'vitest'
import { type CorsRequest, toCorsRequest } from './decision.ts'

type HeaderValue = string | readonly string[] | null | undefined

const getter =
  (headers: Record<string, HeaderValue>) =>
  (name: string): HeaderValue =>
    headers[name]

describe('toCorsRequest', () => {
  it.each<{ name: string; method: string; headers: Record<string, HeaderValue>; want: CorsRequest }>([
    {
      name: 'reads the three CORS request headers',
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
      want: {
        method: 'OPTIONS',
        origin: 'https://app.example.com',
        accessControlRequestMethod: 'PUT',
        accessControlRequestHeaders: 'content-type',
      },
    },
    {
      name: 'absent headers (undefined, as Node gives them) become null',
      method: 'GET',
      headers: {},
      want: {
        method: 'GET',
        origin: null,
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
    {
      name: 'absent headers (null, as Fetch Headers gives them) become null',
      method: 'GET',
      headers: {
        origin: null,
        'access-control-request-method': null,
        'access-control-request-headers': null,
      },
      want: {
        method: 'GET',
        origin: null,
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
    {
      name: 'empty strings count as absent',
      method: 'OPTIONS',
      headers: { origin: '', 'access-control-request-method': '', 'access-control-request-headers': '' },
      want: {
        method: 'OPTIONS',
        origin: null,
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
    {
      name: 'several header lines are joined as HTTP does',
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': ['content-type', 'x-request-id'],
      },
      want: {
        method: 'OPTIONS',
        origin: 'https://app.example.com',
        accessControlRequestMethod: 'POST',
        accessControlRequestHeaders: 'content-type, x-request-id',
      },
    },
    {
      name: 'two Origin lines are joined too, so they fail validation as one value',
      method: 'GET',
      headers: { origin: ['https://a.example', 'https://b.example'] },
      want: {
        method: 'GET',
        origin: 'https://a.example, https://b.example',
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
    {
      name: 'an empty list of lines counts as absent',
      method: 'GET',
      headers: { origin: [], 'access-control-request-headers': [] },
      want: {
        method: 'GET',
        origin: null,
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
    {
      name: 'a list of one empty line counts as absent',
      method: 'GET',
      headers: { origin: [''] },
      want: {
        method: 'GET',
        origin: null,
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
    {
      name: 'the method is kept byte for byte',
      method: 'patch',
      headers: { origin: 'https://app.example.com' },
      want: {
        method: 'patch',
        origin: 'https://app.example.com',
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
    {
      name: 'values are not trimmed or altered',
      method: 'GET',
      headers: { origin: ' https://app.example.com ' },
      want: {
        method: 'GET',
        origin: ' https://app.example.com ',
        accessControlRequestMethod: null,
        accessControlRequestHeaders: null,
      },
    },
  ])('$name', ({ method, headers, want }) => {
    const get = getter(headers)
    expect(toCorsRequest(method, get)).toEqual({ ...want, header: get })
  })

  it('keeps the getter as it was given, for headers only some features read (no copy, no wrapper)', () => {
    const get = (name: string) => (name === 'sec-fetch-site' ? 'cross-site' : null)
    const request = toCorsRequest('POST', get)
    expect(request.header).toBe(get)
    expect(request.header?.('sec-fetch-site')).toBe('cross-site')
  })

  it.each([
    { method: 'GET', origin: 'https://a.example', want: ['origin'] },
    { method: 'OPTIONS', origin: undefined, want: ['origin'] },
    {
      method: 'OPTIONS',
      origin: 'https://a.example',
      want: ['access-control-request-headers', 'access-control-request-method', 'origin'],
    },
  ])(
    'asks the getter for lower-case names only, one call per header it needs: $method, Origin $origin',
    ({ method, origin, want }) => {
      const asked: string[] = []
      const request = toCorsRequest(method, (name) => {
        asked.push(name)
        return name === 'origin' ? origin : 'x'
      })
      expect(asked.sort()).toEqual(want)
      // A preflight header on anything but OPTIONS with an Origin can never matter to the decision.
      if (want.length === 1) expect(request.accessControlRequestMethod).toBeNull()
    },
  )
})
