import type { ChromiumAdapterName, DoctorExampleName } from '@cors/conformance/adapters'
import type { CorsOptions } from '@cors/core'

// The requests of the Chromium agreement suite: plain data. `server` names an adapter of the one
// list (with its policy from `policies` below) or `mistakes`, whose first path segment picks a
// deliberately wrong hand-written answer. Pages are on two origins: `allowed` is the one the
// adapters' policies list, `refused` is not listed anywhere.

/** Each adapter's policy, given the allowed page origin: a different shape of policy per adapter. */
export function policies(allowed: string): Record<ChromiumAdapterName, CorsOptions> {
  const exposedHeaders = ['X-Total-Count']
  return {
    fastify: {
      origin: [allowed],
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Content-Type', 'X-Api-Key', 'Authorization'],
      exposedHeaders,
    },
    koa: { origin: '*', methods: '*', allowedHeaders: '*', exposedHeaders: '*' },
    hono: { origin: [allowed], exposedHeaders },
    fetch: {
      origin: [allowed],
      credentials: true,
      methods: ['GET', 'POST', 'PATCH'],
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders,
    },
    express: {
      origin: (origin) => origin === allowed,
      credentials: true,
      methods: ['GET', 'PUT'],
      allowedHeaders: ['Content-Type'],
      exposedHeaders,
      maxAge: 600,
    },
    h3: {
      origin: [allowed],
      credentials: true,
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders,
      maxAge: 60,
    },
    elysia: { origin: [allowed], methods: ['GET', 'POST', 'DELETE'], allowedHeaders: '*', exposedHeaders },
    lambda: {
      origin: [allowed],
      credentials: true,
      methods: ['GET', 'PUT', 'DELETE'],
      allowedHeaders: ['Content-Type'],
      exposedHeaders,
      maxAge: 300,
    },
  }
}

export interface Row {
  readonly server: ChromiumAdapterName | DoctorExampleName | 'mistakes'
  /** For `mistakes`: the mistake's name (the first path segment). */
  readonly mistake?: string
  readonly from?: 'allowed' | 'refused'
  readonly method?: string
  readonly headers?: readonly (readonly [string, string])[]
  readonly credentials?: boolean
}

const json = ['Content-Type', 'application/json'] as const
const auth = ['Authorization', 'Bearer token'] as const
const foo = ['X-Foo', '1'] as const
const long = (n: number) => 'a'.repeat(n)

