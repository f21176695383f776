import { describe, expect, it } from 'vitest'
import { decorateResponse } from '../write/fetch.ts'
import { appendVary } from '../write/vary.ts'
import {
  isForbiddenRequestHeader,
  isForbiddenResponseHeader,
  isProtocolHeader,
  isToken,
  maxRequestHeadersCount,
  maxRequestHeadersLength,
  parseRequestHeaders,
  type RequestHeadersWork,
} from './headers.ts'

describe('isToken: the RFC 9110 syntax of header names and methods', () => {
  it.each([
    ['GET', true],
    ['X-Request-Id', true],
    ["!#$%&'*+-.^_`|~09azAZ", true],
    ['', false],
    ['X Foo', false],
    ['X-Foo:', false],
    ['a,b', false],
    ['"quoted"', false],
    ['(x)', false],
    ['x\ty', false],
    ['x\r\ny', false],
    ['x\u0000', false],
    ['x\u007f', false],
    ['grüße', false],
    ['x\u0100', false],
  ])('%j -> %s', (value, expected) => {
    expect(isToken(value)).toBe(expected)
  })
})

describe('header name classes (lower-case input)', () => {
  it.each([
    ['connection', true],
    ['cookie', true],
    ['host', true],
    ['origin', true],
    ['sec-fetch-mode', true],
    ['sec-', true],
    ['proxy-authorization', true],
    ['access-control-request-headers', true],
    ['content-type', false],
    ['authorization', false],
    ['x-secret', false],
    ['x-proxy-id', false],
  ])('forbidden request header %s -> %s', (name, expected) => {
    expect(isForbiddenRequestHeader(name)).toBe(expected)
  })

  it.each([
    ['set-cookie', true],
    ['set-cookie2', true],
    ['cookie', false],
    ['x-set-cookie', false],
  ])('forbidden response header %s -> %s', (name, expected) => {
    expect(isForbiddenResponseHeader(name)).toBe(expected)
  })

  it.each([
    ['access-control-allow-origin', true],
    ['access-control-request-method', true],
    ['access-control-x', true],
    ['x-access-control-allow-origin', false],
    ['origin', false],
  ])('CORS protocol header %s -> %s', (name, expected) => {
    expect(isProtocolHeader(name)).toBe(expected)
  })
})

