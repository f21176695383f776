import { type CheckResult, fail, parseList, pass, quoteHeader, withCors } from './result.ts'
import { isSafelistedMethod } from './safelist.ts'
import type { DoctorResponse } from './types.ts'

const acam = 'Access-Control-Allow-Methods'
const acah = 'Access-Control-Allow-Headers'

/** A 3xx answer to a preflight: browsers never follow it. @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 step 7 */
export function preflightRedirect(response: DoctorResponse): CheckResult | null {
  if (response.status < 300 || response.status > 399) return null
  const location = response.headers['location']
  const to = location === undefined ? '' : ` to ${location}`
  return fail(
    'preflight-redirect',
    `the preflight was answered ${response.status} (a redirect${to}); a browser never follows a redirect on a preflight`,
    'answer OPTIONS at this URL itself (2xx with the CORS headers), before any redirect; or have the page call the final URL',
  )
}

/** The preflight needs an ok status (200-299). @see https://fetch.spec.whatwg.org/#ok-status */
export function preflightStatus(response: DoctorResponse): CheckResult {
  const { status } = response
  if (status >= 200 && status <= 299)
    return pass('preflight-status', `the preflight was answered ${status}, an ok status`)
  return fail(
    'preflight-status',
    `the preflight was answered ${status}; a browser needs a 2xx status`,
    statusFix(status),
  )
}

/**
 * A preflight answered with an error status and no CORS headers: the server (its CORS layer, an
 * authentication layer, or the router) refused it. Browsers report only the missing
 * Access-Control-Allow-Origin; the status says who answered.
 */
export function refusedPreflight(status: number): CheckResult {
  return fail(
    'preflight-refused',
    `the server refused the preflight: it answered ${status} without any CORS headers (a browser reports only "no Access-Control-Allow-Origin header")`,
    statusFix(status),
  )
}

const ok = 'answer OPTIONS preflights with 204 and the Access-Control-Allow-* headers'

/** The fix for a preflight answered `status` (not 2xx), by who most likely answered. */
export function statusFix(status: number): string {
  if (status === 403) {
    return `look at the server's reason for refusing it: its CORS layer or a guard in front answered 403 (with @cors/*: the \`onReject\` hook receives the reason, and \`debug: true\` in development makes the browser and this doctor name the failing check; other servers: their logs). If an authentication layer answered, ${ok} before it: a preflight never carries cookies or Authorization`
  }
  if (status === 401) {
    return withCors(
      `${ok} before authentication (this one got 401): a preflight never carries cookies or Authorization`,
      'register the CORS middleware before the authentication middleware',
    )
  }
  if (status === 404 || status === 405 || status === 501) {
    return withCors(
      `the server has no OPTIONS route at this path (it answered ${status}): ${ok}, from an OPTIONS route or a middleware that runs before routing`,
      'register the CORS middleware for every path, before the routes',
    )
  }
  if (status >= 500)
    return `the server failed on OPTIONS (${status}): ${ok} before the handler runs; its logs say why`
  return `${ok} (this one got ${status})`
}

/** The method and header checks of the preflight's answer. @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 step 7 */
export function preflightChecks(
  response: DoctorResponse,
  method: string,
  unsafeNames: readonly string[],
  credentials: boolean,
): CheckResult[] {
  const rawMethods = response.headers['access-control-allow-methods']
  const rawHeaders = response.headers['access-control-allow-headers']
  const methods = parseList(rawMethods)
  if (methods === null) {
    return [
      fail(
        'allow-methods-invalid',
        `the server sent ${quoteHeader(acam, rawMethods!)}, which is not a comma-separated list of methods`,
        `send a comma-separated list of method names, e.g. ${quoteHeader(acam, `GET, POST, ${method}`)}`,
      ),
    ]
  }
  const headers = parseList(rawHeaders)
  if (headers === null) {
    return [
      fail(
        'allow-headers-invalid',
        `the server sent ${quoteHeader(acah, rawHeaders!)}, which is not a comma-separated list of header names`,
        `send a list of header names, e.g. ${quoteHeader(acah, unsafeNames.join(', ') || 'Content-Type')}`,
      ),
    ]
  }
  const methodResult = checkMethod(method, methods, rawMethods, credentials)
  if (!methodResult.ok) return [methodResult]
  return [methodResult, checkHeaders(unsafeNames, headers ?? [], rawHeaders, credentials)]
}

