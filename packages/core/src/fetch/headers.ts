/** Longest `Access-Control-Request-Headers` value a preflight may send before it is refused. */
export const maxRequestHeadersLength = 4096
/** Most header names one preflight may ask for before it is refused. */
export const maxRequestHeadersCount = 100

// RFC 9110 tchar, as a lookup table over ASCII.
const tchar = new Uint8Array(128)
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  tchar[c.charCodeAt(0)] = 1
}

function isTokenChar(code: number): boolean {
  return code < 128 && tchar[code] === 1
}

// Optional whitespace (RFC 9110 OWS): space or horizontal tab.
function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09
}

/** Whether `value` is an RFC 9110 token: the syntax of header names and methods. */
export function isToken(value: string): boolean {
  if (value.length === 0) return false
  for (let i = 0; i < value.length; i++) if (!isTokenChar(value.charCodeAt(i))) return false
  return true
}

/**
 * Fetch "forbidden request-header": names a page can never set, so allowing them is a mistake.
 * @see https://fetch.spec.whatwg.org/#forbidden-request-header
 */
const forbiddenRequestHeaders: ReadonlySet<string> = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
])

/** Whether a (lower-case) name is a Fetch forbidden request-header name. */
export function isForbiddenRequestHeader(name: string): boolean {
  return forbiddenRequestHeaders.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')
}

/**
 * Fetch "forbidden response-header name": a page can never read these, whatever is exposed.
 * @see https://fetch.spec.whatwg.org/#forbidden-response-header-name
 */
export function isForbiddenResponseHeader(name: string): boolean {
  return name === 'set-cookie' || name === 'set-cookie2'
}

/** Whether a (lower-case) name belongs to the CORS protocol itself. */
export function isProtocolHeader(name: string): boolean {
  return name.startsWith('access-control-')
}

/** The outcome of parsing `Access-Control-Request-Headers`. */
export type ParsedRequestHeaders = readonly string[] | 'invalid' | 'too-large'

/**
 * Where `parseRequestHeaders` stopped, for tests and benchmarks that prove its cost: `examined` is
 * the scan position (the characters before it were consumed, the one at it was the last looked at,
 * none after it were read), `items` the names collected. The position only moves forward and each
 * character is looked at a bounded number of times, so the work is linear in `examined`.
 */
export interface RequestHeadersWork {
  examined: number
  items: number
}

function stop(
  work: RequestHeadersWork | undefined,
  examined: number,
  items: number,
  result: ParsedRequestHeaders,
): ParsedRequestHeaders {
  if (work !== undefined) {
    work.examined = examined
    work.items = items
  }
  return result
}

/**
 * Parses `Access-Control-Request-Headers` into lower-case names, in one linear pass. Tolerates
 * optional whitespace and empty items (several header lines joined by commas); refuses anything
 * that is not a token list, longer than `maxRequestHeadersLength` or naming more than
 * `maxRequestHeadersCount` headers, so a hostile value costs at most linear time. `work`, when
 * given, receives where the scan stopped (written once, on return: the loop itself counts nothing).
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch (the browser sends a sorted, lower-case list)
 */
export function parseRequestHeaders(value: string, work?: RequestHeadersWork): ParsedRequestHeaders {
  // Refused before a single character is read: the cost of an oversized value is its length check.
  if (value.length > maxRequestHeadersLength) return stop(work, 0, 0, 'too-large')
  const names: string[] = []
  let i = 0
  const end = value.length
  while (i < end) {
    const code = value.charCodeAt(i)
    if (isOws(code) || code === 0x2c) {
      i++
      continue
    }
    const start = i
    while (i < end && isTokenChar(value.charCodeAt(i))) i++
    if (i === start) return stop(work, i, names.length, 'invalid')
    if (names.length === maxRequestHeadersCount) return stop(work, i, names.length, 'too-large')
    names.push(value.slice(start, i).toLowerCase())
    // After a name: optional whitespace, then a comma or the end.
    while (i < end && isOws(value.charCodeAt(i))) i++
    if (i < end && value.charCodeAt(i) !== 0x2c) return stop(work, i, names.length, 'invalid')
  }
  return stop(work, i, names.length, names)
}
