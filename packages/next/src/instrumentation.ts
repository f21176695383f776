/**
 * @module
 * `@cors/next/instrumentation`: keeps the proxy's `Vary: Origin` on App Router pages. Next's page
 * renderer (your pages, and Next's own 404 and error pages) sets `Vary` with `res.setHeader`, which
 * replaces the `Vary` the proxy's answer put on the response; a shared cache could then serve one
 * origin's copy, with its `Access-Control-Allow-Origin`, to another. Node runtime only.
 */
import { ServerResponse } from 'node:http'
import { appendVary } from '@cors/core'

// The names a CORS decision puts in Vary: the only ones kept when Next replaces the header.
const corsVary = new Set(['origin', 'access-control-request-method', 'access-control-request-headers'])
const kept = Symbol.for('@cors/next: keep CORS Vary')

const names = (value: unknown): string[] =>
  (Array.isArray(value) ? value.join(',') : String(value))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')

type SetHeader = ServerResponse['setHeader']

/**
 * Makes `setHeader('Vary', value)` on Next's responses keep the CORS names (`Origin`,
 * `Access-Control-Request-Method`, `Access-Control-Request-Headers`) already in `Vary`, adding the
 * new value's names to them instead of dropping them. Nothing else changes. Call it once from
 * `register()` in `instrumentation.ts`, for the Node runtime; calling it again does nothing.
 *
 * @example
 * // instrumentation.ts
 * export async function register() {
 *   if (process.env.NEXT_RUNTIME === 'nodejs') (await import('@cors/next/instrumentation')).keepCorsVary()
 * }
 */
export function keepCorsVary(): void {
  const prototype = ServerResponse.prototype as ServerResponse & { [kept]?: true }
  if (prototype[kept]) return
  const setHeader: SetHeader = prototype.setHeader
  prototype.setHeader = function (this: ServerResponse, name, value) {
    if (typeof name === 'string' && name.toLowerCase() === 'vary') {
      const existing = this.getHeader('vary')
      const cors = existing === undefined ? [] : names(existing).filter((n) => corsVary.has(n.toLowerCase()))
      if (cors.length > 0) return setHeader.call(this, name, appendVary(cors.join(', '), names(value)))
    }
    return setHeader.call(this, name, value)
  } as SetHeader
  Object.defineProperty(prototype, kept, { value: true })
}
