// The Fetch standard's method sets: each defined here once, for the decider, the validator and the
// doctor's predictions alike.

const forbiddenMethods: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK'])

/**
 * Fetch "forbidden method", in any case: browsers never send these, so they are never allowed.
 * @see https://fetch.spec.whatwg.org/#forbidden-method
 */
export function isForbiddenMethod(method: string): boolean {
  return forbiddenMethods.has(method.toUpperCase())
}

/**
 * Fetch "CORS-safelisted method": a browser sends these without asking first, so a preflight is
 * never refused for one of them. Compared as sent (case-sensitive).
 * @see https://fetch.spec.whatwg.org/#cors-safelisted-method
 */
export function isSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST'
}

// Fetch upper-cases only these method names; any other is sent exactly as the page wrote it.
// @see https://fetch.spec.whatwg.org/#concept-method-normalize
const normalizedMethods: ReadonlySet<string> = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])

/** Whether Fetch sends this method upper-cased whatever case the page wrote it in. */
export function isNormalizedMethod(method: string): boolean {
  return normalizedMethods.has(method.toUpperCase())
}
