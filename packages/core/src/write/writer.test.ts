import { describe, expect, it } from 'vitest'
import { corsHeadersRecord } from './fetch.ts'
import { type CorsHeaderAccess, type CorsWrite, createCorsWriter } from './writer.ts'

// A Map stands for any response: with `names` (a ServerResponse) and without (a Koa context).
const access: CorsHeaderAccess<Map<string, string>> = {
  get: (target, name) => target.get(name),
  set: (target, name, value) => void target.set(name, value),
  delete: (target, name) => void target.delete(name),
}
const listing = createCorsWriter({ ...access, names: (target) => [...target.keys()] })
const asking = createCorsWriter(access)

const allowed: CorsWrite = {
  headers: {
    'access-control-allow-origin': 'https://app.example',
    'access-control-allow-credentials': 'true',
  },
  vary: ['Origin'],
  unset: ['access-control-expose-headers', 'access-control-max-age'],
}

describe.each([
  ['names present listed', listing],
  ['names asked one by one', asking],
])('the writer, %s', (_, writer) => {
  it('write: removes what the decision unsets, sets its headers, merges Vary', () => {
    const res = new Map([
      ['access-control-allow-origin', '*'],
      ['access-control-max-age', '600'],
      ['vary', 'Accept-Encoding'],
      ['x-app', '1'],
    ])
    writer.write(res, allowed)
    expect(Object.fromEntries(res)).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      vary: 'Accept-Encoding, Origin',
      'x-app': '1',
    })
  })

  it('early leaves the unset headers to atSend, which takes back what the application changed', () => {
    const res = new Map([['access-control-max-age', '600']])
    const vary = writer.early(res, allowed)
    expect(vary).toBe('Origin')
    expect(res.get('access-control-max-age')).toBe('600')
    res.set('access-control-allow-origin', '*')
    res.set('access-control-expose-headers', 'x-secret')
    res.set('vary', 'Cookie')
    writer.atSend(res, allowed, vary)
    expect(Object.fromEntries(res)).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      vary: 'Cookie, Origin',
    })
  })

  it('atSend writes nothing when the application left the headers alone', () => {
    const res = new Map<string, string>()
    const vary = writer.early(res, allowed)
    const writes: string[] = []
    const spy = createCorsWriter<Map<string, string>>({
      ...access,
      set: (target, name, value) => {
        writes.push(name)
        target.set(name, value)
      },
      delete: (target, name) => {
        writes.push(`-${name}`)
        target.delete(name)
      },
    })
    spy.atSend(res, allowed, vary)
    expect(writes).toEqual([])
  })

  it('never writes a key of a polluted prototype', () => {
    const headers = Object.create({ 'x-polluted': '1' }) as Record<string, string>
    headers['access-control-allow-origin'] = '*'
    const res = new Map<string, string>()
    writer.write(res, { headers, vary: [], unset: [] })
    expect([...res.keys()]).toEqual(['access-control-allow-origin'])
  })
})

it('a names pass removes only the headers the policy owns', () => {
  const res = new Map([
    ['x-app', '1'],
    ['access-control-max-age', '5'],
  ])
  listing.write(res, { headers: {}, vary: [], unset: ['x-app', 'access-control-max-age'] })
  expect([...res.keys()]).toEqual(['x-app'])
})

describe('corsHeadersRecord', () => {
  it('gives a new plain record of the decision’s headers and Vary, nothing of unset', () => {
    const first = corsHeadersRecord(allowed)
    expect(first).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    })
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype)
    expect(corsHeadersRecord(allowed)).not.toBe(first)
    expect(
      corsHeadersRecord({ headers: {}, vary: ['Origin', 'Access-Control-Request-Method'], unset: [] }),
    ).toEqual({
      vary: 'Origin, Access-Control-Request-Method',
    })
    expect(corsHeadersRecord({ headers: {}, vary: [], unset: ['access-control-max-age'] })).toEqual({})
  })
})