function received(name: string, raw: string | undefined): string {
  return raw === undefined ? `no ${name} header` : quoteHeader(name, raw)
}

function checkMethod(
  method: string,
  methods: readonly string[] | undefined,
  raw: string | undefined,
  credentials: boolean,
): CheckResult {
  const list = methods ?? []
  // Safelisted methods pass whatever the list says; others must be listed byte for byte, and "*"
  // counts as a wildcard only without credentials.
  if (isSafelistedMethod(method) || list.includes(method) || (!credentials && list.includes('*'))) {
    return pass('allow-methods', `${method} is allowed (${received(acam, raw)})`)
  }
  const got = received(acam, raw)
  if (credentials && list.includes('*')) {
    return fail(
      'method-wildcard-with-credentials',
      `the request has credentials and the server sent ${got}: with credentials \`*\` is just a method named "*"`,
      withCors(`list \`${method}\` in ${acam} instead of \`*\``, `list \`${method}\` in \`methods\``),
    )
  }
  const other = list.find((item) => item.toLowerCase() === method.toLowerCase())
  if (other !== undefined) {
    return fail(
      'method-not-allowed',
      `the page sends the method \`${method}\` and the server sent ${got}: methods are compared case-sensitively, and fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT`,
      withCors(
        `send ${quoteHeader(acam, method)} (exactly as the page writes it) on the preflight's answer, or have the page send \`${other}\``,
        `add \`${method}\` to \`methods\``,
      ),
    )
  }
  return fail(
    'method-not-allowed',
    `the page sends the method \`${method}\` but the server sent ${got}`,
    withCors(
      `send ${quoteHeader(acam, method)} (or a list with it) on the preflight's answer`,
      `add \`${method}\` to \`methods\``,
    ),
  )
}

function checkHeaders(
  unsafeNames: readonly string[],
  allowed: readonly string[],
  raw: string | undefined,
  credentials: boolean,
): CheckResult {
  const got = received(acah, raw)
  const names = new Set(allowed.map((name) => name.toLowerCase()))
  const wildcard = names.has('*') && !credentials
  // Authorization is never covered by "*": a CORS non-wildcard request-header name.
  // @see https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
  if (unsafeNames.includes('authorization') && !names.has('authorization') && wildcard) {
    return fail(
      'authorization-not-covered',
      `the page sends Authorization and the server sent ${got}: \`*\` never covers Authorization`,
      withCors(
        `list \`Authorization\` in ${acah} by name, next to \`*\``,
        'add `Authorization` to `allowedHeaders`',
      ),
    )
  }
  const missing = unsafeNames.filter((name) => !names.has(name) && !wildcard)
  if (missing.length === 0) {
    const what = unsafeNames.length === 0 ? 'no header needs allowing' : `${unsafeNames.join(', ')} allowed`
    return pass('allow-headers', `${what} (${got})`)
  }
  const list = missing.map((name) => `\`${name}\``).join(', ')
  if (credentials && names.has('*')) {
    return fail(
      'header-wildcard-with-credentials',
      `the page sends ${list} with credentials and the server sent ${got}: with credentials \`*\` is just a header named "*"`,
      withCors(`list ${list} in ${acah} instead of \`*\``, `list ${list} in \`allowedHeaders\``),
    )
  }
  return fail(
    'header-not-allowed',
    `the page sends ${list} but the server sent ${got}`,
    withCors(
      `send ${quoteHeader(acah, missing.join(', '))} (or a list with ${missing.length > 1 ? 'them' : 'it'}) on the preflight's answer`,
      `add ${list} to \`allowedHeaders\``,
    ),
  )
}
