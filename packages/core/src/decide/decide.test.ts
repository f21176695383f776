import { describe, expect, it, vi } from 'vitest'
import type { CorsOptions } from '../config/options.ts'
import type { CorsDecision, CorsHeaders, CorsReason, CorsRejection, CorsRequest } from '../decision.ts'
import { maxRequestHeadersCount, maxRequestHeadersLength } from '../fetch/headers.ts'
import { corsResponseHeaders } from '../write/owned.ts'
import { maxCachedKeyLength, maxCachedOrigins } from './cache.ts'
import { createCors } from './policy.ts'

const app = 'https://app.example.com'
const evil = 'https://evil.example'

function request(method: string, origin?: string, acrm?: string, acrh?: string): CorsRequest {
  return {
    method,
    origin: origin ?? null,
    accessControlRequestMethod: acrm ?? null,
    accessControlRequestHeaders: acrh ?? null,
  }
}
/** The decision of a policy without an async origin function, which is never a promise. */
function sync(decision: CorsDecision | Promise<CorsDecision>): CorsDecision {
  if (decision instanceof Promise) throw new Error('expected a synchronous decision')
  return decision
}
const get = (origin?: string) => request('GET', origin)
const preflight = (origin: string | undefined, method: string, headers?: string) =>
  request('OPTIONS', origin, method, headers)

const defaultMethods = 'GET, HEAD, PUT, PATCH, POST, DELETE'
const varyActual = ['Origin']
const varyPreflight = ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']
/** With origin '*' the answer does not depend on Origin, but a preflight's still depends on what it asks. */
const varyPreflightAnyOrigin = ['Access-Control-Request-Method', 'Access-Control-Request-Headers']

interface Want {
  readonly kind: CorsDecision['kind']
  readonly allowed: boolean
  readonly respond: boolean
  readonly status?: number
  readonly headers: CorsHeaders
  readonly vary: readonly string[]
  readonly reason: CorsReason
  /** Part of the log message, for rejections. */
  readonly message?: string
}

interface Row {
  readonly name: string
  readonly options: CorsOptions
  readonly request: CorsRequest
  readonly want: Want
}

const nonCors = (vary: readonly string[], reason: 'no-origin' | 'disabled' = 'no-origin'): Want => ({
  kind: 'non-cors',
  allowed: true,
  respond: false,
  headers: {},
  vary,
  reason,
})
const actual = (headers: CorsHeaders, vary: readonly string[] = varyActual): Want => ({
  kind: 'actual',
  allowed: true,
  respond: false,
  headers,
  vary,
  reason: 'allowed',
})
/** A disallowed actual request reaches the application, with no CORS header at all. */
const unreadable = (message?: string, vary: readonly string[] = varyActual): Want => ({
  kind: 'actual',
  allowed: false,
  respond: false,
  status: 403,
  headers: {},
  vary,
  reason: 'origin-not-allowed',
  ...(message === undefined ? {} : { message }),
})
const answered = (headers: CorsHeaders, vary: readonly string[] = varyPreflight, status = 204): Want => ({
  kind: 'preflight',
  allowed: true,
  respond: true,
  status,
  headers,
  vary,
  reason: 'allowed',
})
/** A rejected preflight is answered 403 with no CORS header at all, and never reaches the handler. */
const refused = (reason: CorsReason, message?: string, vary: readonly string[] = varyPreflight): Want => ({
  kind: 'preflight',
  allowed: false,
  respond: true,
  status: 403,
  headers: {},
  vary,
  reason,
  ...(message === undefined ? {} : { message }),
})

const row = (name: string, options: CorsOptions, req: CorsRequest, want: Want): Row => ({
  name,
  options,
  request: req,
  want,
})

const nonCorsRows: Row[] = [
  row(
    'a request without Origin is not CORS: untouched, but Vary: Origin for a list',
    { origin: app },
    get(),
    nonCors(varyActual),
  ),
  row(
    'a request without Origin gets Allow-Origin "*" and no Vary with origin "*" (a cache may serve it to anyone)',
    {},
    get(),
    { ...nonCors([]), headers: { 'access-control-allow-origin': '*' } },
  ),
  row(
    'a request without Origin gets Vary: Origin with origin true',
    { origin: true },
    get(),
    nonCors(varyActual),
  ),
  row(
    'a request without Origin gets Vary: Origin with a pattern',
    { origin: 'https://*.example.com' },
    get(),
    nonCors(varyActual),
  ),
  row(
    'a request without Origin gets Vary: Origin with a RegExp',
    { origin: /^https:\/\/app\.example\.com$/ },
    get(),
    nonCors(varyActual),
  ),
  row(
    'a request without Origin gets Vary: Origin with a function',
    { origin: () => true },
    get(),
    nonCors(varyActual),
  ),
  row(
    'OPTIONS with Access-Control-Request-Method but no Origin is not a preflight',
    { origin: app },
    preflight(undefined, 'PUT'),
    nonCors(varyActual),
  ),
  row(
    'origin false turns CORS off: no header, no Vary',
    { origin: false },
    get(app),
    nonCors([], 'disabled'),
  ),
  row(
    'origin false turns CORS off for preflights too: they reach the application',
    { origin: false, credentials: true },
    preflight(app, 'PUT', 'x-a'),
    nonCors([], 'disabled'),
  ),
  row('origin false without Origin is disabled too', { origin: false }, get(), nonCors([], 'disabled')),
]

