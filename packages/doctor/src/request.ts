import { isForbiddenMethod, isForbiddenRequestHeader, isToken, normalizeMethod } from './safelist.ts'
import type { DoctorRequest } from './types.ts'

/** A request that fetch() itself would refuse to make (it throws a TypeError in the page). */
export class DoctorRequestError extends TypeError {
  override name = 'DoctorRequestError'
}

/** The page's request as fetch() holds it, after its own validation and normalization. */
export interface PageRequest {
  readonly origin: string
  readonly method: string
  /** Lower-case names in the order the page set them; repeated names joined with `, `. */
  readonly headers: readonly (readonly [string, string])[]
  /** Names fetch() dropped because a page may not set them. */
  readonly dropped: readonly string[]
  readonly credentials: boolean
}

// Leading and trailing HTTP whitespace is removed from every value a page sets.
// @see https://fetch.spec.whatwg.org/#concept-header-value-normalize
const normalizeValue = (value: string): string => value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')

/**
 * Validates and normalizes a page's request the way fetch() does, or throws `DoctorRequestError`
 * for what fetch() would throw on (a bad method or origin, a forbidden method, a bad header).
 */
export function toPageRequest(request: DoctorRequest): PageRequest {
  const origin = serializeOrigin(request.origin)
  const method = request.method ?? 'GET'
  if (!isToken(method)) throw new DoctorRequestError(`${JSON.stringify(method)} is not a valid HTTP method`)
  if (isForbiddenMethod(method)) {
    throw new DoctorRequestError(`fetch() refuses the method ${method}: browsers never send it`)
  }
  const joined = new Map<string, string>()
  const dropped: string[] = []
  const entries = Array.isArray(request.headers)
    ? (request.headers as readonly (readonly [string, string])[])
    : Object.entries(request.headers ?? {})
  for (const [rawName, rawValue] of entries) {
    const name = rawName.toLowerCase()
    const value = normalizeValue(rawValue)
    if (!isToken(rawName))
      throw new DoctorRequestError(`${JSON.stringify(rawName)} is not a valid header name`)
    // @see https://fetch.spec.whatwg.org/#header-value
    if (/[\0\n\r]|[^\0-\xff]/.test(value)) {
      throw new DoctorRequestError(`the value of ${rawName} has a character no header value may hold`)
    }
    if (isForbiddenRequestHeader(name, value)) {
      dropped.push(rawName)
      continue
    }
    // Repeated names become one value before the safelist checks, as in Chromium (whose request
    // headers are a map); the standard checks each entry, which only differs past 128 bytes.
    const previous = joined.get(name)
    joined.set(name, previous === undefined ? value : `${previous}, ${value}`)
  }
  // fetch() adds `Accept: */*` when the page set none. @see https://fetch.spec.whatwg.org/#fetching
  if (!joined.has('accept')) joined.set('accept', '*/*')
  return {
    origin,
    method: normalizeMethod(method),
    headers: [...joined],
    dropped,
    credentials: request.credentials === true,
  }
}

/** The origin of a page, serialized: `scheme://host[:port]`, or throws when it is not one. */
export function serializeOrigin(origin: string): string {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    url = new URL('null:')
  }
  if (url.origin === 'null') {
    // `localhost:5173`, `app.example.com`: the scheme is missing (URL reads `localhost:` as one).
    if (/^[a-z0-9.-]+(:\d+)?$/i.test(origin)) {
      const scheme = /^(localhost|127\.|\[::1\])/i.test(origin) ? 'http' : 'https'
      throw new DoctorRequestError(
        `${JSON.stringify(origin)} is not an origin: write the scheme too, e.g. ${scheme}://${origin.toLowerCase()}`,
      )
    }
    throw new DoctorRequestError(`${JSON.stringify(origin)} is not an origin such as https://app.example.com`)
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new DoctorRequestError(
      `${JSON.stringify(origin)} is not an origin: write the scheme, host and port only, e.g. ${url.origin}`,
    )
  }
  return url.origin
}