describe('parseRequestHeaders', () => {
  it.each([
    {
      name: 'the sorted lower-case list browsers send',
      value: 'content-type,x-request-id',
      want: ['content-type', 'x-request-id'],
    },
    {
      name: 'names are lower-cased',
      value: 'Content-Type, X-Request-Id',
      want: ['content-type', 'x-request-id'],
    },
    { name: 'optional whitespace around items (space)', value: '  a ,  b  ', want: ['a', 'b'] },
    { name: 'optional whitespace around items (tab)', value: '\ta\t,\tb\t', want: ['a', 'b'] },
    { name: 'empty items are skipped', value: 'a,,b,', want: ['a', 'b'] },
    { name: 'leading commas are skipped', value: ',,a', want: ['a'] },
    { name: 'several header lines joined by ", "', value: 'a, b, c, d', want: ['a', 'b', 'c', 'd'] },
    { name: 'an empty value names nothing', value: '', want: [] },
    { name: 'only separators name nothing', value: ' , ,\t,', want: [] },
    { name: 'one name', value: 'authorization', want: ['authorization'] },
    { name: 'every token character', value: "!#$%&'*+-.^_`|~09az", want: ["!#$%&'*+-.^_`|~09az"] },
    { name: 'duplicates are kept as sent', value: 'a, A', want: ['a', 'a'] },
  ])('$name', ({ value, want }) => {
    expect(parseRequestHeaders(value)).toEqual(want)
  })

  it.each([
    ['whitespace inside a list item', 'x-a x-b'],
    ['CR LF (header injection)', 'x-a\r\nx-b'],
    ['a bare LF', 'x-a\nx-b'],
    ['a NUL', 'x-a\u0000'],
    ['a colon', 'x-a: 1'],
    ['a semicolon', 'x-a;x-b'],
    ['a quote', '"x-a"'],
    ['a slash', 'x/a'],
    ['a non-ASCII letter', 'x-grüße'],
    ['a DEL', 'x-a\u007f'],
    ['a vertical tab, which is not OWS', 'x-a\u000bx-b'],
  ])('refuses %s', (_, value) => {
    expect(parseRequestHeaders(value)).toBe('invalid')
  })

  it('accepts maxRequestHeadersLength characters and refuses one more', () => {
    const longest = `x-${'a'.repeat(maxRequestHeadersLength - 2)}`
    expect(longest).toHaveLength(maxRequestHeadersLength)
    expect(parseRequestHeaders(longest)).toEqual([longest])
    expect(parseRequestHeaders(`${longest}b`)).toBe('too-large')
  })

  it('counts a too-long value as too large before looking at its syntax', () => {
    expect(parseRequestHeaders(' '.repeat(maxRequestHeadersLength + 1))).toBe('too-large')
    expect(parseRequestHeaders('\r\n'.repeat(maxRequestHeadersLength))).toBe('too-large')
  })

  it('accepts maxRequestHeadersCount names and refuses one more', () => {
    const names = Array.from({ length: maxRequestHeadersCount }, (_, i) => `h${i}`)
    expect(parseRequestHeaders(names.join(','))).toEqual(names)
    expect(parseRequestHeaders([...names, 'extra'].join(','))).toBe('too-large')
  })

  it('does not count empty items towards the limit', () => {
    const names = Array.from({ length: maxRequestHeadersCount }, (_, i) => `h${i}`)
    expect(parseRequestHeaders(names.join(',,, '))).toEqual(names)
  })

  it('stays linear on hostile values at the length limit', () => {
    const hostile = [
      'a'.repeat(maxRequestHeadersLength),
      ' '.repeat(maxRequestHeadersLength),
      ','.repeat(maxRequestHeadersLength),
      `${'a, '.repeat(1300)}a `,
      `${'a '.repeat(2000)}`,
    ]
    const started = performance.now()
    for (let i = 0; i < 200; i++) for (const value of hostile) parseRequestHeaders(value)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

// The work done on hostile values, measured by where the scan stopped (not by a clock): the class of
// the rs/cors advisory (allocations per comma) and of the hono ReDoS advisory (quadratic whitespace).
describe('parseRequestHeaders: work done on hostile values', () => {
  const kib64 = 64 * 1024
  function parse(value: string): {
    result: ReturnType<typeof parseRequestHeaders>
    work: RequestHeadersWork
  } {
    const work: RequestHeadersWork = { examined: -1, items: -1 }
    return { result: parseRequestHeaders(value, work), work }
  }

  it.each([
    ['64 KiB of commas', ','.repeat(kib64)],
    ['64 KiB of spaces', ' '.repeat(kib64)],
    ['64 KiB of tabs and commas', '\t,'.repeat(kib64 / 2)],
    ['10,000 one-letter items', Array.from({ length: 10_000 }, () => 'a').join(',')],
    ['10,000 items with spaces', Array.from({ length: 10_000 }, (_, i) => `x-${i}`).join(', ')],
    ['1,000 header lines joined by ", "', Array.from({ length: 1000 }, () => 'x-custom').join(', ')],
    ['one character over the limit', 'a'.repeat(maxRequestHeadersLength + 1)],
  ])('%s: refused as too large after examining nothing beyond the length check', (_, value) => {
    expect(value.length).toBeGreaterThan(maxRequestHeadersLength)
    expect(parse(value)).toEqual({ result: 'too-large', work: { examined: 0, items: 0 } })
  })

  it.each([
    ['commas', ','.repeat(maxRequestHeadersLength), []],
    ['spaces', ' '.repeat(maxRequestHeadersLength), []],
    ['tabs, spaces and commas', ' \t,,'.repeat(maxRequestHeadersLength / 4), []],
    ['one long name', 'a'.repeat(maxRequestHeadersLength), ['a'.repeat(maxRequestHeadersLength)]],
  ])('%s at the length limit: scanned once to the end, never past it', (_, value, names) => {
    expect(value).toHaveLength(maxRequestHeadersLength)
    expect(parse(value)).toEqual({
      result: names,
      work: { examined: maxRequestHeadersLength, items: names.length },
    })
  })

  it('stops at the item limit: the 101st of 2048 names ends the scan after about 200 characters', () => {
    const value = 'a,'.repeat(maxRequestHeadersLength / 2)
    expect(value).toHaveLength(maxRequestHeadersLength)
    const { result, work } = parse(value)
    expect(result).toBe('too-large')
    expect(work.items).toBe(maxRequestHeadersCount)
    // The 101st name is read (one character), then the scan stops before its comma.
    expect(work.examined).toBe(2 * maxRequestHeadersCount + 1)
  })

  it('stops at the first character that cannot continue a list, wherever it is', () => {
    expect(parse(`${'a '.repeat(2000)}`)).toEqual({ result: 'invalid', work: { examined: 2, items: 1 } })
    expect(parse(`x-a, x-b\r\nx-injected: 1`)).toEqual({ result: 'invalid', work: { examined: 8, items: 2 } })
    expect(parse(`${','.repeat(4000)}\u0000`)).toEqual({
      result: 'invalid',
      work: { examined: 4000, items: 0 },
    })
  })

  it('examines at most the whole value, for every value up to the limit', () => {
    const values = [
      '',
      'content-type',
      'a, b,, c',
      `${'x-a, '.repeat(99)}x-b`,
      `${'x-a,'.repeat(101)}`,
      `${' '.repeat(4000)}a b`,
      '"quoted"',
    ]
    for (const value of values) {
      const { work } = parse(value)
      expect(work.examined).toBeLessThanOrEqual(value.length)
      expect(work.items).toBeLessThanOrEqual(maxRequestHeadersCount)
    }
  })
})

describe('appendVary: merge, never replace or duplicate', () => {
  it.each([
    { name: 'nothing there: the names', existing: undefined, names: ['Origin'], want: 'Origin' },
    { name: 'null counts as nothing', existing: null, names: ['Origin'], want: 'Origin' },
    { name: 'an empty value counts as nothing', existing: '', names: ['Origin'], want: 'Origin' },
    { name: 'a blank value counts as nothing', existing: '  ', names: ['Origin'], want: 'Origin' },
    {
      name: 'several names',
      existing: undefined,
      names: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'],
      want: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    },
    {
      name: 'appended after what the application set',
      existing: 'Accept-Encoding',
      names: ['Origin'],
      want: 'Accept-Encoding, Origin',
    },
    { name: 'a name already there is not repeated', existing: 'Origin', names: ['Origin'], want: 'Origin' },
    { name: 'the comparison ignores case', existing: 'origin', names: ['Origin'], want: 'origin' },
    {
      name: 'the comparison ignores surrounding whitespace',
      existing: 'Accept-Encoding ,  ORIGIN ',
      names: ['Origin', 'Access-Control-Request-Method'],
      want: 'Accept-Encoding ,  ORIGIN , Access-Control-Request-Method',
    },
    { name: '"*" already covers everything', existing: '*', names: ['Origin'], want: '*' },
    {
      name: '"*" inside a list covers everything',
      existing: 'Accept-Encoding, *',
      names: ['Origin'],
      want: 'Accept-Encoding, *',
    },
    {
      name: 'an array of header lines is joined first',
      existing: ['Accept-Encoding', 'origin'],
      names: ['Origin', 'Access-Control-Request-Method'],
      want: 'Accept-Encoding, origin, Access-Control-Request-Method',
    },
    { name: 'an empty array counts as nothing', existing: [], names: ['Origin'], want: 'Origin' },
    { name: 'a number (as Node allows) is kept', existing: 1, names: ['Origin'], want: '1, Origin' },
    {
      name: 'no names leave the value as it is',
      existing: 'Accept-Encoding',
      names: [],
      want: 'Accept-Encoding',
    },
    { name: 'no names and nothing there give an empty value', existing: undefined, names: [], want: '' },
    {
      name: 'empty items in the existing value are ignored',
      existing: 'Accept,,',
      names: ['Accept'],
      want: 'Accept,,',
    },
    {
      name: 'names repeated in the list are added once',
      existing: 'Accept',
      names: ['Origin', 'ORIGIN'],
      want: 'Accept, Origin',
    },
    {
      name: 'names repeated in any case are added once to nothing',
      existing: undefined,
      names: ['Origin', 'origin'],
      want: 'Origin',
    },
  ])('$name', ({ existing, names, want }) => {
    expect(appendVary(existing, names)).toBe(want)
  })

  it('gives the same answer for a frozen list every time (the joined value is remembered)', () => {
    const names = Object.freeze(['Origin', 'Access-Control-Request-Method'])
    expect(appendVary(undefined, names)).toBe('Origin, Access-Control-Request-Method')
    expect(appendVary('', names)).toBe('Origin, Access-Control-Request-Method')
    expect(appendVary('Accept', names)).toBe('Accept, Origin, Access-Control-Request-Method')
  })

  it('applied twice adds nothing the second time', () => {
    const names = ['Origin', 'Access-Control-Request-Headers']
    const once = appendVary('Accept-Encoding', names)
    expect(appendVary(once, names)).toBe(once)
  })
})

describe('decorateResponse', () => {
  const decision = {
    headers: { 'access-control-allow-origin': 'https://a.example' },
    vary: ['Origin'],
    unset: ['access-control-expose-headers'],
  }
  const rewrap = (response: Response) => new Response(response.body, response)

  it('sets the headers in place on a mutable response and keeps the object', () => {
    const response = new Response('ok', { headers: { vary: 'Accept-Encoding' } })
    expect(decorateResponse(response, decision, rewrap)).toBe(response)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://a.example')
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Origin')
  })

  it('removes the CORS headers the decision does not set, whoever set them', () => {
    const response = new Response('ok', {
      headers: { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-secret' },
    })
    decorateResponse(response, decision, rewrap)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://a.example')
    expect(response.headers.has('access-control-expose-headers')).toBe(false)
  })

  it('never writes a key inherited from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto['x-polluted'] = 'yes'
    try {
      const response = new Response('ok')
      decorateResponse(response, { headers: { a: 'b' }, vary: [], unset: [] }, rewrap)
      expect(response.headers.has('x-polluted')).toBe(false)
    } finally {
      delete proto['x-polluted']
    }
  })

  it('copies a response whose headers are immutable, keeping status, headers and body', async () => {
    const redirect = Response.redirect('https://a.example/next', 302)
    const result = decorateResponse(redirect, decision, rewrap)
    expect(result).not.toBe(redirect)
    expect(result.status).toBe(302)
    expect(result.headers.get('location')).toBe('https://a.example/next')
    expect(result.headers.get('access-control-allow-origin')).toBe('https://a.example')
    const fetched = decorateResponse(await fetch('data:text/plain,body'), decision, rewrap)
    expect(await fetched.text()).toBe('body')
  })

  it('leaves a status below 200 (a WebSocket upgrade) as it is', async () => {
    const upgrade = await fetch('data:text/plain,')
    Object.defineProperty(upgrade, 'status', { value: 101 })
    expect(decorateResponse(upgrade, decision, rewrap)).toBe(upgrade)
  })

  it('does not even read the headers when the decision adds nothing', () => {
    const untouched = {
      status: 200,
      get headers(): never {
        throw new Error('headers were read')
      },
    }
    expect(decorateResponse(untouched, { headers: {}, vary: [], unset: [] }, () => untouched)).toBe(untouched)
  })

  it('rethrows anything but the TypeError of immutable headers', () => {
    const failing = {
      status: 200,
      headers: {
        get: () => null,
        delete: () => undefined,
        set: () => {
          throw new RangeError('boom')
        },
      },
    }
    expect(() => decorateResponse(failing, decision, () => failing)).toThrow(RangeError)
  })
})
