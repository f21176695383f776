import type { CorsOptions } from '@cors/koa'
import type { PageOrigins } from './servers.ts'

// What Chromium does with each policy: plain data, run against every adapter by adapters.test.ts.
// `want.read` is the browser's verdict (the fetch() resolved, or it rejected with a TypeError);
// `requests` is what reached the server (counted on the socket); `rejections` is what the adapter
// reported through onReject. Together they show both sides: what the page could read, and what the
// server saw and decided.

/** The `fetch()` a page runs. Its URL is the API origin + `path`. */
export interface PageFetch {
  readonly path: string
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  readonly credentials?: 'omit' | 'same-origin' | 'include'
}

export interface BrowserScenario {
  readonly name: string
  readonly policy: (pages: PageOrigins) => CorsOptions
  /** The page origin the fetch runs in. */
  readonly from: keyof PageOrigins
  readonly fetch: PageFetch
  /** How many times the page runs the same fetch, one after the other. @default 1 */
  readonly times?: number
  readonly want: {
    /** Whether the page could read the response (every time). */
    readonly read: boolean
    /** The status the page read (when `read`). */
    readonly status?: number
    /** Response headers as the page reads them with `response.headers.get()`; `null` = hidden. */
    readonly headers?: Readonly<Record<string, string | RegExp | null>>
    /** `'METHOD /path'` -> how many such requests reached the server. */
    readonly requests: Readonly<Record<string, number>>
    /** The statuses the server answered with, in order. */
    readonly statuses?: readonly number[]
    /** Reasons the adapter reported to onReject, in order. @default [] */
    readonly rejections?: readonly string[]
  }
}

const json = { 'content-type': 'application/json', 'x-custom': 'on' }
const putJson: PageFetch = { path: '/data', method: 'PUT', headers: json, body: '{"name":"widget"}' }
const bearer = { authorization: 'Bearer token' }