const actualRows: Row[] = [
  row(
    'origin "*" (the default) lets any origin read',
    {},
    get(app),
    actual({ 'access-control-allow-origin': '*' }, []),
  ),
  row(
    'origin "*" lets an opaque origin read public responses',
    { origin: '*' },
    get('null'),
    actual({ 'access-control-allow-origin': '*' }, []),
  ),
  row(
    'origin "*" sends Expose-Headers on actual responses',
    { exposedHeaders: ['X-Total-Count', 'ETag'] },
    request('POST', app),
    actual(
      { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-total-count, etag' },
      [],
    ),
  ),
  row(
    'exposedHeaders "*" without credentials',
    { exposedHeaders: '*' },
    get(app),
    actual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': '*' }, []),
  ),
  row(
    'a listed origin is echoed, with Vary: Origin',
    { origin: [app] },
    get(app),
    actual({ 'access-control-allow-origin': app }),
  ),
  row(
    'credentials and exposed headers on an allowed actual request',
    { origin: app, credentials: true, exposedHeaders: 'X-Total-Count', maxAge: 600, methods: ['PUT'] },
    request('DELETE', app),
    actual({
      'access-control-allow-origin': app,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-total-count',
    }),
  ),
  row(
    'an unlisted origin reaches the application without CORS headers',
    { origin: app },
    get(evil),
    unreadable(evil),
  ),
  row(
    'an unlisted origin gets no Allow-Credentials either',
    { origin: app, credentials: true, exposedHeaders: ['X-A'] },
    request('POST', evil),
    unreadable(),
  ),
  row(
    'OPTIONS without Access-Control-Request-Method is an ordinary request: it reaches the application',
    { origin: app },
    request('OPTIONS', app),
    actual({ 'access-control-allow-origin': app }),
  ),
  row(
    'an ordinary OPTIONS from an unlisted origin is not answered either',
    { origin: app },
    request('OPTIONS', evil),
    unreadable(),
  ),
  row(
    'a non-OPTIONS request with Access-Control-Request-Method is not a preflight',
    { origin: app },
    request('POST', app, 'PUT'),
    actual({ 'access-control-allow-origin': app }),
  ),
  row(
    'a preflight is OPTIONS byte for byte (browsers normalize it to upper case)',
    { origin: app },
    request('options', app, 'PUT'),
    actual({ 'access-control-allow-origin': app }),
  ),
  row(
    'origin true reflects a well-formed origin',
    { origin: true },
    get(evil),
    actual({ 'access-control-allow-origin': evil }),
  ),
  row(
    'origin true reflects an origin with a port',
    { origin: true },
    get('http://localhost:5173'),
    actual({ 'access-control-allow-origin': 'http://localhost:5173' }),
  ),
  row(
    'origin true reflects an IPv6 origin',
    { origin: true },
    get('http://[::1]:8080'),
    actual({ 'access-control-allow-origin': 'http://[::1]:8080' }),
  ),
  row(
    'origin true never echoes "null" (sandboxed iframes, file: pages)',
    { origin: true },
    get('null'),
    unreadable('"null"'),
  ),
  row(
    'origin true never echoes two joined origins',
    { origin: true },
    get('https://a.example, https://b.example'),
    unreadable(),
  ),
  row(
    'origin true never echoes CR LF (header injection)',
    { origin: true },
    get(`${app}\r\nSet-Cookie: a=b`),
    unreadable(),
  ),
  row('origin true never echoes a default port', { origin: true }, get(`${app}:443`), unreadable()),
  row('origin true never echoes upper case', { origin: true }, get('https://App.example.com'), unreadable()),
  row('origin true never echoes a path', { origin: true }, get(`${app}/`), unreadable()),
  row(
    'origin true never echoes an over-long origin',
    { origin: true },
    get(`https://${'a'.repeat(3000)}.example`),
    unreadable(),
  ),
  row(
    'a listed origin matches byte for byte, not case-insensitively',
    { origin: app },
    get('https://APP.example.com'),
    unreadable(),
  ),
  row('a listed origin does not match with a trailing slash', { origin: app }, get(`${app}/`), unreadable()),
  row('a listed origin does not match another port', { origin: app }, get(`${app}:8443`), unreadable()),
  row(
    'a listed origin does not match another scheme',
    { origin: app },
    get('http://app.example.com'),
    unreadable(),
  ),
  row(
    'a subdomain pattern matches a subdomain',
    { origin: 'https://*.example.com' },
    get('https://api.example.com'),
    actual({ 'access-control-allow-origin': 'https://api.example.com' }),
  ),
  row(
    'a subdomain pattern matches nested subdomains',
    { origin: 'https://*.example.com' },
    get('https://a.b.example.com'),
    actual({ 'access-control-allow-origin': 'https://a.b.example.com' }),
  ),
  row(
    'a subdomain pattern never matches the apex',
    { origin: 'https://*.example.com' },
    get('https://example.com'),
    unreadable(),
  ),
  row(
    'a subdomain pattern never matches a look-alike domain',
    { origin: 'https://*.example.com' },
    get('https://evil-example.com'),
    unreadable(),
  ),
  row(
    'a subdomain pattern never matches a longer domain',
    { origin: 'https://*.example.com' },
    get('https://api.example.com.evil.net'),
    unreadable(),
  ),
  row(
    'a subdomain pattern never matches another scheme',
    { origin: 'https://*.example.com' },
    get('http://api.example.com'),
    unreadable(),
  ),
  row(
    'a port pattern matches any port',
    { origin: 'http://localhost:*' },
    get('http://localhost:5173'),
    actual({ 'access-control-allow-origin': 'http://localhost:5173' }),
  ),
  row(
    'a port pattern does not match another host',
    { origin: 'http://localhost:*' },
    get('http://localhost.evil.net:80'),
    unreadable(),
  ),
  row(
    'a RegExp matches',
    { origin: /^https:\/\/(staging|prod)\.example\.org$/ },
    get('https://staging.example.org'),
    actual({ 'access-control-allow-origin': 'https://staging.example.org' }),
  ),
  row(
    'a RegExp that does not match rejects',
    { origin: /^https:\/\/(staging|prod)\.example\.org$/ },
    get('https://dev.example.org'),
    unreadable(),
  ),
  row(
    'a RegExp only ever sees well-formed origins, even with the i flag',
    { origin: /^https:\/\/app\.example\.org$/i },
    get('https://APP.example.org'),
    unreadable(),
  ),
  row('a RegExp matching "null" never lets "null" through', { origin: /^null$/ }, get('null'), unreadable()),
  row(
    'a mixed list: the exact origin',
    { origin: [app, 'https://*.example.org', /^https:\/\/[a-z]+\.example\.net$/] },
    get(app),
    actual({ 'access-control-allow-origin': app }),
  ),
  row(
    'a mixed list: the pattern',
    { origin: [app, 'https://*.example.org', /^https:\/\/[a-z]+\.example\.net$/] },
    get('https://x.example.org'),
    actual({ 'access-control-allow-origin': 'https://x.example.org' }),
  ),
  row(
    'a mixed list: the RegExp',
    { origin: [app, 'https://*.example.org', /^https:\/\/[a-z]+\.example\.net$/] },
    get('https://abc.example.net'),
    actual({ 'access-control-allow-origin': 'https://abc.example.net' }),
  ),
  row(
    'a mixed list: none of them',
    { origin: [app, 'https://*.example.org', /^https:\/\/[a-z]+\.example\.net$/] },
    get('https://abc.example.com'),
    unreadable(),
  ),
]

const preflightRows: Row[] = [
  row(
    'origin "*" answers a preflight with the default methods and no Vary: Origin',
    {},
    preflight(app, 'PUT'),
    answered(
      { 'access-control-allow-origin': '*', 'access-control-allow-methods': defaultMethods },
      varyPreflightAnyOrigin,
    ),
  ),
  row(
    'a listed origin is answered with Vary on Origin and both request headers',
    { origin: app },
    preflight(app, 'DELETE'),
    answered({ 'access-control-allow-origin': app, 'access-control-allow-methods': defaultMethods }),
  ),
  row(
    'an unlisted origin is answered 403 without any CORS header',
    { origin: app, credentials: true, maxAge: 600 },
    preflight(evil, 'PUT', 'x-a'),
    refused('origin-not-allowed', evil),
  ),
  row(
    'origin true answers a preflight from "null" with 403',
    { origin: true },
    preflight('null', 'PUT'),
    refused('origin-not-allowed'),
  ),
  row(
    'by default the requested headers are reflected, lower-cased',
    { origin: app },
    preflight(app, 'PUT', 'Content-Type, X-Request-Id'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': defaultMethods,
      'access-control-allow-headers': 'content-type, x-request-id',
    }),
  ),
  row(
    'reflection tolerates empty items and optional whitespace',
    { origin: app },
    preflight(app, 'PUT', ' ,x-a,,\tx-b , '),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': defaultMethods,
      'access-control-allow-headers': 'x-a, x-b',
    }),
  ),
  row(
    'no requested header means no Allow-Headers when reflecting',
    { origin: app },
    preflight(app, 'PUT', ' , '),
    answered({ 'access-control-allow-origin': app, 'access-control-allow-methods': defaultMethods }),
  ),
  row(
    'a listed header is allowed, and the whole list is sent',
    { origin: app, allowedHeaders: ['Content-Type', 'X-Request-Id'] },
    preflight(app, 'PUT', 'content-type'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': defaultMethods,
      'access-control-allow-headers': 'content-type, x-request-id',
    }),
  ),
  row(
    'header names are compared case-insensitively',
    { origin: app, allowedHeaders: 'x-request-id' },
    preflight(app, 'PUT', 'X-REQUEST-ID'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': defaultMethods,
      'access-control-allow-headers': 'x-request-id',
    }),
  ),
  row(
    'a listed policy sends its headers even when none is requested',
    { origin: app, allowedHeaders: ['X-Request-Id'] },
    preflight(app, 'PUT'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': defaultMethods,
      'access-control-allow-headers': 'x-request-id',
    }),
  ),
  row(
    'a requested header that is not listed is refused',
    { origin: app, allowedHeaders: ['Content-Type'] },
    preflight(app, 'PUT', 'content-type, x-foo'),
    refused('header-not-allowed', 'x-foo'),
  ),
  row(
    'an empty allowedHeaders list allows no request header',
    { origin: app, allowedHeaders: [] },
    preflight(app, 'PUT', 'x-a'),
    refused('header-not-allowed'),
  ),
  row(
    'an empty allowedHeaders list still answers a preflight that asks for none',
    { origin: app, allowedHeaders: [] },
    preflight(app, 'PUT'),
    answered({ 'access-control-allow-origin': app, 'access-control-allow-methods': defaultMethods }),
  ),
  row(
    'allowedHeaders "*" allows any header',
    { allowedHeaders: '*' },
    preflight(app, 'PUT', 'x-anything, content-type'),
    answered(
      {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': defaultMethods,
        'access-control-allow-headers': '*',
      },
      varyPreflightAnyOrigin,
    ),
  ),
  row(
    '"*" never covers Authorization (Fetch CORS-preflight fetch)',
    { allowedHeaders: '*' },
    preflight(app, 'PUT', 'x-a, authorization'),
    refused('authorization-not-covered', 'Authorization', varyPreflightAnyOrigin),
  ),
  row(
    '"*" plus Authorization allows Authorization',
    { allowedHeaders: ['*', 'Authorization'] },
    preflight(app, 'PUT', 'authorization, x-a'),
    answered(
      {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': defaultMethods,
        'access-control-allow-headers': '*, authorization',
      },
      varyPreflightAnyOrigin,
    ),
  ),
  row(
    'a listed method is allowed',
    { origin: app, methods: ['PUT', 'PATCH'] },
    preflight(app, 'PATCH'),
    answered({ 'access-control-allow-origin': app, 'access-control-allow-methods': 'PUT, PATCH' }),
  ),
  row(
    'methods compare case-sensitively: fetch sends "patch" as written',
    { origin: app },
    preflight(app, 'patch'),
    refused('method-not-allowed', '"patch"'),
  ),
  row(
    'a lower-case request method whose upper case is allowed is refused with the case rule explained',
    { origin: app },
    preflight(app, 'patch'),
    refused('method-not-allowed', 'browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT'),
  ),
  row(
    'a mixed-case custom method is allowed when configured upper case only as written',
    { origin: app, methods: ['MKCOL'] },
    preflight(app, 'MKCOL'),
    answered({ 'access-control-allow-origin': app, 'access-control-allow-methods': 'MKCOL' }),
  ),
  row(
    'configured get/put/delete become GET/PUT/DELETE, as Fetch normalizes them',
    { origin: app, methods: 'get, put, delete, options' },
    preflight(app, 'DELETE'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': 'GET, PUT, DELETE, OPTIONS',
    }),
  ),
  row(
    'a method not listed is refused',
    { origin: app, methods: ['PUT'] },
    preflight(app, 'DELETE'),
    refused('method-not-allowed', 'allowed: PUT'),
  ),
  row(
    'GET is safelisted: never refused on the method',
    { origin: app, methods: ['PUT'] },
    preflight(app, 'GET', 'x-a'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-a',
    }),
  ),
  row(
    'HEAD is safelisted: never refused on the method',
    { origin: app, methods: ['PUT'] },
    preflight(app, 'HEAD'),
    answered({ 'access-control-allow-origin': app, 'access-control-allow-methods': 'PUT' }),
  ),
  row(
    'POST is safelisted: never refused on the method',
    { origin: app, methods: [] },
    preflight(app, 'POST', 'content-type'),
    answered({ 'access-control-allow-origin': app, 'access-control-allow-headers': 'content-type' }),
  ),
  row(
    'an empty methods list refuses every other method',
    { origin: app, methods: [] },
    preflight(app, 'PUT'),
    refused('method-not-allowed', 'none but GET, HEAD, POST'),
  ),
  row(
    'methods "*" allows any method token',
    { methods: '*' },
    preflight(app, 'PURGE'),
    answered(
      { 'access-control-allow-origin': '*', 'access-control-allow-methods': '*' },
      varyPreflightAnyOrigin,
    ),
  ),
  row(
    'methods "*" never allows CONNECT',
    { methods: '*' },
    preflight(app, 'CONNECT'),
    refused('method-not-allowed', undefined, varyPreflightAnyOrigin),
  ),
  row(
    'methods "*" never allows trace in any case',
    { methods: '*' },
    preflight(app, 'trace'),
    refused('method-not-allowed', undefined, varyPreflightAnyOrigin),
  ),
  row(
    'methods "*" never allows a method that is not a token',
    { methods: '*' },
    preflight(app, 'BAD METHOD'),
    refused('method-not-allowed', undefined, varyPreflightAnyOrigin),
  ),
  row(
    'maxAge is sent on preflights',
    { origin: app, maxAge: 600 },
    preflight(app, 'PUT'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': defaultMethods,
      'access-control-max-age': '600',
    }),
  ),
  row(
    'maxAge 0 is sent, to disable the preflight cache',
    { origin: app, maxAge: 0 },
    preflight(app, 'PUT'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-methods': defaultMethods,
      'access-control-max-age': '0',
    }),
  ),
  row(
    'an allowed preflight carries credentials, but never Expose-Headers',
    {
      origin: [app],
      credentials: true,
      methods: ['PUT'],
      allowedHeaders: ['Authorization'],
      exposedHeaders: ['X-Total-Count'],
      maxAge: 300,
    },
    preflight(app, 'PUT', 'authorization'),
    answered({
      'access-control-allow-origin': app,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'authorization',
      'access-control-max-age': '300',
    }),
  ),
  row(
    'optionsSuccessStatus sets the status of answered preflights',
    { origin: app, optionsSuccessStatus: 200 },
    preflight(app, 'PUT'),
    answered(
      { 'access-control-allow-origin': app, 'access-control-allow-methods': defaultMethods },
      varyPreflight,
      200,
    ),
  ),
  row(
    'preflightContinue passes an allowed preflight on, with its headers',
    { origin: app, preflightContinue: true },
    preflight(app, 'PUT', 'x-a'),
    {
      ...answered({
        'access-control-allow-origin': app,
        'access-control-allow-methods': defaultMethods,
        'access-control-allow-headers': 'x-a',
      }),
      respond: false,
    },
  ),
  row(
    'preflightContinue passes on a static-header preflight too',
    { origin: app, preflightContinue: true, allowedHeaders: ['X-A'] },
    preflight(app, 'PUT'),
    {
      ...answered({
        'access-control-allow-origin': app,
        'access-control-allow-methods': defaultMethods,
        'access-control-allow-headers': 'x-a',
      }),
      respond: false,
    },
  ),
  row(
    'preflightContinue still answers a rejected preflight with 403',
    { origin: app, preflightContinue: true },
    preflight(evil, 'PUT'),
    refused('origin-not-allowed'),
  ),
  row(
    'preflightContinue still answers a preflight refused on the method with 403',
    { origin: app, preflightContinue: true, methods: ['PUT'] },
    preflight(app, 'DELETE'),
    refused('method-not-allowed'),
  ),
  row(
    'a requested-header list that is not a token list is refused, even when reflecting',
    { origin: app },
    preflight(app, 'PUT', 'x-a x-b'),
    refused('request-headers-invalid'),
  ),
  row(
    'CR LF in Access-Control-Request-Headers is refused, never echoed',
    { origin: app },
    preflight(app, 'PUT', 'x-a\r\nSet-Cookie: a=b'),
    refused('request-headers-invalid'),
  ),
  row(
    'non-ASCII in Access-Control-Request-Headers is refused',
    { allowedHeaders: '*' },
    preflight(app, 'PUT', 'x-grüße'),
    refused('request-headers-invalid', undefined, varyPreflightAnyOrigin),
  ),
  row(
    'an over-long Access-Control-Request-Headers is refused',
    { origin: app },
    preflight(app, 'PUT', 'x'.repeat(maxRequestHeadersLength + 1)),
    refused('request-headers-too-large'),
  ),
  row(
    'more requested headers than any browser sends are refused',
    { origin: app, allowedHeaders: '*' },
    preflight(app, 'PUT', Array.from({ length: maxRequestHeadersCount + 1 }, (_, i) => `h${i}`).join(',')),
    refused('request-headers-too-large'),
  ),
  row(
    'the origin is checked before the method',
    { origin: app, methods: ['PUT'] },
    preflight(evil, 'DELETE', 'x a'),
    refused('origin-not-allowed'),
  ),
  row(
    'the method is checked before the requested headers',
    { origin: app, methods: ['PUT'] },
    preflight(app, 'DELETE', 'x a'),
    refused('method-not-allowed'),
  ),
]

