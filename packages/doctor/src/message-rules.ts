import { statusFix } from './preflight-checks.ts'
import { withCors } from './result.ts'
import type { DoctorCheck, DoctorStage } from './types.ts'

// What Chromium, Firefox and Safari print for each CORS failure, as data: the pattern of the
// reason, the check it names, and the explanation and fix in the doctor's words. Quotes are
// normalized to ' first (Firefox prints ‘ ’). Sources: Chromium's CORS error strings (the
// console messages the agreement suite captures), MDN's list of Firefox's "Reason:" messages,
// WebKit's access-control messages.

/** What a rule pulls out of the message, to explain it. */
export interface Found {
  /** The page origin, when the message names it. */
  readonly origin: string | null
  /** The rule's captured value (a method, a header, a header value, a status, a URL). */
  readonly value: string
}

/** One reason a browser prints. */
export interface MessageRule {
  readonly pattern: RegExp
  readonly stage: DoctorStage
  readonly check: DoctorCheck
  readonly explain: (found: Found) => string
  readonly fix: (found: Found) => string
  /** What the rule tells about the request: the method or header it names, credentials. */
  readonly names?: 'method' | 'header'
  readonly credentials?: true
}

const acao = 'Access-Control-Allow-Origin'
const page = (found: Found): string => found.origin ?? 'the page'
const allowOrigin = (found: Found): string =>
  withCors(
    `send \`${acao}: ${page(found)}\` on every response to this page, the preflight's answer included`,
    `add ${page(found)} to the \`origin\` option`,
  )
const preflightMissing: MessageRule['fix'] = (found) =>
  withCors(
    `answer the OPTIONS preflight with 204 and \`${acao}: ${page(found)}\`, before authentication and routing; if the server refused it (a 401, 403 or 404 without CORS headers), its status says who did: run with --probe`,
    `add ${page(found)} to \`origin\`, register the middleware before the routes, and read the reason in \`onReject\` (or set \`debug: true\` in development)`,
  )
const multiple = () =>
  `send ${acao} once: two layers add it. Turn off the Function URL's / API Gateway's own CORS setting or the code's (or the proxy's, or the application's)`
const wildcard = (found: Found) =>
  withCors(
    `send the origin itself (\`${acao}: ${page(found)}\`) and \`Access-Control-Allow-Credentials: true\``,
    'list the origins in `origin` and set `credentials: true`',
  )
const credentials = () =>
  withCors('send `Access-Control-Allow-Credentials: true` (exactly)', '`credentials: true`')
const method = (found: Found) =>
  withCors(
    `list \`${found.value}\` in \`Access-Control-Allow-Methods\` on the preflight's answer, written exactly as the page writes it`,
    `add \`${found.value}\` to \`methods\``,
  )
const header = (found: Found) =>
  withCors(
    `list \`${found.value}\` in \`Access-Control-Allow-Headers\` on the preflight's answer (\`*\` never covers Authorization, nor anything with credentials)`,
    `add \`${found.value}\` to \`allowedHeaders\``,
  )
const mismatch = (found: Found) =>
  withCors(
    `send \`${acao}: ${page(found)}\`, byte for byte: no trailing slash, lower case, one value`,
    `add ${page(found)} to the \`origin\` option`,
  )
const list = (name: string) => () => `send \`${name}\` as a comma-separated list of names`
const preflightRedirect = () =>
  'answer OPTIONS at the URL the page calls (2xx with the CORS headers), before any redirect; or have the page call the final URL'
const lna = (found: Found) =>
  `the page on a public address asked for a ${found.value === 'local' ? 'private (local network)' : `\`${found.value}\``} address: Chrome asks the user for permission (Local Network Access). The page must be a secure context (https) and may state \`targetAddressSpace\` in fetch(); iframes need \`allow="local-network-access"\`; the user must accept the prompt. No server header replaces it (Access-Control-Allow-Private-Network no longer helps)`