export const scenarios: readonly BrowserScenario[] = [
  // Origins: a list, a subdomain pattern, a RegExp, an async function.
  {
    name: 'list: a listed origin reads the response',
    policy: (pages) => ({ origin: [pages.app, 'https://other.example.com'] }),
    from: 'app',
    fetch: { path: '/data' },
    want: { read: true, status: 200, requests: { 'GET /data': 1 } },
  },
  {
    name: 'list: another origin is blocked, though the server answered',
    policy: (pages) => ({ origin: [pages.app, 'https://other.example.com'] }),
    from: 'evil',
    fetch: { path: '/data' },
    want: { read: false, requests: { 'GET /data': 1 }, statuses: [200], rejections: ['origin-not-allowed'] },
  },
  {
    name: 'pattern: a subdomain matches *.',
    policy: (pages) => ({ origin: `http://*.${new URL(pages.app).host}` }),
    from: 'sub',
    fetch: { path: '/data' },
    want: { read: true, status: 200, requests: { 'GET /data': 1 } },
  },
  {
    name: 'pattern: the apex does not match *.',
    policy: (pages) => ({ origin: `http://*.${new URL(pages.app).host}` }),
    from: 'app',
    fetch: { path: '/data' },
    want: { read: false, requests: { 'GET /data': 1 }, rejections: ['origin-not-allowed'] },
  },
  {
    name: 'RegExp: an anchored pattern matches',
    policy: () => ({ origin: /^http:\/\/(app|sub\.app)\.example\.test:\d+$/ }),
    from: 'sub',
    fetch: { path: '/data' },
    want: { read: true, status: 200, requests: { 'GET /data': 1 } },
  },
  {
    name: 'RegExp: another site does not match',
    policy: () => ({ origin: /^http:\/\/(app|sub\.app)\.example\.test:\d+$/ }),
    from: 'evil',
    fetch: { path: '/data' },
    want: { read: false, requests: { 'GET /data': 1 }, rejections: ['origin-not-allowed'] },
  },
  {
    name: 'async function: an origin it resolves true for reads',
    policy: (pages) => ({ origin: async (origin: string) => lookup(origin === pages.app) }),
    from: 'app',
    fetch: { path: '/data' },
    want: { read: true, status: 200, requests: { 'GET /data': 1 } },
  },
  {
    name: 'async function: an origin it resolves false for is blocked',
    policy: (pages) => ({ origin: async (origin: string) => lookup(origin === pages.app) }),
    from: 'evil',
    fetch: { path: '/data' },
    want: { read: false, requests: { 'GET /data': 1 }, rejections: ['origin-not-allowed'] },
  },
  {
    name: 'async function: a rejected check denies without turning the answer into a 500',
    policy: () => ({
      origin: async () => {
        await lookup(true)
        throw new Error('the origin store is down')
      },
    }),
    from: 'app',
    fetch: { path: '/data' },
    want: { read: false, requests: { 'GET /data': 1 }, statuses: [200], rejections: ['origin-check-failed'] },
  },
  {
    name: "origin '*': any page reads without credentials",
    policy: () => ({ origin: '*' }),
    from: 'evil',
    fetch: { path: '/data' },
    want: { read: true, status: 200, requests: { 'GET /data': 1 } },
  },

  // A simple POST needs no preflight: it reaches the handler whatever the policy says.
  {
    name: 'simple POST: sent without a preflight and read by an allowed origin',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'app',
    fetch: { path: '/data', method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' },
    want: { read: true, status: 200, requests: { 'OPTIONS /data': 0, 'POST /data': 1 } },
  },
  {
    name: 'simple POST: another origin cannot read it, but the handler ran',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'evil',
    fetch: { path: '/data', method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' },
    want: {
      read: false,
      requests: { 'OPTIONS /data': 0, 'POST /data': 1 },
      statuses: [200],
      rejections: ['origin-not-allowed'],
    },
  },

  // A PUT with JSON and a custom header is preflighted.
  {
    name: 'preflighted PUT: the requested headers are reflected and the PUT is sent',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'app',
    fetch: putJson,
    want: { read: true, status: 200, requests: { 'OPTIONS /data': 1, 'PUT /data': 1 }, statuses: [204, 200] },
  },
  {
    name: 'preflighted PUT: a header outside allowedHeaders stops it at the preflight',
    policy: (pages) => ({ origin: [pages.app], allowedHeaders: ['Content-Type'] }),
    from: 'app',
    fetch: putJson,
    want: {
      read: false,
      requests: { 'OPTIONS /data': 1, 'PUT /data': 0 },
      statuses: [403],
      rejections: ['header-not-allowed'],
    },
  },
  {
    name: 'preflighted PUT: another origin is stopped at the preflight',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'evil',
    fetch: putJson,
    want: {
      read: false,
      requests: { 'OPTIONS /data': 1, 'PUT /data': 0 },
      statuses: [403],
      rejections: ['origin-not-allowed'],
    },
  },

  // credentials: 'include' needs Access-Control-Allow-Credentials and an explicit origin.
  {
    name: "credentials: 'include' is blocked without credentials: true",
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'app',
    fetch: { path: '/data', credentials: 'include' },
    want: { read: false, requests: { 'GET /data': 1 }, statuses: [200] },
  },
  {
    name: "credentials: 'include' reads with credentials: true",
    policy: (pages) => ({ origin: [pages.app], credentials: true }),
    from: 'app',
    fetch: { path: '/data', credentials: 'include' },
    want: { read: true, status: 200, requests: { 'GET /data': 1 } },
  },
  {
    name: "credentials: 'include' is blocked by origin '*'",
    policy: () => ({ origin: '*' }),
    from: 'app',
    fetch: { path: '/data', credentials: 'include' },
    want: { read: false, requests: { 'GET /data': 1 }, statuses: [200] },
  },

  // Which response headers JavaScript can read.
  {
    name: 'exposedHeaders: a listed header is readable, another is not',
    policy: (pages) => ({ origin: [pages.app], exposedHeaders: ['X-Total-Count'] }),
    from: 'app',
    fetch: { path: '/data' },
    want: {
      read: true,
      status: 200,
      headers: { 'x-total-count': '3', 'x-secret': null, 'content-type': /^application\/json/ },
      requests: { 'GET /data': 1 },
    },
  },
  {
    name: 'exposedHeaders: without it only safelisted headers are readable',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'app',
    fetch: { path: '/data' },
    want: {
      read: true,
      status: 200,
      headers: { 'x-total-count': null, 'x-secret': null, 'content-type': /^application\/json/ },
      requests: { 'GET /data': 1 },
    },
  },
  {
    name: "exposedHeaders: '*' exposes every header to a request without credentials",
    policy: (pages) => ({ origin: [pages.app], exposedHeaders: '*' }),
    from: 'app',
    fetch: { path: '/data' },
    want: {
      read: true,
      status: 200,
      headers: { 'x-total-count': '3', 'x-secret': 'hunter2' },
      requests: { 'GET /data': 1 },
    },
  },

  // The preflight cache.
  {
    name: 'maxAge 600: the second identical PUT sends no second preflight',
    policy: (pages) => ({ origin: [pages.app], maxAge: 600 }),
    from: 'app',
    fetch: putJson,
    times: 2,
    want: { read: true, status: 200, requests: { 'OPTIONS /data': 1, 'PUT /data': 2 } },
  },
  {
    name: 'maxAge 0: every PUT is preflighted again',
    policy: (pages) => ({ origin: [pages.app], maxAge: 0 }),
    from: 'app',
    fetch: putJson,
    times: 2,
    want: { read: true, status: 200, requests: { 'OPTIONS /data': 2, 'PUT /data': 2 } },
  },

  // Errors keep their CORS headers.
  {
    name: 'error route: the page reads the 500',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'app',
    fetch: { path: '/error' },
    want: { read: true, status: 500, requests: { 'GET /error': 1 } },
  },
  {
    name: 'error route: another origin cannot read the 500',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'evil',
    fetch: { path: '/error' },
    want: { read: false, requests: { 'GET /error': 1 }, statuses: [500], rejections: ['origin-not-allowed'] },
  },

  {
    name: 'unknown path: the page reads the 404',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'app',
    fetch: { path: '/missing' },
    want: { read: true, status: 404, requests: { 'GET /missing': 1 } },
  },
  {
    name: 'unknown path: a preflight is answered there too, and the page reads the 404',
    policy: (pages) => ({ origin: [pages.app] }),
    from: 'app',
    fetch: { ...putJson, path: '/missing' },
    want: {
      read: true,
      status: 404,
      requests: { 'OPTIONS /missing': 1, 'PUT /missing': 1 },
      statuses: [204, 404],
    },
  },

  // Authorization is never covered by allowedHeaders: '*'.
  {
    name: "Authorization: refused with allowedHeaders '*'",
    policy: (pages) => ({ origin: [pages.app], allowedHeaders: '*' }),
    from: 'app',
    fetch: { path: '/data', headers: bearer },
    want: {
      read: false,
      requests: { 'OPTIONS /data': 1, 'GET /data': 0 },
      statuses: [403],
      rejections: ['authorization-not-covered'],
    },
  },
  {
    name: "Authorization: allowed when listed next to '*'",
    policy: (pages) => ({ origin: [pages.app], allowedHeaders: ['*', 'Authorization'] }),
    from: 'app',
    fetch: { path: '/data', headers: { ...bearer, 'x-custom': 'on' } },
    want: { read: true, status: 200, requests: { 'OPTIONS /data': 1, 'GET /data': 1 } },
  },

  // Browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT (Fetch "normalize a method").
  {
    // The refusal's message explains the case rule; listing 'patch' is refused at construction (and
    // Node's HTTP parser answers a lower-case request with a bare 400 before any framework runs).
    name: "methods: fetch(url, { method: 'patch' }) asks for 'patch', which 'PATCH' does not allow",
    policy: (pages) => ({ origin: [pages.app], methods: ['GET', 'PATCH'] }),
    from: 'app',
    fetch: { path: '/data', method: 'patch' },
    want: {
      read: false,
      requests: { 'OPTIONS /data': 1, 'PATCH /data': 0 },
      statuses: [403],
      rejections: ['method-not-allowed'],
    },
  },
  {
    name: "methods: 'PATCH' written in upper case is allowed",
    policy: (pages) => ({ origin: [pages.app], methods: ['GET', 'PATCH'] }),
    from: 'app',
    fetch: { path: '/data', method: 'PATCH' },
    want: { read: true, status: 200, requests: { 'OPTIONS /data': 1, 'PATCH /data': 1 } },
  },
]

// Stands for a lookup in a database or a cache: the answer arrives on a later tick.
function lookup<T>(value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), 5))
}