describe.each([
  ['requests that are not CORS', nonCorsRows],
  ['actual requests', actualRows],
  ['preflights', preflightRows],
])('decide: %s', (_, rows) => {
  it.each(rows)('$name', async ({ options, request: req, want }) => {
    const decision = await createCors(options).decide(req)
    expect(decision).toMatchObject({
      kind: want.kind,
      allowed: want.allowed,
      respond: want.respond,
      reason: want.reason,
    })
    expect(decision.headers).toEqual(want.headers)
    expect(decision.vary).toEqual(want.vary)
    if (want.status !== undefined) expect('status' in decision && decision.status).toBe(want.status)
    if (want.message !== undefined) expect(decision.message).toContain(want.message)
    expect(decision.message).not.toBe('')
  })
})

describe('origin functions', () => {
  it('a synchronous function gives a synchronous decision', () => {
    const decision = createCors({ origin: (origin) => origin === app }).decide(get(app))
    expect(decision).not.toBeInstanceOf(Promise)
    expect(decision).toMatchObject({
      kind: 'actual',
      allowed: true,
      headers: { 'access-control-allow-origin': app },
    })
  })

  it('an async function gives a promise of the decision', async () => {
    const decision = createCors({ origin: async (origin) => origin === app, credentials: true }).decide(
      get(app),
    )
    expect(decision).toBeInstanceOf(Promise)
    expect(await decision).toEqual({
      kind: 'actual',
      allowed: true,
      respond: false,
      headers: { 'access-control-allow-origin': app, 'access-control-allow-credentials': 'true' },
      vary: ['Origin'],
      unset: [
        'access-control-allow-methods',
        'access-control-allow-headers',
        'access-control-expose-headers',
        'access-control-max-age',
        'access-control-allow-private-network',
      ],
      reason: 'allowed',
      message: 'allowed',
    })
  })

  it('an async function answers preflights too', async () => {
    const decision = await createCors({ origin: async () => true, allowedHeaders: ['X-A'] }).decide(
      preflight(app, 'PUT', 'x-a'),
    )
    expect(decision).toMatchObject({
      kind: 'preflight',
      allowed: true,
      respond: true,
      status: 204,
      headers: {
        'access-control-allow-origin': app,
        'access-control-allow-methods': defaultMethods,
        'access-control-allow-headers': 'x-a',
      },
      vary: varyPreflight,
    })
  })

  it.each([
    ['false', false],
    ['a truthy string', 'yes'],
    ['1', 1],
    ['undefined', undefined],
    ['an object', {}],
  ])('only true allows: %s denies', async (_, verdict) => {
    const sync = createCors({ origin: () => verdict as boolean }).decide(get(app))
    const async = createCors({ origin: async () => verdict as boolean }).decide(get(app))
    for (const decision of [sync, await async]) {
      expect(decision).toMatchObject({
        kind: 'actual',
        allowed: false,
        reason: 'origin-not-allowed',
        headers: {},
      })
    }
  })

  it('receives the origin and the adapter context', async () => {
    const origin = vi.fn((_origin: string, _context: { id: number }) => true)
    const context = { id: 7 }
    await createCors<{ id: number }>({ origin }).decide(get(app), context)
    expect(origin).toHaveBeenCalledTimes(1)
    expect(origin).toHaveBeenCalledWith(app, context)
  })

  it.each([
    ['"null"', 'null'],
    ['two joined origins', 'https://a.example, https://b.example'],
    ['an origin with a path', `${app}/x`],
    ['CR LF', `${app}\r\n`],
    ['upper case', 'https://APP.example.com'],
  ])('is never asked about %s, which is refused', (_, value) => {
    const origin = vi.fn(() => true)
    const decision = createCors({ origin }).decide(get(value))
    expect(origin).not.toHaveBeenCalled()
    expect(decision).toMatchObject({ allowed: false, reason: 'origin-not-allowed', headers: {} })
  })

  it('is never asked about requests without Origin', () => {
    const origin = vi.fn(() => true)
    expect(createCors({ origin }).decide(get())).toMatchObject({ kind: 'non-cors', vary: ['Origin'] })
    expect(origin).not.toHaveBeenCalled()
  })

  it('a throwing function denies the request and reports the error, never throws', () => {
    const error = new Error('database down')
    const policy = createCors({
      origin: () => {
        throw error
      },
    })
    const decision = policy.decide(get(app))
    expect(decision).toEqual({
      kind: 'actual',
      allowed: false,
      respond: false,
      status: 403,
      headers: {},
      vary: ['Origin'],
      unset: corsResponseHeaders,
      reason: 'origin-check-failed',
      message: `the origin function failed for "${app}": Error: database down`,
      error,
    })
  })

  it('a rejecting async function denies the preflight with 403 and reports the error', async () => {
    const error = new TypeError('timeout')
    const decision = createCors({ origin: () => Promise.reject(error) }).decide(preflight(app, 'PUT'))
    await expect(decision).resolves.toMatchObject({
      kind: 'preflight',
      allowed: false,
      respond: true,
      status: 403,
      headers: {},
      vary: varyPreflight,
      reason: 'origin-check-failed',
      error,
    })
  })

  it('a thrown non-Error is reported as it was thrown', async () => {
    const decision = await createCors({
      origin: async () => {
        throw 'nope'
      },
    }).decide(get(app))
    expect(decision).toMatchObject({ reason: 'origin-check-failed', error: 'nope' })
    expect(decision.message).toContain('nope')
  })

  // Found by the adversarial suite: String(error) threw out of decide, and Fastify's default error
  // handler then answered 500 with the second error's message.
  it.each([
    ['an object without a prototype', () => Object.create(null) as unknown],
    [
      'an object whose toString throws',
      () => ({
        toString() {
          throw new Error('secret from toString')
        },
      }),
    ],
    [
      'an Error whose message getter throws',
      () =>
        Object.defineProperty(new Error(), 'message', {
          get() {
            throw new Error('secret from message')
          },
        }),
    ],
  ])(
    'a thrown value that cannot be turned into a string (%s) still denies, sync and async',
    async (_, make) => {
      const thrown = make()
      const sync = createCors({
        origin: () => {
          throw thrown
        },
      }).decide(get(app))
      const async = await createCors({ origin: () => Promise.reject(thrown) }).decide(preflight(app, 'PUT'))
      for (const decision of [sync as CorsDecision, async]) {
        expect(decision).toMatchObject({ allowed: false, reason: 'origin-check-failed', headers: {} })
        expect((decision as CorsRejection).error).toBe(thrown)
        expect(decision.message).toBe(
          `the origin function failed for "${app}": a value that cannot be converted to a string`,
        )
      }
    },
  )

  it('a denial by the function carries no error', () => {
    const decision = createCors({ origin: () => false }).decide(get(app))
    expect(decision).not.toHaveProperty('error')
  })
})

