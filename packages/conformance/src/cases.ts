import { get, preflight, preflightVary } from './client.ts'
import type { ConformanceCase, ConformanceGroup, ConformanceRequest, ConformanceWant } from './types.ts'

// Plain data: the behaviour every adapter shares (DESIGN.md, "Behaviour every adapter shares"),
// written once. Each row names the rule it protects.

const app = 'https://app.example.com'
const evil = 'https://evil.example'

const row = (name: string, request: ConformanceRequest, want: ConformanceWant): ConformanceCase => ({
  name,
  request,
  want,
})

/** A rejected preflight: 403, no CORS header at all, and the application never sees it. */
const refused: ConformanceWant = { status: 403, noCorsHeaders: true, handlerCalled: false }
/** An actual request from a disallowed origin: it reaches the application, without CORS headers. */
const unreadable: ConformanceWant = {
  status: 200,
  noCorsHeaders: true,
  vary: ['origin'],
  handlerCalled: true,
}
const credentialed = {
  'access-control-allow-origin': app,
  'access-control-allow-credentials': 'true',
}

export const groups: readonly ConformanceGroup[] = [
  {
    name: 'default policy: any origin',
    options: {},
    cases: [
      row(
        'a request without Origin gets "*" too, and no Vary: a shared cache may serve it to any page',
        get('/ok'),
        {
          status: 200,
          headers: { 'access-control-allow-origin': '*' },
          absentHeaders: ['access-control-allow-credentials', 'access-control-allow-methods'],
          varyAbsent: ['origin'],
          handlerCalled: true,
        },
      ),
      row(
        'an actual request gets "*" and no Vary: Origin (the answer does not depend on it)',
        get('/ok', evil),
        {
          status: 200,
          headers: { 'access-control-allow-origin': '*' },
          absentHeaders: ['access-control-allow-credentials', 'access-control-allow-methods'],
          varyAbsent: ['origin'],
          handlerCalled: true,
        },
      ),
      row(
        'a preflight is answered 204 with the default methods and the reflected headers',
        preflight('/ok', evil, 'PUT', 'x-custom'),
        {
          status: 204,
          headers: {
            'access-control-allow-origin': '*',
            'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE',
            'access-control-allow-headers': 'x-custom',
          },
          absentHeaders: ['access-control-max-age', 'access-control-expose-headers'],
          vary: ['access-control-request-headers'],
          varyAbsent: ['origin'],
          handlerCalled: false,
        },
      ),
      row(
        'a preflight is answered on a route without an OPTIONS handler',
        preflight('/get-only', evil, 'PUT'),
        {
          status: 204,
          headers: { 'access-control-allow-origin': '*' },
          handlerCalled: false,
        },
      ),
      row('a preflight is answered on an unknown path', preflight('/missing', evil, 'DELETE'), {
        status: 204,
        headers: { 'access-control-allow-origin': '*' },
        handlerCalled: false,
      }),
      row(
        'a preflight is answered before authentication runs',
        preflight('/auth', evil, 'PUT', 'authorization'),
        {
          status: 204,
          headers: { 'access-control-allow-headers': 'authorization' },
          handlerCalled: false,
        },
      ),
      row(
        'OPTIONS without Origin is not a preflight: the application answers (with the "*" of the policy)',
        { method: 'OPTIONS', path: '/ok' },
        {
          status: 200,
          headers: { 'access-control-allow-origin': '*' },
          absentHeaders: ['access-control-allow-methods'],
          handlerCalled: true,
        },
      ),
      row(
        'OPTIONS with Origin but no Access-Control-Request-Method is an actual request',
        { method: 'OPTIONS', path: '/ok', headers: { origin: evil } },
        { status: 200, headers: { 'access-control-allow-origin': '*' }, handlerCalled: true },
      ),
      row(
        'malformed Access-Control-Request-Headers refuses the preflight',
        preflight('/ok', evil, 'PUT', 'x-a, b@d'),
        refused,
      ),
      row(
        'oversized Access-Control-Request-Headers refuses the preflight',
        preflight('/ok', evil, 'PUT', 'x-a,'.repeat(2000)),
        refused,
      ),
      row('a forbidden method is never allowed', preflight('/ok', evil, 'CONNECT'), refused),
      row('a method outside the defaults is refused', preflight('/ok', evil, 'PROPFIND'), refused),
      row('CORS headers reach thrown errors', get('/throw', evil), {
        status: 500,
        headers: { 'access-control-allow-origin': '*' },
        handlerCalled: true,
      }),
      row('CORS headers reach 404s', get('/missing', evil), {
        status: 404,
        headers: { 'access-control-allow-origin': '*' },
        handlerCalled: false,
      }),
    ],
  },
  {
    name: 'exact origins with credentials',
    options: {
      origin: [app, 'https://admin.example.com'],
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Content-Type', 'X-Request-Id'],
      exposedHeaders: ['X-Total-Count'],
      maxAge: 600,
    },
    cases: [
      row('an allowed origin is echoed with credentials and exposed headers', get('/ok', app), {
        status: 200,
        headers: { ...credentialed, 'access-control-expose-headers': 'x-total-count' },
        absentHeaders: [
          'access-control-allow-methods',
          'access-control-max-age',
          'access-control-allow-headers',
        ],
        vary: ['origin'],
        handlerCalled: true,
      }),
      row('a disallowed origin reaches the handler but learns nothing', get('/ok', evil), unreadable),
      row('a request without Origin still varies on Origin (cache safety)', get('/ok'), {
        status: 200,
        noCorsHeaders: true,
        vary: ['origin'],
        handlerCalled: true,
      }),
      row(
        'an allowed preflight gets every preflight header',
        preflight('/ok', app, 'PUT', 'content-type,x-request-id'),
        {
          status: 204,
          headers: {
            ...credentialed,
            'access-control-allow-methods': 'GET, POST, PUT, DELETE',
            'access-control-allow-headers': 'content-type, x-request-id',
            'access-control-max-age': '600',
          },
          absentHeaders: ['access-control-expose-headers'],
          vary: preflightVary,
          handlerCalled: false,
        },
      ),
      row(
        'a preflight from a disallowed origin is refused with no CORS header',
        preflight('/ok', evil, 'PUT'),
        {
          ...refused,
          vary: ['origin'],
        },
      ),
      row('a preflight for a method not listed is refused', preflight('/ok', app, 'PATCH'), refused),
      row('a preflight for a header not listed is refused', preflight('/ok', app, 'PUT', 'x-other'), refused),
      row(
        'a safelisted method is never refused on the method',
        preflight('/ok', app, 'POST', 'content-type'),
        {
          status: 204,
          headers: credentialed,
          handlerCalled: false,
        },
      ),
      row('thrown errors keep the CORS headers', get('/throw', app), {
        status: 500,
        headers: credentialed,
        vary: ['origin'],
        handlerCalled: true,
      }),
      row('returned errors keep the CORS headers', get('/error-response', app), {
        status: 500,
        headers: credentialed,
        handlerCalled: true,
      }),
      row('404s keep the CORS headers', get('/missing', app), {
        status: 404,
        headers: credentialed,
        vary: ['origin'],
        handlerCalled: false,
      }),
      row('redirects keep the CORS headers', get('/redirect', app), {
        status: 302,
        headers: credentialed,
        handlerCalled: true,
      }),
      row('responses with immutable headers get the CORS headers', get('/immutable', app), {
        status: 200,
        headers: credentialed,
        vary: ['origin'],
        handlerCalled: true,
      }),
      row(
        'an authentication refusal keeps the CORS headers so the page can read the 401',
        get('/auth', app),
        {
          status: 401,
          headers: credentialed,
          handlerCalled: false,
        },
      ),
      row('a handler that answers after a wait keeps the CORS headers', get('/slow', app), {
        status: 200,
        headers: credentialed,
        vary: ['origin'],
        handlerCalled: true,
      }),
      row("the application's Vary is merged, not replaced", get('/vary', app), {
        status: 200,
        headers: credentialed,
        vary: ['accept-encoding', 'origin'],
        handlerCalled: true,
      }),
      row("the application's Vary: origin is not duplicated", get('/vary-origin', app), {
        status: 200,
        vary: ['origin'],
        handlerCalled: true,
      }),
      row('a suffix attack is not an allowed origin', get('/ok', `${app}.evil.net`), unreadable),
      row(
        'two origins joined by a comma are not an allowed origin',
        get('/ok', `${app}, ${evil}`),
        unreadable,
      ),
      row('the opaque origin "null" is never allowed', get('/ok', 'null'), unreadable),
      row(
        'origins are compared exactly (upper case is another string)',
        get('/ok', app.toUpperCase()),
        unreadable,
      ),
    ],
  },
  {
    name: 'patterns and RegExps',
    options: { origin: ['https://*.example.com', /^https:\/\/[a-z]+\.example\.org$/, 'http://localhost:*'] },
    cases: [
      row('a subdomain matches "*."', get('/ok', 'https://a.b.example.com'), {
        status: 200,
        headers: { 'access-control-allow-origin': 'https://a.b.example.com' },
        vary: ['origin'],
        handlerCalled: true,
      }),
      row('the apex does not match "*."', get('/ok', 'https://example.com'), unreadable),
      row('a look-alike domain does not match', get('/ok', 'https://evil-example.com'), unreadable),
      row('a suffix attack does not match', get('/ok', 'https://a.example.com.evil.net'), unreadable),
      row('another scheme does not match', get('/ok', 'http://a.example.com'), unreadable),
      row('any port matches ":*"', get('/ok', 'http://localhost:5173'), {
        status: 200,
        headers: { 'access-control-allow-origin': 'http://localhost:5173' },
        handlerCalled: true,
      }),
      row('an anchored RegExp matches', get('/ok', 'https://docs.example.org'), {
        status: 200,
        headers: { 'access-control-allow-origin': 'https://docs.example.org' },
        handlerCalled: true,
      }),
      row(
        'an anchored RegExp does not match a longer origin',
        get('/ok', 'https://docs.example.org.evil.net'),
        unreadable,
      ),
      row(
        'a matched origin is answered on preflights too',
        preflight('/ok', 'https://a.example.com', 'DELETE'),
        {
          status: 204,
          headers: { 'access-control-allow-origin': 'https://a.example.com' },
          vary: preflightVary,
          handlerCalled: false,
        },
      ),
    ],
  },
  {
    name: 'async origin function',
    options: { origin: async (origin: string) => origin === 'https://fn.example' },
    cases: [
      row('an origin the function accepts is allowed', get('/ok', 'https://fn.example'), {
        status: 200,
        headers: { 'access-control-allow-origin': 'https://fn.example' },
        vary: ['origin'],
        handlerCalled: true,
      }),
      row('an origin the function refuses is not', get('/ok', evil), unreadable),
      row('a preflight waits for the function', preflight('/ok', 'https://fn.example', 'PUT'), {
        status: 204,
        headers: { 'access-control-allow-origin': 'https://fn.example' },
        handlerCalled: false,
      }),
      row('a refused preflight is 403', preflight('/ok', evil, 'PUT'), refused),
    ],
  },
  {
    name: 'a throwing origin function denies, never a 500',
    options: {
      origin: () => {
        throw new Error('database down')
      },
    },
    cases: [
      row('an actual request goes on without CORS headers', get('/ok', app), unreadable),
      row('a preflight is refused', preflight('/ok', app, 'PUT'), refused),
    ],
  },
  {
    name: 'preflightContinue',
    options: { origin: app, preflightContinue: true },
    cases: [
      row('an allowed preflight reaches the handler with the CORS headers', preflight('/ok', app, 'PUT'), {
        status: 200,
        headers: { 'access-control-allow-origin': app },
        handlerCalled: true,
      }),
      row('a refused preflight is still answered 403', preflight('/ok', evil, 'PUT'), refused),
    ],
  },
  {
    name: 'optionsSuccessStatus and maxAge 0',
    options: { optionsSuccessStatus: 200, maxAge: 0 },
    cases: [
      row('the preflight status and a zero max-age are sent', preflight('/ok', app, 'PUT'), {
        status: 200,
        headers: { 'access-control-max-age': '0' },
        handlerCalled: false,
      }),
    ],
  },
  {
    name: 'wildcards without credentials',
    options: { methods: '*', allowedHeaders: '*', exposedHeaders: '*' },
    cases: [
      row('any header is allowed with "*"', preflight('/ok', app, 'PROPFIND', 'x-anything'), {
        status: 204,
        headers: { 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' },
        handlerCalled: false,
      }),
      row('"*" never covers Authorization', preflight('/ok', app, 'GET', 'authorization'), refused),
      row('exposed "*" is sent on actual responses', get('/ok', app), {
        status: 200,
        headers: { 'access-control-expose-headers': '*' },
        handlerCalled: true,
      }),
    ],
  },
  {
    name: 'wildcard headers with Authorization listed',
    options: { allowedHeaders: ['*', 'Authorization'] },
    cases: [
      row('Authorization is allowed once listed', preflight('/ok', app, 'PUT', 'authorization,x-anything'), {
        status: 204,
        headers: { 'access-control-allow-headers': '*, authorization' },
        handlerCalled: false,
      }),
    ],
  },
  {
    name: 'methods compared as browsers do',
    options: { methods: ['get', 'PATCH'] },
    cases: [
      row('a normalized name is upper-cased at compile time', preflight('/ok', app, 'GET', 'x-a'), {
        status: 204,
        headers: { 'access-control-allow-methods': 'GET, PATCH' },
        handlerCalled: false,
      }),
      row('"PATCH" as configured matches', preflight('/ok', app, 'PATCH'), {
        status: 204,
        handlerCalled: false,
      }),
      row(
        'fetch(url, {method: "patch"}) sends "patch", another method than "PATCH"',
        preflight('/ok', app, 'patch'),
        refused,
      ),
    ],
  },
  {
    name: 'origin: true reflects any valid origin',
    options: { origin: true },
    cases: [
      row('a valid origin is reflected, with Vary: Origin', get('/ok', evil), {
        status: 200,
        headers: { 'access-control-allow-origin': evil },
        vary: ['origin'],
        handlerCalled: true,
      }),
      row('"null" is never reflected', get('/ok', 'null'), unreadable),
      row('a malformed origin is never reflected', get('/ok', 'https://a.example/path'), unreadable),
    ],
  },
  {
    name: 'origin: false disables CORS',
    options: { origin: false },
    cases: [
      row('no CORS headers on actual requests', get('/ok', app), {
        status: 200,
        noCorsHeaders: true,
        handlerCalled: true,
      }),
      row('a preflight is an ordinary OPTIONS request', preflight('/ok', app, 'PUT'), {
        status: 200,
        noCorsHeaders: true,
        handlerCalled: true,
      }),
    ],
  },
  {
    name: 'reflected request headers',
    options: { origin: app },
    cases: [
      row(
        'requested headers are validated, lower-cased and reflected',
        preflight('/ok', app, 'PUT', ' X-B ,, x-a\t'),
        {
          status: 204,
          headers: { 'access-control-allow-headers': 'x-b, x-a' },
          vary: preflightVary,
          handlerCalled: false,
        },
      ),
      row(
        'a header name with a quote in it refuses the preflight',
        preflight('/ok', app, 'PUT', 'x-a"b'),
        refused,
      ),
    ],
  },
  {
    name: 'the policy owns the Access-Control-* response headers',
    options: { origin: [app], credentials: true, exposedHeaders: ['X-Total'] },
    cases: [
      row(
        "an allowed origin gets the policy's values, never the application's or an upstream's",
        get('/upstream-cors', app),
        {
          status: 200,
          headers: { ...credentialed, 'access-control-expose-headers': 'x-total' },
          absentHeaders: ['access-control-max-age'],
          vary: ['origin'],
          handlerCalled: true,
        },
      ),
      row(
        'a refused origin gets none of them: an upstream\'s "*" would make the response readable',
        get('/upstream-cors', evil),
        { ...unreadable },
      ),
    ],
  },
]
