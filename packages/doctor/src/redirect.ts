import type { PageRequest } from './request.ts'
import { type CheckResult, fail, pass } from './result.ts'
import type { DoctorResponse } from './types.ts'

/** One request of a redirect chain. */
export interface Hop {
  readonly url: string
  readonly method: string
  readonly headers: PageRequest['headers']
  /** The serialized request origin: `null` once a redirect crossed origins. */
  readonly origin: string
  readonly redirects: number
}

/** @see https://fetch.spec.whatwg.org/#redirect-status */
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308
}

// Headers dropped when a redirect turns the request into a GET.
// @see https://fetch.spec.whatwg.org/#request-body-header-name
const bodyHeaders = new Set(['content-encoding', 'content-language', 'content-location', 'content-type'])

/**
 * Fetch "HTTP-redirect fetch" for a CORS request that follows redirects: the next hop and the step
 * that explains it, or `null` when the response is not a redirect to follow.
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 */
export function follow(
  hop: Hop,
  response: DoctorResponse,
  page: PageRequest,
): { hop: Hop; result: CheckResult } | null {
  const location = response.headers['location']
  if (!isRedirect(response.status) || location === undefined) return null
  let next: URL
  try {
    next = new URL(location, hop.url)
  } catch {
    return stop(
      hop,
      fail(
        'redirect',
        `the redirect's Location \`${location}\` is not a URL`,
        'send a valid URL in Location',
      ),
    )
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return stop(
      hop,
      fail(
        'redirect',
        `the redirect goes to ${next.protocol} URL, which fetch() cannot follow`,
        'redirect to an http: or https: URL',
      ),
    )
  }
  // Step 7-8: a CORS request never follows a redirect to a URL with a user name or password.
  if (next.username !== '' || next.password !== '') {
    return stop(
      hop,
      fail(
        'redirect-credentials',
        `the redirect goes to ${next.href}, a URL with credentials in it`,
        'redirect to a URL without user name and password',
      ),
    )
  }
  // Step 5: at most 20 redirects.
  if (hop.redirects >= 20) {
    return stop(
      hop,
      fail('redirect-limit', 'more than 20 redirects', 'end the redirect chain: it probably loops'),
    )
  }
  const current = new URL(hop.url).origin
  // Step 11: crossing to another origin from a URL that is not the page's own taints the origin: from
  // then on the browser sends `Origin: null`.
  const tainted = hop.origin === 'null' || (next.origin !== current && page.origin !== current)
  const toGet =
    ((response.status === 301 || response.status === 302) && hop.method === 'POST') ||
    (response.status === 303 && hop.method !== 'GET' && hop.method !== 'HEAD')
  const method = toGet ? 'GET' : hop.method
  const headers = toGet ? hop.headers.filter(([name]) => !bodyHeaders.has(name)) : hop.headers
  const notes = [toGet ? `the method becomes GET` : '', tainted ? 'the browser now sends `Origin: null`' : '']
  const extra = notes.filter((note) => note !== '').join('; ')
  const message = `followed ${response.status} to ${next.href}${extra === '' ? '' : `: ${extra}`}`
  return {
    hop: {
      url: next.href,
      method,
      headers,
      origin: tainted ? 'null' : hop.origin,
      redirects: hop.redirects + 1,
    },
    result: pass('redirect', message),
  }
}

function stop(hop: Hop, result: CheckResult): { hop: Hop; result: CheckResult } {
  return { hop, result }
}