describe('onReject', () => {
  type Context = { readonly path: string }
  const context: Context = { path: '/api' }

  it.each<{
    name: string
    options: CorsOptions<Context>
    request: CorsRequest
    reason: CorsRejection['reason']
  }>([
    {
      name: 'an unlisted origin (actual)',
      options: { origin: app },
      request: get(evil),
      reason: 'origin-not-allowed',
    },
    {
      name: 'an unlisted origin (preflight)',
      options: { origin: app },
      request: preflight(evil, 'PUT'),
      reason: 'origin-not-allowed',
    },
    {
      name: 'a method not allowed',
      options: { origin: app, methods: ['PUT'] },
      request: preflight(app, 'DELETE'),
      reason: 'method-not-allowed',
    },
    {
      name: 'a header not allowed',
      options: { origin: app, allowedHeaders: [] },
      request: preflight(app, 'PUT', 'x-a'),
      reason: 'header-not-allowed',
    },
    {
      name: 'Authorization under "*"',
      options: { allowedHeaders: '*' },
      request: preflight(app, 'PUT', 'authorization'),
      reason: 'authorization-not-covered',
    },
    {
      name: 'invalid requested headers',
      options: {},
      request: preflight(app, 'PUT', 'a b'),
      reason: 'request-headers-invalid',
    },
    {
      name: 'too many requested headers',
      options: {},
      request: preflight(app, 'PUT', 'a,'.repeat(maxRequestHeadersCount + 1)),
      reason: 'request-headers-too-large',
    },
    {
      name: 'a throwing origin function',
      options: {
        origin: () => {
          throw new Error('x')
        },
      },
      request: get(app),
      reason: 'origin-check-failed',
    },
    {
      name: 'a rejecting origin function',
      options: { origin: () => Promise.reject(new Error('x')) },
      request: preflight(app, 'PUT'),
      reason: 'origin-check-failed',
    },
    {
      name: 'an async origin function that says no',
      options: { origin: async () => false },
      request: get(app),
      reason: 'origin-not-allowed',
    },
  ])('is called once with the decision and the context: $name', async ({ options, request: req, reason }) => {
    const onReject = vi.fn()
    const decision = await createCors<Context>({ ...options, onReject }).decide(req, context)
    expect(decision).toMatchObject({ allowed: false, reason })
    expect(onReject).toHaveBeenCalledTimes(1)
    expect(onReject.mock.calls[0]![0]).toBe(decision)
    expect(onReject.mock.calls[0]![1]).toBe(context)
  })

  it.each<{ name: string; options: CorsOptions<Context>; request: CorsRequest }>([
    { name: 'an allowed actual request', options: { origin: app }, request: get(app) },
    { name: 'an allowed preflight', options: { origin: app }, request: preflight(app, 'PUT', 'x-a') },
    {
      name: 'a static-header preflight',
      options: { origin: app, allowedHeaders: ['X-A'] },
      request: preflight(app, 'PUT', 'x-a'),
    },
    { name: 'a request without Origin', options: { origin: app }, request: get() },
    { name: 'CORS disabled', options: { origin: false }, request: get(evil) },
    { name: 'an async function that allows', options: { origin: async () => true }, request: get(app) },
    { name: 'origin "*"', options: {}, request: preflight('null', 'PUT') },
  ])('is never called for $name', async ({ options, request: req }) => {
    const onReject = vi.fn()
    const decision = await createCors<Context>({ ...options, onReject }).decide(req, context)
    expect(decision.allowed).toBe(true)
    expect(onReject).not.toHaveBeenCalled()
  })

  it('is called once per rejection, for every rejected request', () => {
    const onReject = vi.fn()
    const policy = createCors<Context>({ origin: app, onReject })
    policy.decide(get(evil), context)
    policy.decide(get(app), context)
    policy.decide(preflight(evil, 'PUT'), context)
    policy.decide(get('https://other.example'), context)
    expect(onReject).toHaveBeenCalledTimes(3)
    expect(onReject.mock.calls.map(([rejection]) => rejection.kind)).toEqual([
      'actual',
      'preflight',
      'actual',
    ])
  })

  it('is called again for the same origin refused again (a remembered refusal is still reported)', () => {
    const onReject = vi.fn()
    const policy = createCors<Context>({ origin: 'https://*.example.com', onReject })
    const decisions = [1, 2, 3].map(() => policy.decide(get(evil), context))
    expect(onReject).toHaveBeenCalledTimes(3)
    onReject.mock.calls.forEach(([rejection, ctx], i) => {
      expect(rejection).toBe(decisions[i])
      expect(ctx).toBe(context)
    })
  })
})

