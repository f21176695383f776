import type { PageRequest } from './request.ts'
import { isSafelistedMethod, unsafeReason } from './safelist.ts'

/** Whether a request needs a preflight, and why, in words. */
export interface PreflightNeed {
  readonly needed: boolean
  /** Sorted, lower-case names of the headers the server must allow. */
  readonly unsafeNames: readonly string[]
  readonly message: string
}

// Above this many bytes of safelisted values, every safelisted header counts as unsafe.
const safelistTotal = 1024

/**
 * Fetch "CORS-unsafe request-header names": the headers that are not safelisted, plus every
 * safelisted one when their values add up to more than 1024 bytes; sorted, lower case, unique.
 * @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
 */
export function unsafeHeaderNames(headers: PageRequest['headers']): {
  names: string[]
  why: string[]
} {
  const unsafe = new Set<string>()
  const why: string[] = []
  const potentially: string[] = []
  let total = 0
  for (const [name, value] of headers) {
    const reason = unsafeReason(name, value)
    if (reason === null) {
      potentially.push(name)
      total += value.length
    } else {
      unsafe.add(name)
      why.push(`\`${name}\` is not CORS-safelisted (${reason})`)
    }
  }
  if (total > safelistTotal) {
    for (const name of potentially) unsafe.add(name)
    why.push(`the safelisted headers' values add up to ${total} bytes, over the 1024-byte total`)
  }
  // Sorted by code unit, as Fetch sorts bytes. @see https://fetch.spec.whatwg.org/#convert-header-names-to-a-sorted-lowercase-set
  return { names: [...unsafe].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), why }
}

/**
 * A page's fetch() needs a preflight when its method is not GET, HEAD or POST, or when it sets a
 * header that is not CORS-safelisted. @see https://fetch.spec.whatwg.org/#main-fetch step 12
 */
export function preflightNeed(request: PageRequest): PreflightNeed {
  const { names, why } = unsafeHeaderNames(request.headers)
  const reasons = isSafelistedMethod(request.method)
    ? why
    : [`the method ${request.method} is not GET, HEAD or POST`, ...why]
  if (reasons.length === 0) {
    return {
      needed: false,
      unsafeNames: names,
      message: `no preflight: ${request.method} with only CORS-safelisted headers goes straight to the server`,
    }
  }
  const asked = Object.entries(preflightHeaders('', request.method, names))
    .filter(([name]) => name.startsWith('access-control-'))
    .map(([name, value]) => `\`${name}: ${value}\``)
    .join(' and ')
  return {
    needed: true,
    unsafeNames: names,
    message: `a preflight is needed: ${reasons.join('; ')}. The browser sends OPTIONS with ${asked}, without credentials`,
  }
}

/**
 * The preflight exactly as the browser builds it: OPTIONS, the method asked for, the unsafe names
 * joined by `,` without spaces, and never credentials.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 steps 1-5
 */
export function preflightHeaders(
  origin: string,
  method: string,
  unsafeNames: readonly string[],
): Record<string, string> {
  const headers: Record<string, string> = {
    accept: '*/*',
    origin,
    'access-control-request-method': method,
  }
  if (unsafeNames.length > 0) headers['access-control-request-headers'] = unsafeNames.join(',')
  return headers
}
