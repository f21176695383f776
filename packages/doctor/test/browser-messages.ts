// Console messages as browsers print them, one per documented reason, written for these tests from
// the browsers' published lists (MDN's Firefox "Reason:" pages, WebKit's access-control messages)
// and, for Chromium, in the form its console uses (the agreement suite checks real ones too).
// Each: the text, and the check the doctor must name (`null`: it names none).

const api = 'https://api.example.com/todos'
const origin = 'https://app.example.com'
const chromium = (reason: string) =>
  `Access to fetch at '${api}' from origin '${origin}' has been blocked by CORS policy: ${reason}`
const firefox = (reason: string, status = 200) =>
  `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${api}. (Reason: ${reason}). Status code: ${status}.`

export const chromiumMessages: readonly (readonly [string, string | null])[] = [
  [
    chromium(
      "No 'Access-Control-Allow-Origin' header is present on the requested resource. If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
    ),
    'allow-origin-missing',
  ],
  [
    chromium(
      "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    ),
    'allow-origin-missing',
  ],
  [
    chromium(
      "The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://app.example.com', but only one is allowed.",
    ),
    'allow-origin-multiple',
  ],
  [
    chromium(
      "The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin.",
    ),
    'allow-origin-mismatch',
  ],
  [
    chromium(
      "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    ),
    'allow-origin-wildcard-with-credentials',
  ],
  [
    chromium(
      "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
    ),
    'allow-credentials-missing',
  ],
  [
    chromium(
      "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
    ),
    'preflight-status',
  ],
  [
    chromium(
      "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
    ),
    'preflight-redirect',
  ],
  [
    chromium('Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.'),
    'method-not-allowed',
  ],
  [
    chromium(
      'Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.',
    ),
    'header-not-allowed',
  ],
  [
    chromium('Cannot parse Access-Control-Allow-Methods response header field in preflight response.'),
    'allow-methods-invalid',
  ],
  [
    chromium('Cannot parse Access-Control-Allow-Headers response header field in preflight response.'),
    'allow-headers-invalid',
  ],
  [
    chromium(
      "Redirect location 'https://user:pass@api.example.com/' contains a username and password, which is disallowed for cross-origin requests.",
    ),
    'redirect-credentials',
  ],
  [
    chromium('Permission was denied for this request to access the `loopback` address space.'),
    'local-network-access',
  ],
  [
    "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/todos'. This request has been blocked; the content must be served over HTTPS.",
    'mixed-content',
  ],
  ['TypeError: Failed to fetch', null],
  ['GET https://api.example.com/todos net::ERR_FAILED 200 (OK)', null],
]

export const firefoxMessages: readonly (readonly [string, string | null])[] = [
  [firefox('CORS disabled'), null],
  [firefox('CORS request did not succeed', 0), null],
  [firefox('CORS header ‘Origin’ cannot be added'), null],
  [firefox('CORS request external redirect not allowed'), 'redirect'],
  [firefox('CORS request not HTTP'), null],
  [firefox('CORS header ‘Access-Control-Allow-Origin’ missing'), 'allow-origin-missing'],
  [
    firefox('CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://app.example.com/’'),
    'allow-origin-mismatch',
  ],
  [
    firefox('Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’'),
    'allow-origin-wildcard-with-credentials',
  ],
  [firefox('Did not find method in CORS header ‘Access-Control-Allow-Methods’'), 'method-not-allowed'],
  [firefox('expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’'), 'allow-credentials-missing'],
  [firefox('CORS preflight channel did not succeed', 403), 'preflight-status'],
  [
    firefox('invalid token ‘GET;POST’ in CORS header ‘Access-Control-Allow-Methods’'),
    'allow-methods-invalid',
  ],
  [firefox('invalid token ‘x a’ in CORS header ‘Access-Control-Allow-Headers’'), 'allow-headers-invalid'],
  [
    firefox(
      'missing token ‘x-api-key’ in CORS header ‘Access-Control-Allow-Headers’ from CORS preflight channel',
    ),
    'header-not-allowed',
  ],
  [firefox('Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed'), 'allow-origin-multiple'],
]

export const safariMessages: readonly (readonly [string, string | null])[] = [
  [
    `[Error] Origin ${origin} is not allowed by Access-Control-Allow-Origin. Status code: 200\n[Error] Fetch API cannot load ${api} due to access control checks.`,
    'allow-origin-missing',
  ],
  [
    '[Error] Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.',
    'allow-origin-wildcard-with-credentials',
  ],
  [
    '[Error] Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
    'allow-credentials-missing',
  ],
  ['[Error] Access-Control-Allow-Origin cannot contain more than one origin.', 'allow-origin-multiple'],
  ['[Error] Method PUT is not allowed by Access-Control-Allow-Methods.', 'method-not-allowed'],
  [
    '[Error] Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.',
    'header-not-allowed',
  ],
  ['[Error] Preflight response is not successful. Status code: 403', 'preflight-status'],
  [`[Error] Fetch API cannot load ${api} due to access control checks.`, null],
  [`[Error] XMLHttpRequest cannot load ${api} due to access control checks.`, null],
]