describe('precomputed decisions', () => {
  it.each<{ name: string; options: CorsOptions; request: CorsRequest }>([
    { name: 'an actual request from a listed origin', options: { origin: [app, evil] }, request: get(app) },
    { name: 'an actual request under origin "*"', options: { exposedHeaders: ['X-A'] }, request: get(app) },
    {
      name: 'a preflight with listed headers',
      options: { origin: app, allowedHeaders: ['X-A'], maxAge: 60 },
      request: preflight(app, 'PUT', 'x-a'),
    },
    {
      name: 'a preflight under origin "*" with "*" headers',
      options: { allowedHeaders: '*' },
      request: preflight(app, 'PUT', 'x-b'),
    },
    { name: 'a request without Origin', options: { origin: app }, request: get() },
    { name: 'a request while CORS is disabled', options: { origin: false }, request: get(app) },
    { name: 'the refusal of an unlisted origin', options: { origin: app }, request: get(evil) },
    {
      name: 'the refusal of a preflight from an origin no pattern matches',
      options: { origin: 'https://*.example.com' },
      request: preflight(evil, 'PUT'),
    },
  ])('$name: the same frozen object every time', ({ options, request: req }) => {
    const policy = createCors(options)
    const first = sync(policy.decide(req))
    const second = sync(policy.decide({ ...req }))
    expect(second).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(Object.isFrozen(first.headers)).toBe(true)
    expect(Object.isFrozen(first.vary)).toBe(true)
    expect(() => {
      ;(first.headers as Record<string, string>)['access-control-allow-origin'] = evil
    }).toThrow(TypeError)
  })

  it('the policy itself is frozen', () => {
    const policy = createCors({ origin: app })
    expect(Object.isFrozen(policy)).toBe(true)
  })

  it('a rejection is never shared with the next request', () => {
    const policy = createCors({ origin: app })
    const first = sync(policy.decide(get('https://a.example')))
    const second = sync(policy.decide(get('https://b.example')))
    expect(first.message).toContain('https://a.example')
    expect(second.message).toContain('https://b.example')
  })

  it('reflected request headers are never shared with the next preflight', () => {
    const policy = createCors({ origin: app })
    const first = sync(policy.decide(preflight(app, 'PUT', 'x-a')))
    const second = sync(policy.decide(preflight(app, 'PUT', 'x-b')))
    expect(first.headers['access-control-allow-headers']).toBe('x-a')
    expect(second.headers['access-control-allow-headers']).toBe('x-b')
  })
})