/** Chromium: the text after "has been blocked by CORS policy: ". */
export const chromiumRules: readonly MessageRule[] = [
  {
    pattern:
      /Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header/,
    stage: 'preflight',
    check: 'allow-origin-missing',
    explain: () =>
      "the preflight's answer had no Access-Control-Allow-Origin header: the server refused the preflight, or never reached its CORS layer, or does not allow this origin",
    fix: preflightMissing,
  },
  {
    pattern: /No 'Access-Control-Allow-Origin' header is present/,
    stage: 'actual',
    check: 'allow-origin-missing',
    explain: () =>
      'the response had no Access-Control-Allow-Origin header: the server does not allow this origin',
    fix: allowOrigin,
  },
  {
    pattern: /The 'Access-Control-Allow-Origin' header contains multiple values '([^']*)'/,
    stage: 'actual',
    check: 'allow-origin-multiple',
    explain: (found) =>
      `the server sent Access-Control-Allow-Origin twice (${found.value}); a browser accepts one`,
    fix: multiple,
  },
  {
    pattern: /The 'Access-Control-Allow-Origin' header (?:has a value|contains the invalid value) '([^']*)'/,
    stage: 'actual',
    check: 'allow-origin-mismatch',
    explain: (found) =>
      `the server sent \`${acao}: ${found.value}\`, which is not the page's origin (${page(found)}) byte for byte`,
    fix: mismatch,
  },
  {
    pattern: /must not be the wildcard '\*' when the request's credentials mode is 'include'/,
    stage: 'actual',
    check: 'allow-origin-wildcard-with-credentials',
    credentials: true,
    explain: () =>
      `the server sent \`${acao}: *\`, but the request has credentials: \`*\` is not enough then`,
    fix: wildcard,
  },
  {
    pattern: /'Access-Control-Allow-Credentials' header in the response is '([^']*)' which must be 'true'/,
    stage: 'actual',
    check: 'allow-credentials-missing',
    credentials: true,
    explain: (found) =>
      `the request has credentials and the server sent Access-Control-Allow-Credentials '${found.value}'; it must be exactly \`true\``,
    fix: credentials,
  },
  {
    pattern: /It does not have HTTP ok status/,
    stage: 'preflight',
    check: 'preflight-status',
    explain: () => "the preflight's answer carried the CORS headers but its status was not 2xx",
    fix: () =>
      'answer OPTIONS preflights with 204 (or 200): an authentication layer (401/403), a router without an OPTIONS route (404/405) or a crash (5xx) answered instead; run with --probe to see the status',
  },
  {
    pattern: /Redirect is not allowed for a preflight request/,
    stage: 'preflight',
    check: 'preflight-redirect',
    explain: () => 'the preflight was answered with a redirect; a browser never follows one on a preflight',
    fix: preflightRedirect,
  },
  {
    pattern: /Method (\S+) is not allowed by Access-Control-Allow-Methods in preflight response/,
    stage: 'preflight',
    check: 'method-not-allowed',
    names: 'method',
    explain: (found) =>
      `the preflight's answer does not list the method ${found.value} (compared case-sensitively)`,
    fix: method,
  },
  {
    pattern:
      /Request header field (\S+) is not allowed by Access-Control-Allow-Headers in preflight response/,
    stage: 'preflight',
    check: 'header-not-allowed',
    names: 'header',
    explain: (found) => `the preflight's answer does not allow the request header ${found.value}`,
    fix: header,
  },
  {
    pattern: /Cannot parse Access-Control-Allow-Methods response header field/,
    stage: 'preflight',
    check: 'allow-methods-invalid',
    explain: () => 'Access-Control-Allow-Methods is not a comma-separated list of method names',
    fix: list('Access-Control-Allow-Methods'),
  },
  {
    pattern: /Cannot parse Access-Control-Allow-Headers response header field/,
    stage: 'preflight',
    check: 'allow-headers-invalid',
    explain: () => 'Access-Control-Allow-Headers is not a comma-separated list of header names',
    fix: list('Access-Control-Allow-Headers'),
  },
  {
    pattern: /Redirect location '([^']*)' contains a username and password/,
    stage: 'actual',
    check: 'redirect-credentials',
    explain: (found) => `the redirect goes to ${found.value}, a URL with a user name and password`,
    fix: () => 'redirect to a URL without user name and password',
  },
  {
    pattern:
      /(?:Permission was denied for this request to access the|more-private address space) `(\w+)`(?: address space)?/,
    stage: 'before-cors',
    check: 'local-network-access',
    explain: (found) =>
      `Local Network Access: the page may not reach the \`${found.value}\` address space without the user's permission`,
    fix: lna,
  },
]

