import type { ConformanceClient, ConformanceRequest } from './types.ts'

/**
 * The request's headers as `[name, value]` lines, one per header line: what `new Headers()` and
 * `new Request()` take, so a repeated header is sent (and joined by the platform) as it would be on
 * the wire.
 *
 * @example
 * new Request(url, { method, headers: headerLines(request) })
 */
export function headerLines(request: ConformanceRequest): [string, string][] {
  const lines: [string, string][] = []
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (typeof value === 'string') lines.push([name, value])
    else for (const line of value) lines.push([name, line])
  }
  return lines
}

/**
 * The request's headers as a record whose arrays are repeated header lines: what Node-style APIs
 * (`app.inject`, supertest's `.set`) take.
 *
 * @example
 * app.inject({ method, url: path, headers: headerRecord(request) })
 */
export function headerRecord(request: ConformanceRequest): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    record[name] = typeof value === 'string' ? value : [...value]
  }
  return record
}

/** A Fetch handler: `app.fetch`, `app.handle`, `app.request`, what `withCors` returns. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/**
 * The conformance client of an app with a Fetch handler, with no socket: each request becomes
 * `new Request(base + path)` with its header lines (so the request's Host header is the one the row
 * gives), goes through the handler, and the Response is read back whole. `app` builds the handler
 * around `onCall`, which the app's route handlers call: `handlerCalled` says whether one ran for this
 * request.
 *
 * @example
 * fetchClient((onCall) => {
 *   const app = conformanceApp(options, onCall)
 *   return (request) => app.fetch(request)
 * })
 */
export function fetchClient(
  app: (onCall: () => void) => FetchHandler,
  base = 'http://localhost',
): ConformanceClient {
  let called = false
  const handler = app(() => {
    called = true
  })
  return async (request) => {
    called = false
    const response = await handler(
      new Request(new URL(request.path, base), { method: request.method, headers: headerLines(request) }),
    )
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      handlerCalled: called,
      body: await response.text(),
    }
  }
}

/**
 * `init` with an `Origin` header from `origin`, for tests that call a Fetch API themselves
 * (`app.request(path, init)`, `new Request(url, init)`). Headers given as a plain record only.
 *
 * @example
 * app.request('/ok', initFrom('https://app.example.com', { method: 'POST' }))
 */
export const initFrom = (origin: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { origin, ...(init.headers as Record<string, string>) },
})

/**
 * A preflight's `init` from `origin`: OPTIONS with Access-Control-Request-Method and, when given,
 * Access-Control-Request-Headers.
 *
 * @example
 * app.request('/ok', preflightInit('https://app.example.com', 'PUT', 'x-token'))
 */
export const preflightInit = (origin: string, method: string, requestHeaders?: string): RequestInit =>
  initFrom(origin, {
    method: 'OPTIONS',
    headers: {
      'access-control-request-method': method,
      ...(requestHeaders === undefined ? {} : { 'access-control-request-headers': requestHeaders }),
    },
  })

/** The Vary names of every preflight answer whose policy depends on the origin, in lower case. */
export const preflightVary: readonly string[] = [
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
]

/** A request from `origin` (none when omitted), GET unless `method` says otherwise. */
export const get = (
  path: string,
  origin?: string | readonly string[],
  method = 'GET',
): ConformanceRequest => ({
  method,
  path,
  headers: origin === undefined ? {} : { origin },
})

/** A CORS preflight: OPTIONS with Origin, Access-Control-Request-Method and, when given, -Headers. */
export const preflight = (
  path: string,
  origin: string | readonly string[],
  method: string,
  requestHeaders?: string | readonly string[],
): ConformanceRequest => ({
  method: 'OPTIONS',
  path,
  headers: {
    origin,
    'access-control-request-method': method,
    ...(requestHeaders === undefined ? {} : { 'access-control-request-headers': requestHeaders }),
  },
})
