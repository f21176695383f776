import { describe, expect, it } from 'vitest'
import { DoctorNetworkError, diagnose, networkErrorDiagnosis } from './diagnose.ts'
import { DoctorRequestError } from './request.ts'

const origin = 'https://app.example.com'

describe('diagnose with an injected fetch', () => {
  it('sends manual-redirect requests with the browser headers', async () => {
    const calls: [string, RequestInit][] = []
    const fake = (async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return new Response(null, {
        status: init.method === 'OPTIONS' ? 204 : 200,
        headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'PUT' },
      })
    }) as typeof fetch
    const result = await diagnose('https://api.example.com/x', { origin, method: 'PUT' }, { fetch: fake })
    expect(result.verdict).toBe('allowed')
    expect(calls.map(([url, init]) => [url, init.method, init.redirect, init.headers])).toEqual([
      [
        'https://api.example.com/x',
        'OPTIONS',
        'manual',
        { accept: '*/*', origin, 'access-control-request-method': 'PUT' },
      ],
      ['https://api.example.com/x', 'PUT', 'manual', { accept: '*/*', origin }],
    ])
  })

  it.each([
    ['not a url', '"not a url" is not a URL: write it in full, e.g. https://api.example.com/todos'],
    ['ftp://x/', '"ftp://x/" is not an http: or https: URL'],
  ])('refuses the URL %s', async (url, message) => {
    await expect(diagnose(url, { origin })).rejects.toThrow(new DoctorRequestError(message))
  })

  it('explains a refused connection', async () => {
    const fake = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })
    }) as typeof fetch
    await expect(
      diagnose('http://127.0.0.1:9/', { origin }, { fetch: fake, pageAddressSpace: 'loopback' }),
    ).rejects.toThrow(
      new DoctorNetworkError(
        'GET to http://127.0.0.1:9/ failed: the connection was refused: is the server running on that host and port?',
      ),
    )
  })

  it('times out', async () => {
    const fake = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })) as typeof fetch
    await expect(
      diagnose(
        'http://127.0.0.1:9/',
        { origin, method: 'PUT' },
        { fetch: fake, timeout: 50, pageAddressSpace: 'loopback' },
      ),
    ).rejects.toThrow(
      new DoctorNetworkError(
        'the preflight (OPTIONS) to http://127.0.0.1:9/ got no answer within 50 ms (use --timeout to wait longer)',
        'preflight',
      ),
    )
  })

  it.each([0, -1, 1.5, 3_000_000_000])('refuses the timeout %d', async (timeout) => {
    await expect(diagnose('http://127.0.0.1:9/', { origin }, { timeout })).rejects.toThrow(RangeError)
  })

  it('turns a network failure into the error diagnosis --json prints', () => {
    const diagnosis = networkErrorDiagnosis(new DoctorNetworkError('GET to x failed: refused', 'actual'))
    expect(diagnosis).toEqual({
      verdict: 'error',
      preflight: null,
      response: null,
      readableHeaders: [],
      failure: {
        stage: 'actual',
        check: 'network-error',
        message: 'GET to x failed: refused',
        fix: 'make sure the server is running and reachable from here (host, port, firewall), then run again',
        chromeError: null,
      },
      steps: [],
    })
  })
})