export const rows: readonly Row[] = [
  // @cors/fastify: a list of origins, credentials, listed methods and headers, one exposed header.
  { server: 'fastify' },
  { server: 'fastify', from: 'refused' },
  { server: 'fastify', credentials: true },
  { server: 'fastify', method: 'PUT', headers: [json], credentials: true },
  { server: 'fastify', method: 'PATCH' },
  { server: 'fastify', method: 'DELETE', headers: [auth], credentials: true },
  { server: 'fastify', headers: [foo] },
  { server: 'fastify', method: 'delete' },
  { server: 'fastify', method: 'POST', headers: [['Content-Type', 'text/plain;charset=UTF-8']] },
  {
    server: 'fastify',
    method: 'POST',
    headers: [['Content-Type', 'application/x-www-form-urlencoded']],
    credentials: true,
  },
  { server: 'fastify', headers: [['X-Api-Key', 'k']], from: 'refused' },
  { server: 'fastify', headers: [['Accept', long(129)]] },
  { server: 'fastify', headers: [['Accept', long(128)]] },
  { server: 'fastify', headers: [['Content-Type', 'text/plain; charset="utf-8"']] },
  { server: 'fastify', headers: [['Accept', 'text/html(1)']] },
  // @cors/koa: wildcards everywhere, no credentials.
  { server: 'koa' },
  { server: 'koa', credentials: true },
  { server: 'koa', method: 'PUT', headers: [foo] },
  { server: 'koa', headers: [auth] },
  { server: 'koa', headers: [auth], credentials: true },
  { server: 'koa', method: 'PURGE' },
  { server: 'koa', method: 'patch' },
  { server: 'koa', headers: [['Range', 'bytes=0-99']] },
  { server: 'koa', headers: [['Range', 'bytes=-5']] },
  { server: 'koa', method: 'POST', headers: [['Content-Type', 'multipart/form-data; boundary=x']] },
  { server: 'koa', from: 'refused', method: 'DELETE' },
  // @cors/hono: a list of origins, requested headers reflected, default methods.
  { server: 'hono' },
  { server: 'hono', from: 'refused' },
  { server: 'hono', method: 'PUT', headers: [['X-Custom', 'v']] },
  { server: 'hono', method: 'PATCH', headers: [json] },
  { server: 'hono', method: 'OPTIONS' },
  { server: 'hono', credentials: true },
  { server: 'hono', headers: [['Content-Language', 'de_DE']] },
  { server: 'hono', headers: [['Accept-Language', 'en-US,en;q=0.9']] },
  { server: 'hono', from: 'refused', method: 'DELETE' },
  { server: 'hono', headers: [auth] },
  { server: 'hono', headers: [['Cookie', 'a=1']] },
  {
    server: 'hono',
    headers: [
      ['Accept', long(100)],
      ['Accept', long(100)],
    ],
  },
  { server: 'hono', headers: [['Range', 'bytes=0-1,3-4']] },
  // @cors/fetch: a list of origins, credentials, GET/POST/PATCH, Content-Type and Authorization.
  { server: 'fetch', credentials: true },
  { server: 'fetch', method: 'PATCH', credentials: true },
  { server: 'fetch', method: 'PUT' },
  { server: 'fetch', method: 'patch' },
  { server: 'fetch', headers: [auth], credentials: true },
  { server: 'fetch', headers: [['X-Requested-With', 'XMLHttpRequest']] },
  { server: 'fetch', method: 'POST', headers: [json], credentials: true },
  { server: 'fetch', method: 'POST', headers: [['Content-Type', 'text/plain']], from: 'refused' },
  { server: 'fetch', method: 'HEAD' },
  { server: 'fetch', from: 'refused', credentials: true },
  // @cors/express: an origin function, credentials, GET/PUT, Content-Type only, preflights cached.
  { server: 'express' },
  { server: 'express', from: 'refused' },
  { server: 'express', credentials: true },
  { server: 'express', method: 'PUT', headers: [json], credentials: true },
  { server: 'express', method: 'DELETE' },
  { server: 'express', method: 'put' },
  { server: 'express', headers: [auth] },
  { server: 'express', from: 'refused', method: 'PUT', headers: [json] },
  { server: 'express', method: 'HEAD' },
  // @cors/h3: a list of origins, credentials, default methods, Content-Type and Authorization, cached.
  { server: 'h3' },
  { server: 'h3', from: 'refused' },
  { server: 'h3', credentials: true },
  { server: 'h3', method: 'PATCH', headers: [json], credentials: true },
  { server: 'h3', headers: [auth], credentials: true },
  { server: 'h3', headers: [foo] },
  { server: 'h3', from: 'refused', method: 'PUT', headers: [json] },
  // @cors/elysia: a list of origins, GET/POST/DELETE, any header but Authorization, no credentials.
  { server: 'elysia' },
  { server: 'elysia', from: 'refused' },
  { server: 'elysia', method: 'DELETE', headers: [foo] },
  { server: 'elysia', method: 'PUT' },
  { server: 'elysia', headers: [auth] },
  { server: 'elysia', credentials: true },
  { server: 'elysia', method: 'POST', headers: [json] },
  // @cors/lambda (Function URL events): a list of origins, credentials, GET/PUT/DELETE, Content-Type.
  { server: 'lambda' },
  { server: 'lambda', from: 'refused' },
  { server: 'lambda', credentials: true },
  { server: 'lambda', method: 'PUT', headers: [json], credentials: true },
  { server: 'lambda', method: 'PATCH', headers: [json] },
  { server: 'lambda', headers: [auth] },
  { server: 'lambda', from: 'refused', method: 'PUT', headers: [json] },
  // Hand-written servers that get it wrong.
  { server: 'mistakes', mistake: 'no-acac', credentials: true },
  { server: 'mistakes', mistake: 'no-acac' },
  { server: 'mistakes', mistake: 'no-acac', method: 'PUT', credentials: true },
  { server: 'mistakes', mistake: 'star-with-credentials', credentials: true },
  { server: 'mistakes', mistake: 'star-with-credentials' },
  { server: 'mistakes', mistake: 'trailing-slash' },
  { server: 'mistakes', mistake: 'trailing-slash', method: 'PUT' },
  { server: 'mistakes', mistake: 'two-acao' },
  { server: 'mistakes', mistake: 'two-acao', method: 'DELETE' },
  { server: 'mistakes', mistake: 'acah-content-type-only', method: 'PUT', headers: [foo, json] },
  { server: 'mistakes', mistake: 'acah-content-type-only', method: 'POST', headers: [json] },
  { server: 'mistakes', mistake: 'acah-content-type-only', headers: [['DPR', '2']] },
  { server: 'mistakes', mistake: 'acah-content-type-only', headers: [['Save-Data', 'on']] },
  { server: 'mistakes', mistake: 'acah-content-type-only', headers: [['DPR', '.5']] },
  {
    server: 'mistakes',
    mistake: 'acah-content-type-only',
    headers: [
      ['ECT', '4g'],
      ['Width', '800'],
    ],
  },
  { server: 'mistakes', mistake: 'acah-content-type-only', headers: [['Viewport-Width', '8.5']] },
  { server: 'mistakes', mistake: 'preflight-302', method: 'PUT' },
  { server: 'mistakes', mistake: 'preflight-401', method: 'PUT' },
  { server: 'mistakes', mistake: 'preflight-401-bare', headers: [auth], credentials: true },
  { server: 'mistakes', mistake: 'acac-capital', credentials: true },
  { server: 'mistakes', mistake: 'methods-upper', method: 'patch' },
  { server: 'mistakes', mistake: 'methods-upper', method: 'PATCH' },
  { server: 'mistakes', mistake: 'all-stars', method: 'PUT', credentials: true },
  { server: 'mistakes', mistake: 'all-stars', headers: [foo], credentials: true },
  { server: 'mistakes', mistake: 'all-stars', headers: [foo] },
  { server: 'mistakes', mistake: 'all-stars', credentials: true },
  { server: 'mistakes', mistake: 'all-stars' },
  { server: 'mistakes', mistake: 'methods-invalid', method: 'PUT' },
  { server: 'mistakes', mistake: 'methods-invalid', headers: [foo] },
  { server: 'mistakes', mistake: 'origin-upper' },
  { server: 'mistakes', mistake: 'redirect-same' },
  { server: 'mistakes', mistake: 'redirect-bare' },
  { server: 'mistakes', mistake: 'redirect-cross' },
  { server: 'mistakes', mistake: 'redirect-cross', credentials: true },
  { server: 'mistakes', mistake: 'preflight-200-no-methods', method: 'PUT' },
  { server: 'mistakes', mistake: 'preflight-200-no-methods', headers: [foo] },
  // @cors/next (last, so the rows above keep their numbers): examples/next built by next build and
  // served by next start, with its own policy (a list with http://localhost:*, credentials,
  // Content-Type and Authorization, crossOriginProtection). No route has these paths: the proxy
  // answers preflights, and Next's 404 page carries the CORS headers.
  { server: 'next' },
  { server: 'next', from: 'refused' },
  { server: 'next', credentials: true },
  { server: 'next', method: 'PUT', headers: [json], credentials: true },
  { server: 'next', headers: [auth], credentials: true },
  { server: 'next', headers: [foo] },
  { server: 'next', from: 'refused', method: 'POST', headers: [['Content-Type', 'text/plain']] },
]
