import { refusedPreflight } from './preflight-checks.ts'
import { type CheckResult, fail, pass, quoteHeader, withCors } from './result.ts'
import type { DoctorResponse } from './types.ts'

const acao = 'Access-Control-Allow-Origin'
const acac = 'Access-Control-Allow-Credentials'

/** What the CORS check needs to know about the request. */
export interface CorsCheckInput {
  /** The serialized request origin: the page's origin, or `null` after a cross-origin redirect. */
  readonly origin: string
  readonly credentials: boolean
}

/**
 * Fetch "CORS check": the response must name the page's origin byte for byte (or be `*` without
 * credentials), and with credentials also say `Access-Control-Allow-Credentials: true` exactly.
 * @see https://fetch.spec.whatwg.org/#concept-cors-check
 */
export function corsCheck(
  response: DoctorResponse,
  request: CorsCheckInput,
  preflight: boolean,
): CheckResult {
  const origin = response.headers['access-control-allow-origin']
  const { credentials } = request
  // Step 2: no header at all. (Several headers are joined by ", " and so fail step 4.)
  if (origin === undefined) return missingOrigin(response, request, preflight)
  if (origin.includes(',')) {
    return fail(
      'allow-origin-multiple',
      `the server sent ${quoteHeader(acao, origin)}: several values, but a browser accepts exactly one`,
      `send ${acao} once, with the single value ${request.origin}: two layers add it. Turn off the Function URL's / API Gateway's own CORS setting or the code's (or the proxy's, or the application's)`,
    )
  }
  if (origin === '*') {
    // Step 3: "*" is enough only when the request has no credentials.
    if (!credentials)
      return pass('cors-check', `the server sent ${quoteHeader(acao, '*')}: any origin may read`)
    return fail(
      'allow-origin-wildcard-with-credentials',
      `the server sent ${quoteHeader(acao, '*')} but the request has credentials`,
      withCors(
        `send the origin itself (${quoteHeader(acao, request.origin)}) and ${quoteHeader(acac, 'true')}`,
        'list the origins in `origin` and set `credentials: true`',
      ),
    )
  }
  // Step 4: byte-for-byte equality with the serialized origin: no trailing slash, case as sent.
  if (origin !== request.origin) return mismatch(origin, request.origin)
  const matched = `the server sent ${quoteHeader(acao, origin)}, the page's origin`
  if (!credentials) return pass('cors-check', matched)
  // Steps 6-7: with credentials, `true` exactly (not `True`, not `1`).
  const allow = response.headers['access-control-allow-credentials']
  if (allow === 'true') return pass('cors-check', `${matched}, and ${quoteHeader(acac, 'true')}`)
  const got = allow === undefined ? `no ${acac} header` : quoteHeader(acac, allow)
  return fail(
    'allow-credentials-missing',
    `the request has credentials but the server sent ${got}; it must be exactly \`true\``,
    withCors(`send ${quoteHeader(acac, 'true')}`, '`credentials: true`'),
  )
}

function missingOrigin(response: DoctorResponse, request: CorsCheckInput, preflight: boolean): CheckResult {
  const what = preflight ? 'the preflight response' : 'the response'
  const message = `${what} (status ${response.status}) has no ${acao} header`
  // A preflight answered with an error status and no CORS headers was refused (or never reached a
  // CORS layer): "allow the origin" would point at the wrong cause.
  if (preflight && (response.status < 200 || response.status > 299)) return refusedPreflight(response.status)
  if (request.origin === 'null') {
    return fail(
      'allow-origin-missing',
      `${message}; after a redirect to another origin the browser sends \`Origin: null\``,
      `redirect to the final URL from the page itself, or send ${quoteHeader(acao, '*')} (without credentials) on the target`,
    )
  }
  const on = preflight ? "on the preflight's answer (and on the actual response)" : 'on the response'
  return fail(
    'allow-origin-missing',
    message,
    withCors(
      `send ${quoteHeader(acao, request.origin)} ${on}`,
      `add ${request.origin} to the \`origin\` option`,
    ),
  )
}

function mismatch(origin: string, expected: string): CheckResult {
  const message = `the server sent ${quoteHeader(acao, origin)} but the page's origin is ${expected}; they must be equal byte for byte`
  let fix = withCors(
    `send ${quoteHeader(acao, expected)} for this origin`,
    `add ${expected} to the \`origin\` option`,
  )
  if (origin === `${expected}/`) fix = `remove the trailing slash: send ${quoteHeader(acao, expected)}`
  else if (origin.toLowerCase() === expected.toLowerCase())
    fix = `write the origin as the browser does, in lower case: ${quoteHeader(acao, expected)}`
  else if (origin.trim() === expected) fix = `remove the whitespace around the value`
  return fail('allow-origin-mismatch', message, fix)
}
