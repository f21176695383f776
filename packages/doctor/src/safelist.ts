import {
  isForbiddenMethod,
  isForbiddenRequestHeader as isForbiddenName,
  isNormalizedMethod,
  isToken,
} from '@cors/core'
// The request side of the CORS protocol: which methods and request headers a page may use without
// asking the server first. Everything here follows the Fetch standard's definitions; the method sets
// are the core's (packages/core/src/fetch/methods.ts), defined once for the server and the doctor.

/** Fetch "normalize a method": what fetch() sends for the method a page wrote (`patch` stays `patch`). */
export function normalizeMethod(method: string): string {
  return isNormalizedMethod(method) ? method.toUpperCase() : method
}

// The Fetch vocabulary the server side uses too (token syntax, forbidden methods and headers).
export { isForbiddenMethod, isForbiddenResponseHeader, isSafelistedMethod, isToken } from '@cors/core'

const methodOverrides = new Set(['x-http-method', 'x-http-method-override', 'x-method-override'])

/**
 * Headers a page can never set: fetch() drops them silently.
 * @see https://fetch.spec.whatwg.org/#forbidden-request-header
 */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase()
  if (isForbiddenName(lower)) return true
  // A method override naming a forbidden method is forbidden too.
  return methodOverrides.has(lower) && value.split(',').some((item) => isForbiddenMethod(item.trim()))
}

// 0x00-0x1F except HT, and "():<>?@[\]{} and DEL.
// @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
const unsafeBytes = /[\x00-\x08\x0a-\x1f"():<>?@[\\\]{}\x7f]/
// Accept-Language and Content-Language: only 0-9 A-Z a-z space *,-.;=
const languageValue = /^[0-9A-Za-z *,\-.;=]*$/
const safelistedContentTypes = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
])

const safelistedNames = new Set(['accept', 'accept-language', 'content-language', 'content-type', 'range'])

// Chromium safelists a few more headers than Fetch (client hints and its own Intervention header),
// each with a value rule. Measured in Chromium 156 by the agreement suite: without them the doctor
// would predict a preflight Chromium does not send.
const decimal = /^[0-9]+(\.[0-9]+)?$/
const integer = /^[0-9]+$/
const chromiumExtras: ReadonlyMap<string, (value: string) => boolean> = new Map([
  ['dpr', (value: string) => decimal.test(value)],
  ['device-memory', (value: string) => decimal.test(value)],
  ['downlink', (value: string) => decimal.test(value)],
  ['width', (value: string) => integer.test(value)],
  ['viewport-width', (value: string) => integer.test(value)],
  ['rtt', (value: string) => integer.test(value)],
  ['save-data', (value: string) => value.toLowerCase() === 'on'],
  ['ect', (value: string) => ['slow-2g', '2g', '3g', '4g'].includes(value)],
  ['intervention', () => true],
])

/** Why a header is not safelisted, or `null` when it is. Names are lower case. */
export function unsafeReason(name: string, value: string): string | null {
  const extra = chromiumExtras.get(name)
  if (extra !== undefined) {
    if (value.length > 128) return `its value is ${value.length} bytes long, over the 128-byte limit`
    return extra(value) ? null : 'Chromium safelists it only with a well-formed client-hint value'
  }
  if (!safelistedNames.has(name)) {
    return 'only Accept, Accept-Language, Content-Language, Content-Type and Range can be'
  }
  // @see https://fetch.spec.whatwg.org/#cors-safelisted-request-header step 1
  if (value.length > 128) return `its value is ${value.length} bytes long, over the 128-byte limit`
  switch (name) {
    case 'accept':
      return unsafeBytes.test(value) ? 'its value contains a byte Fetch deems unsafe' : null
    case 'accept-language':
    case 'content-language':
      return languageValue.test(value)
        ? null
        : 'its value has a character other than 0-9 A-Z a-z space *,-.;='
    case 'content-type':
      return contentTypeReason(value)
    default:
      return isSafelistedRange(value) ? null : 'its value is not a single `bytes=start-[end]` range'
  }
}

function contentTypeReason(value: string): string | null {
  if (unsafeBytes.test(value)) return 'its value contains a byte Fetch deems unsafe'
  const essence = mimeEssence(value)
  if (essence !== null && safelistedContentTypes.has(essence)) return null
  return 'its type is not application/x-www-form-urlencoded, multipart/form-data or text/plain'
}

/**
 * The essence (`type/subtype`, lower case) of a MIME type, or `null` when it does not parse.
 * Parameters never make parsing fail, so they are not read.
 * @see https://mimesniff.spec.whatwg.org/#parse-a-mime-type
 */
export function mimeEssence(value: string): string | null {
  const trimmed = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
  const slash = trimmed.indexOf('/')
  if (slash < 0) return null
  const type = trimmed.slice(0, slash)
  const semicolon = trimmed.indexOf(';', slash)
  const subtype = trimmed.slice(slash + 1, semicolon < 0 ? undefined : semicolon).replace(/[\t\n\r ]+$/, '')
  if (!isToken(type) || !isToken(subtype)) return null
  return `${type}/${subtype}`.toLowerCase()
}

/**
 * A Range header is safelisted only as one `bytes=start-` or `bytes=start-end` range, without
 * whitespace and with a start (a suffix range such as `bytes=-500` is not).
 * @see https://fetch.spec.whatwg.org/#simple-range-header-value
 */
export function isSafelistedRange(value: string): boolean {
  const match = /^bytes=([0-9]+)-([0-9]*)$/i.exec(value)
  if (match === null) return false
  const [, start, end] = match as unknown as [string, string, string]
  return end === '' || Number(start) <= Number(end)
}

/** Response headers a page can always read. @see https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name */
export const safelistedResponseHeaders: ReadonlySet<string> = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
])
