import { type CheckResult, pass } from './result.ts'
import { isForbiddenResponseHeader, safelistedResponseHeaders } from './safelist.ts'
import type { DoctorResponse } from './types.ts'

/**
 * The response headers a page can read: the CORS-safelisted response-header names, plus the names
 * in `Access-Control-Expose-Headers`, where `*` means every name only without credentials; never
 * `Set-Cookie`. Sorted, lower case, as `response.headers` iterates them.
 * @see https://fetch.spec.whatwg.org/#concept-filtered-response-cors
 * @see https://fetch.spec.whatwg.org/#main-fetch step 14.1 (CORS-exposed header-name list)
 */
export function readableHeaders(response: DoctorResponse, credentials: boolean): string[] {
  const exposed = exposedNames(response.headers['access-control-expose-headers'])
  const all = !credentials && exposed.has('*')
  return Object.keys(response.headers)
    .filter((name) => !isForbiddenResponseHeader(name))
    .filter((name) => all || safelistedResponseHeaders.has(name) || exposed.has(name))
    .sort()
}

function exposedNames(value: string | undefined): Set<string> {
  if (value === undefined) return new Set()
  const items = value.split(',').map((item) => item.trim().toLowerCase())
  // A value that does not parse as a list of names exposes nothing.
  if (!items.every((item) => item === '' || /^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(item))) return new Set()
  return new Set(items.filter((item) => item !== ''))
}

// Connection-level headers: never worth exposing, so not listed as hidden.
const transport = new Set(['connection', 'keep-alive', 'transfer-encoding'])

/** The step that reports what the page can read, and what stays hidden and how to expose it. */
export function readableStep(response: DoctorResponse, credentials: boolean): CheckResult {
  const readable = readableHeaders(response, credentials)
  const hidden = Object.keys(response.headers)
    .filter((name) => !readable.includes(name) && !name.startsWith('access-control-') && !transport.has(name))
    .sort()
  const can = readable.length === 0 ? 'no response header' : readable.join(', ')
  let message = `the page can read the body, the status and ${can}`
  if (hidden.length > 0) message += `; hidden: ${hidden.join(', ')} (add to exposedHeaders to make readable)`
  const exposed = response.headers['access-control-expose-headers']
  if (credentials && exposed !== undefined && exposedNames(exposed).has('*')) {
    message += '; `Access-Control-Expose-Headers: *` exposes nothing with credentials: list the names'
  }
  return pass('readable-headers', message)
}