describe('the bounded cache of matched origins', () => {
  const count = maxCachedOrigins * 3 + 7
  const origins = Array.from({ length: count }, (_, i) => `https://o${i}.example.com`)

  it.each<{ name: string; options: CorsOptions; outsider: string }>([
    {
      name: 'a subdomain pattern',
      options: { origin: 'https://*.example.com', credentials: true },
      outsider: 'https://example.org',
    },
    { name: 'origin true', options: { origin: true }, outsider: 'null' },
    {
      name: 'a RegExp',
      options: { origin: /^https:\/\/o[0-9]+\.example\.com$/ },
      outsider: 'https://o1.example.org',
    },
    {
      name: 'a function',
      options: { origin: (origin: string) => origin.endsWith('.example.com') },
      outsider: 'https://example.org',
    },
  ])(
    'answers stay correct after more than maxCachedOrigins distinct origins: $name',
    ({ options, outsider }) => {
      const policy = createCors(options)
      const check = (origin: string) => {
        const actual = sync(policy.decide(get(origin)))
        expect(actual.headers['access-control-allow-origin']).toBe(origin)
        const answer = sync(policy.decide(preflight(origin, 'PUT', 'x-a')))
        expect(answer).toMatchObject({ kind: 'preflight', allowed: true })
        expect(answer.headers['access-control-allow-origin']).toBe(origin)
        expect(answer.headers['access-control-allow-headers']).toBe('x-a')
      }
      for (const origin of origins) check(origin)
      // The earliest ones were evicted long ago; they must be rebuilt, not mixed up.
      for (const origin of origins.slice(0, 50)) check(origin)
      for (const origin of origins.slice(-50).reverse()) check(origin)
      expect(policy.decide(get(outsider))).toMatchObject({ allowed: false, headers: {} })
    },
  )

  it('reuses the precomputed answer for an origin still in the cache', () => {
    const policy = createCors({ origin: 'https://*.example.com' })
    const first = policy.decide(get('https://a.example.com'))
    expect(policy.decide(get('https://a.example.com'))).toBe(first)
  })

  it.each<{ name: string; options: CorsOptions }>([
    { name: 'an exact list', options: { origin: [app] } },
    { name: 'a subdomain pattern', options: { origin: 'https://*.example.com' } },
    { name: 'a function', options: { origin: () => false } },
  ])(
    'refusals stay correct after more than maxCachedOrigins distinct refused origins: $name',
    ({ options }) => {
      const policy = createCors(options)
      const refused = Array.from({ length: count }, (_, i) => `https://o${i}.example.net`)
      const check = (origin: string) => {
        for (const req of [get(origin), preflight(origin, 'PUT')]) {
          const decision = sync(policy.decide(req))
          expect(decision).toMatchObject({
            kind: req.method === 'GET' ? 'actual' : 'preflight',
            allowed: false,
          })
          expect(decision.headers).toEqual({})
          expect(decision.message).toBe(`origin "${origin}" is not allowed`)
        }
      }
      for (const origin of refused) check(origin)
      for (const origin of refused.slice(0, 50)) check(origin)
    },
  )

  it('a requested-header list accepted once is accepted again, but never for a refused method or origin', () => {
    const policy = createCors({
      origin: [app, 'https://b.example'],
      methods: ['PUT'],
      allowedHeaders: ['X-A', 'X-B'],
    })
    const allowed = sync(policy.decide(preflight(app, 'PUT', 'x-a,x-b')))
    expect(allowed).toMatchObject({ kind: 'preflight', allowed: true })
    expect(sync(policy.decide(preflight('https://b.example', 'PUT', 'x-a,x-b')))).toMatchObject({
      allowed: true,
    })
    expect(sync(policy.decide(preflight(app, 'DELETE', 'x-a,x-b')))).toMatchObject({
      reason: 'method-not-allowed',
    })
    expect(sync(policy.decide(preflight(evil, 'PUT', 'x-a,x-b')))).toMatchObject({
      reason: 'origin-not-allowed',
    })
    expect(sync(policy.decide(preflight(app, 'PUT', 'x-a,x-b,x-c')))).toMatchObject({
      reason: 'header-not-allowed',
    })
    expect(sync(policy.decide(preflight(app, 'PUT', 'x-a,x-b')))).toBe(allowed)
  })

  it('requested-header lists stay correct after more than maxCachedOrigins distinct accepted lists', () => {
    const names = Array.from({ length: 12 }, (_, i) => `x-h${i}`)
    const policy = createCors({ origin: app, allowedHeaders: names })
    // Distinct accepted lists: every non-empty subset of the 12 names, in order (4095 of them).
    const lists = Array.from({ length: 2 ** names.length - 1 }, (_, mask) =>
      names.filter((_, bit) => ((mask + 1) >> bit) & 1).join(','),
    )
    expect(lists.length).toBeGreaterThan(maxCachedOrigins * 2)
    for (const list of lists) {
      expect(sync(policy.decide(preflight(app, 'PUT', list)))).toMatchObject({ allowed: true })
      expect(sync(policy.decide(preflight(app, 'PUT', `${list},x-other`)))).toMatchObject({
        reason: 'header-not-allowed',
      })
    }
  })
})