/** Firefox: the text inside "(Reason: …)". */
export const firefoxRules: readonly MessageRule[] = [
  rule(
    /^CORS header 'Access-Control-Allow-Origin' missing/,
    'actual',
    'allow-origin-missing',
    () => 'the response had no Access-Control-Allow-Origin header',
    allowOrigin,
  ),
  rule(
    /^CORS header 'Access-Control-Allow-Origin' does not match '([^']*)'/,
    'actual',
    'allow-origin-mismatch',
    (found) => `the server sent \`${acao}: ${found.value}\`, which is not the page's origin`,
    mismatch,
  ),
  rule(
    /^Multiple CORS header 'Access-Control-Allow-Origin' not allowed/,
    'actual',
    'allow-origin-multiple',
    () => 'the server sent Access-Control-Allow-Origin more than once',
    multiple,
  ),
  {
    ...rule(
      /^Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '\*'/,
      'actual',
      'allow-origin-wildcard-with-credentials',
      () => `the server sent \`${acao}: *\` to a request with credentials`,
      wildcard,
    ),
    credentials: true,
  },
  {
    ...rule(
      /^expected 'true' in CORS header 'Access-Control-Allow-Credentials'/,
      'actual',
      'allow-credentials-missing',
      () => 'the request has credentials and Access-Control-Allow-Credentials was not `true`',
      credentials,
    ),
    credentials: true,
  },
  rule(
    /^Did not find method in CORS header 'Access-Control-Allow-Methods'/,
    'preflight',
    'method-not-allowed',
    () => "the preflight's answer does not list the request's method",
    (found) => method({ ...found, value: "the request's method" }),
  ),
  {
    ...rule(
      /^missing token '([^']*)' in CORS header 'Access-Control-Allow-Headers'/,
      'preflight',
      'header-not-allowed',
      (found) => `the preflight's answer does not allow the request header ${found.value}`,
      header,
    ),
    names: 'header',
  },
  rule(
    /^invalid token '([^']*)' in CORS header 'Access-Control-Allow-Methods'/,
    'preflight',
    'allow-methods-invalid',
    (found) => `Access-Control-Allow-Methods holds '${found.value}', not a method name`,
    list('Access-Control-Allow-Methods'),
  ),
  rule(
    /^invalid token '([^']*)' in CORS header 'Access-Control-Allow-Headers'/,
    'preflight',
    'allow-headers-invalid',
    (found) => `Access-Control-Allow-Headers holds '${found.value}', not a header name`,
    list('Access-Control-Allow-Headers'),
  ),
  rule(
    /^CORS preflight channel did not succeed/,
    'preflight',
    'preflight-status',
    () => 'the preflight failed: its answer was not 2xx, was a redirect, or did not arrive',
    () =>
      'answer OPTIONS preflights with 204 and the CORS headers, before authentication and routing; run with --probe to see the status',
  ),
  rule(
    /^CORS request external redirect not allowed/,
    'actual',
    'redirect',
    () => 'the request was redirected to a URL fetch() may not follow for CORS',
    () => 'redirect to an http(s) URL without credentials in it, or have the page call the final URL',
  ),
]

/** Safari (WebKit). */
export const safariRules: readonly MessageRule[] = [
  rule(
    /Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true/,
    'actual',
    'allow-origin-wildcard-with-credentials',
    () => `the server sent \`${acao}: *\` to a request with credentials`,
    wildcard,
  ),
  rule(
    /Credentials flag is true, but Access-Control-Allow-Credentials is not "true"/,
    'actual',
    'allow-credentials-missing',
    () => 'the request has credentials and Access-Control-Allow-Credentials was not `true`',
    credentials,
  ),
  rule(
    /Access-Control-Allow-Origin cannot contain more than one origin/,
    'actual',
    'allow-origin-multiple',
    () => 'the server sent Access-Control-Allow-Origin with more than one origin',
    multiple,
  ),
  {
    ...rule(
      /Method (\S+) is not allowed by Access-Control-Allow-Methods\./,
      'preflight',
      'method-not-allowed',
      (found) => `the preflight's answer does not list the method ${found.value}`,
      method,
    ),
    names: 'method',
  },
  {
    ...rule(
      /Request header field (\S+) is not allowed by Access-Control-Allow-Headers\./,
      'preflight',
      'header-not-allowed',
      (found) => `the preflight's answer does not allow the request header ${found.value}`,
      header,
    ),
    names: 'header',
  },
  rule(
    /Preflight response is not successful\. Status code: (\d+)/,
    'preflight',
    'preflight-status',
    (found) => `the preflight was answered ${found.value}; a browser needs a 2xx status`,
    (found) => statusFix(Number(found.value)),
  ),
  rule(
    /Origin (\S+) is not allowed by Access-Control-Allow-Origin\./,
    'actual',
    'allow-origin-missing',
    () => "the response's Access-Control-Allow-Origin was missing or not the page's origin",
    allowOrigin,
  ),
]

function rule(
  pattern: RegExp,
  stage: DoctorStage,
  check: DoctorCheck,
  explain: MessageRule['explain'],
  fix: MessageRule['fix'],
): MessageRule {
  return { pattern, stage, check, explain, fix }
}
