import type { ConformanceRequest } from './types.ts'

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