describe('hardening beyond the contract', () => {
  it('refuses an oversized origin without remembering it (cache keys stay small)', () => {
    const policy = createCors({ origin: 'https://*.example.com' })
    const huge = `https://${'a'.repeat(5000)}.example.com`
    const first = sync(policy.decide(get(huge)))
    expect(first).toMatchObject({ allowed: false, reason: 'origin-not-allowed', headers: {} })
    // Not cached: each oversized origin gets a fresh refusal object.
    expect(policy.decide(get(huge))).not.toBe(first)
    // A normal refused origin is remembered.
    const normal = policy.decide(get(evil))
    expect(policy.decide(get(evil))).toBe(normal)
  })

  it('never reflects a requested header named "*", which the browser would read as the wildcard', () => {
    const policy = createCors({ origin: app })
    expect(sync(policy.decide(preflight(app, 'PUT', 'x-a, *')))).toMatchObject({
      allowed: false,
      reason: 'header-not-allowed',
      headers: {},
    })
    expect(sync(policy.decide(preflight(app, 'PUT', 'x-a'))).headers['access-control-allow-headers']).toBe(
      'x-a',
    )
  })
})

describe('cache keys', () => {
  it('answers an allowed origin longer than maxCachedKeyLength correctly, without remembering it', () => {
    const label = (c: string) => c.repeat(60)
    const long = `https://${label('a')}.${label('b')}.${label('c')}.${label('d')}.example.com`
    expect(long.length).toBeGreaterThan(maxCachedKeyLength)
    const policy = createCors({ origin: 'https://*.example.com' })
    const first = sync(policy.decide(get(long)))
    expect(first.headers['access-control-allow-origin']).toBe(long)
    const second = sync(policy.decide(get(long)))
    expect(second).not.toBe(first)
    expect(second).toEqual(first)
  })
})
