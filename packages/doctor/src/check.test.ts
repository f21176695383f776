import { describe, expect, it } from 'vitest'
import { checkExpectations } from './check.ts'
import { DoctorRequestError } from './request.ts'

const app = 'https://app.example.com'
const api = 'https://api.example.com/todos'

// A deployed API that allows one origin, answering from an injected fetch.
const deployed = (async (_url: string, init: RequestInit) => {
  const headers = init.headers as Record<string, string>
  const allowed = headers['origin'] === app
  if (String(init.method) === 'GET' && headers['origin'] === 'https://down.example') {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })
  }
  return new Response(null, {
    status: init.method === 'OPTIONS' ? (allowed ? 204 : 403) : 200,
    headers: allowed ? { 'Access-Control-Allow-Origin': app, 'Access-Control-Allow-Methods': 'PUT' } : {},
  })
}) as typeof fetch

describe('checkExpectations', () => {
  it('compares each verdict with the expected one', async () => {
    const report = await checkExpectations(
      [
        { url: api, origin: app, method: 'PUT', expect: 'allowed' },
        { url: api, origin: 'https://evil.example', expect: 'blocked' },
      ],
      { fetch: deployed },
    )
    expect(report.verdict).toBe('as-expected')
    expect(report.results.map((result) => [result.expect, result.got.verdict, result.ok])).toEqual([
      ['allowed', 'allowed', true],
      ['blocked', 'blocked', true],
    ])
    expect(report.results[0]!.request).toEqual({ url: api, origin: app, method: 'PUT' })
  })

  it('reports a partner that would break and a stranger that would get in', async () => {
    const report = await checkExpectations(
      [
        { url: api, origin: 'https://partner.example.org', expect: 'allowed' },
        { url: api, origin: app, expect: 'blocked' },
      ],
      { fetch: deployed },
    )
    expect(report.verdict).toBe('unexpected')
    expect(report.results.map((result) => [result.got.verdict, result.ok])).toEqual([
      ['blocked', false],
      ['allowed', false],
    ])
    expect(report.results[0]!.got.failure?.check).toBe('allow-origin-missing')
  })

  it('records a request that could not be judged as verdict error and goes on', async () => {
    const report = await checkExpectations(
      [
        { url: api, origin: 'https://down.example', expect: 'allowed' },
        { url: api, origin: app, expect: 'allowed' },
      ],
      { fetch: deployed },
    )
    expect(report.results.map((result) => result.got.verdict)).toEqual(['error', 'allowed'])
    expect(report.results[0]!.got.failure).toMatchObject({ check: 'network-error' })
  })

  it('throws for a request fetch() would refuse', async () => {
    await expect(
      checkExpectations([{ url: api, origin: app, method: 'TRACE', expect: 'blocked' }], { fetch: deployed }),
    ).rejects.toThrow(DoctorRequestError)
  })
})
