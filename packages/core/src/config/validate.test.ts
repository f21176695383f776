import { describe, expect, it } from 'vitest'
import { createCors, validateCorsOptions } from '../decide/policy.ts'
import { CorsConfigError, type CorsConfigIssue, type CorsConfigIssueCode } from './errors.ts'
import type { CorsOptions } from './options.ts'

const app = 'https://app.example.com'

interface Row {
  /** The Fetch-standard rule, or the user-visible reason, the refusal protects. */
  readonly name: string
  readonly options: unknown
  readonly code: CorsConfigIssueCode
  readonly option: string
  /** The offending value reported: the whole option, or the one wrong item of a list. */
  readonly value?: unknown
  /** What the fix must say, beyond being non-empty. */
  readonly hint?: RegExp
}

const row = (
  name: string,
  options: unknown,
  code: CorsConfigIssueCode,
  option: string,
  extra: { value?: unknown; hint?: RegExp } = {},
): Row => ({ name, options, code, option, ...extra })

/** An invalid origin item, reported with the item itself as the value. */
const badOrigin = (
  name: string,
  origin: string,
  code: CorsConfigIssueCode = 'invalid-origin',
  hint?: RegExp,
) => row(name, { origin }, code, 'origin', hint === undefined ? { value: origin } : { value: origin, hint })

const credentialed = (extra: Record<string, unknown>) => ({ origin: app, credentials: true, ...extra })

const credentialRows: Row[] = [
  row(
    'credentials with a RegExp whose unescaped prefix also matches https://evilexample.com are refused',
    { origin: [/^https:\/\/.*example\.com$/], credentials: true },
    'credentials-with-any-origin',
    'origin',
    { hint: /anchor the RegExp on a dot/ },
  ),
  // Issue 18.11: a literal tail of one label (a top-level domain) let every .com site read with cookies.
  ...[
    /^https:\/\/.*\.com$/,
    /^https:\/\/.+\.(com|net)$/,
    /^https:\/\/.+\.(?:com|net)$/,
    /^https:\/\/.+(\.com|\.net)$/,
  ].map((re) =>
    row(
      `credentials with ${re}, whose literal tail is only a top-level domain, are refused`,
      { origin: [re], credentials: true },
      'credentials-with-any-origin',
      'origin',
      { hint: /anchor the RegExp on a dot: / },
    ),
  ),
  row(
    'credentials with a RegExp that matches any site are refused like origin: true',
    { origin: [/^https?:\/\/.*$/], credentials: true },
    'credentials-with-any-origin',
    'origin',
  ),
  row(
    'credentials need a listed origin: browsers refuse ACAO "*" on credentialed requests',
    { origin: '*', credentials: true },
    'credentials-with-any-origin',
    'origin',
    { value: '*' },
  ),
  row(
    'credentials with the default origin (which is "*") are refused',
    { credentials: true },
    'credentials-with-any-origin',
    'origin',
  ),
  row(
    'credentials with origin: true would let every site read responses with the cookies',
    { origin: true, credentials: true },
    'credentials-with-any-origin',
    'origin',
    { value: true },
  ),
  row(
    'methods "*" is read literally on credentialed requests',
    credentialed({ methods: '*' }),
    'credentials-with-wildcard',
    'methods',
    { value: '*' },
  ),
  row(
    'methods containing "*" is read literally on credentialed requests',
    credentialed({ methods: ['GET', '*'] }),
    'credentials-with-wildcard',
    'methods',
  ),
  row(
    'allowedHeaders "*" is read literally on credentialed requests',
    credentialed({ allowedHeaders: '*' }),
    'credentials-with-wildcard',
    'allowedHeaders',
  ),
  row(
    'allowedHeaders containing "*" is read literally on credentialed requests',
    credentialed({ allowedHeaders: ['*', 'Authorization'] }),
    'credentials-with-wildcard',
    'allowedHeaders',
  ),
  row(
    'exposedHeaders "*" is read literally on credentialed requests',
    credentialed({ exposedHeaders: '*' }),
    'credentials-with-wildcard',
    'exposedHeaders',
  ),
]

const originRows: Row[] = [
  badOrigin(
    'a pattern without scheme suggests https://',
    '*.example.com',
    'invalid-origin',
    /use "https:\/\/\*\.example\.com"/,
  ),
  badOrigin(
    'localhost without scheme suggests http://',
    'localhost:3000',
    'invalid-origin',
    /use "http:\/\/localhost:3000"/,
  ),
  row(
    'a RegExp with a nested quantifier (exponential matching) is refused',
    { origin: /^https:\/\/(a+)+\.example\.com$/ },
    'regexp-exponential',
    'origin',
    {
      hint: /\(\[a-z0-9-\]\+\\\.\)\*/,
    },
  ),
  row(
    'a RegExp with overlapping alternatives under a quantifier is refused',
    { origin: /^https:\/\/(a|ab)*\.example\.com$/ },
    'regexp-exponential',
    'origin',
  ),
  row(
    'an unanchored RegExp also suggests the simpler string pattern',
    { origin: /https:\/\/.*\.example\.com/ },
    'regexp-not-anchored',
    'origin',
    {
      hint: /string pattern "https:\/\/\*\.example\.com"/,
    },
  ),
  badOrigin(
    'an origin has no path',
    'https://app.example.com/app',
    'invalid-origin',
    /"https:\/\/app\.example\.com"/,
  ),
  badOrigin(
    'an origin has no trailing slash (browsers never send one)',
    'https://app.example.com/',
    'invalid-origin',
    /"https:\/\/app\.example\.com"/,
  ),
  badOrigin('an origin has no query', 'https://app.example.com?x=1'),
  badOrigin('an origin has no fragment', 'https://app.example.com#top'),
  badOrigin('an origin has no user information', 'https://user@app.example.com'),
  badOrigin('an origin has no user and password', 'https://user:secret@app.example.com'),
  badOrigin('an origin has a scheme', 'app.example.com'),
  badOrigin('a scheme-relative URL is not an origin', '//app.example.com'),
  badOrigin(
    'browsers serialize the host in lower case',
    'https://App.Example.com',
    'invalid-origin',
    /"https:\/\/app\.example\.com"/,
  ),
  badOrigin('browsers serialize the scheme in lower case', 'HTTPS://app.example.com'),
  // Issue 19.7: the hint was 'use "https://a.example,https:"', or "remove the whitespace".
  badOrigin(
    'a comma-separated string of origins is refused: a list goes in an array',
    'https://a.example,https://b.example',
    'invalid-origin',
    /^a list of origins goes in an array: \['https:\/\/a\.example', 'https:\/\/b\.example'\]$/,
  ),
  badOrigin(
    'a comma-separated string with a space after the comma gets the same fix',
    'https://a.example, https://b.example',
    'invalid-origin',
    /^a list of origins goes in an array: \['https:\/\/a\.example', 'https:\/\/b\.example'\]$/,
  ),
  badOrigin('leading whitespace never matches', ' https://app.example.com'),
  badOrigin('trailing whitespace never matches', 'https://app.example.com '),
  badOrigin('a trailing newline never matches', 'https://app.example.com\n'),
  badOrigin('a tab inside never matches', 'https://app.\texample.com'),
  badOrigin(
    'browsers omit the default port 80 of http',
    'http://app.example.com:80',
    'invalid-origin',
    /"http:\/\/app\.example\.com"/,
  ),
  badOrigin(
    'browsers omit the default port 443 of https',
    'https://app.example.com:443',
    'invalid-origin',
    /"https:\/\/app\.example\.com"/,
  ),
  badOrigin('port 0 is not a port a page can have', 'https://app.example.com:0'),
  badOrigin('a port above 65535 does not exist', 'https://app.example.com:65536'),
  badOrigin('a port is digits', 'https://app.example.com:abc'),
  badOrigin('an empty port is never serialized', 'https://app.example.com:'),
  badOrigin('browsers serialize ports without leading zeros', 'https://app.example.com:08080'),
  badOrigin('a host has no empty label', 'https://app..example.com'),
  badOrigin('a host has only host characters', 'https://app$.example.com'),
  badOrigin('an origin has a host', 'https://'),
  badOrigin('a host has no trailing dot (browsers send it without)', 'https://app.example.com.'),
  badOrigin('"*" only stands as the first label of a pattern', 'https://api.*.example.com'),
  badOrigin('"*" stands for whole labels only', 'https://*example.com'),
  badOrigin('"*" alone is not a host pattern', 'https://*'),
  badOrigin('a file: page has the opaque origin "null"', 'file:///home/user/index.html'),
  badOrigin('a file: origin in any form is opaque', 'file://'),
  badOrigin('the opaque origin "null" is shared by sandboxed iframes and file: pages', 'null', 'null-origin'),
  badOrigin(
    'browsers send internationalized hosts in punycode',
    'https://bücher.example',
    'invalid-origin',
    /xn--/,
  ),
  row('"*" cannot be mixed with listed origins', { origin: ['*', app] }, 'invalid-origin', 'origin', {
    value: '*',
  }),
  badOrigin(
    'a wildcard over a top-level domain would allow every site under it',
    'https://*.com',
    'origin-pattern-too-broad',
    /\*\.example\.com/,
  ),
  badOrigin(
    'a wildcard over a top-level domain, with a port wildcard too',
    'http://*.dev:*',
    'origin-pattern-too-broad',
  ),
  badOrigin('a subdomain wildcard over an IPv4 address is meaningless', 'http://*.127.0.0.1'),
  badOrigin('a subdomain wildcard over an IPv6 address is meaningless', 'http://*.[::1]:8080'),
  row(
    'a RegExp without ^ and $ matches origins that merely contain a match',
    { origin: /https:\/\/app\.example\.com/ },
    'regexp-not-anchored',
    'origin',
    { value: /https:\/\/app\.example\.com/ },
  ),
  row(
    'a RegExp without $ matches https://app.example.com.evil.net',
    { origin: /^https:\/\/app\.example\.com/ },
    'regexp-not-anchored',
    'origin',
  ),
  row(
    'a RegExp without ^ matches https://evil-app.example.com',
    { origin: /app\.example\.com$/ },
    'regexp-not-anchored',
    'origin',
  ),
  row(
    'every top-level alternative must be anchored: /^a$|b/ matches anything containing b',
    { origin: /^a$|b/ },
    'regexp-not-anchored',
    'origin',
  ),
  row(
    'an anchored alternative does not anchor its neighbour',
    { origin: /^https:\/\/a\.example$|^https:\/\/b\.example/ },
    'regexp-not-anchored',
    'origin',
  ),
  row(
    'an escaped \\$ is a literal dollar, not an anchor',
    { origin: /^a\$/ },
    'regexp-not-anchored',
    'origin',
  ),
  row(
    'the g flag makes test() remember lastIndex between requests',
    { origin: /^https:\/\/app\.example\.com$/g },
    'regexp-stateful',
    'origin',
    { hint: /\/\^https:\\\/\\\/app\\\.example\\\.com\$\/$/ },
  ),
  row(
    'the y flag makes test() remember lastIndex between requests',
    { origin: [app, /^https:\/\/b\.example$/iy] },
    'regexp-stateful',
    'origin',
    { hint: /\/i$/ },
  ),
  row(
    'an empty origin list allows no origin: say origin: false',
    { origin: [] },
    'empty-origin-list',
    'origin',
    {
      hint: /origin: false/,
    },
  ),
]

const methodRows: Row[] = [
  row(
    'a lower-case method Fetch does not normalize is refused: write PATCH',
    { methods: 'get,post,patch' },
    'method-case',
    'methods',
    {
      value: 'patch',
      hint: /write "PATCH"/,
    },
  ),
  row('a mixed-case custom method is refused too', { methods: ['Purge'] }, 'method-case', 'methods', {
    value: 'Purge',
  }),
  row('a method is an HTTP token (no spaces)', { methods: 'GET POST' }, 'invalid-method', 'methods', {
    value: 'GET POST',
  }),
  row('a method is an HTTP token (no separators)', { methods: ['GE(T)'] }, 'invalid-method', 'methods'),
  row('a method is never empty', { methods: [''] }, 'invalid-method', 'methods', { value: '' }),
  row('a method is ASCII', { methods: ['PÖST'] }, 'invalid-method', 'methods'),
  row('Fetch forbids CONNECT', { methods: ['CONNECT'] }, 'forbidden-method', 'methods', { value: 'CONNECT' }),
  row('Fetch forbids connect in any case', { methods: 'GET, connect' }, 'forbidden-method', 'methods', {
    value: 'connect',
  }),
  row('Fetch forbids TRACE', { methods: ['TRACE'] }, 'forbidden-method', 'methods'),
  row('Fetch forbids Trace in any case', { methods: ['Trace'] }, 'forbidden-method', 'methods', {
    value: 'Trace',
  }),
  row('Fetch forbids TRACK', { methods: ['TRACK'] }, 'forbidden-method', 'methods'),
  row('Fetch forbids track in any case', { methods: ['track'] }, 'forbidden-method', 'methods'),
  row(
    '"*" does not hide a forbidden method listed next to it',
    { methods: ['*', 'TRACE'] },
    'forbidden-method',
    'methods',
    {
      value: 'TRACE',
    },
  ),
  row(
    '"*" does not hide an invalid method listed next to it',
    { methods: 'GET, *, BAD METHOD' },
    'invalid-method',
    'methods',
    {
      value: 'BAD METHOD',
    },
  ),
]

const headerRows: Row[] = [
  row(
    'a header name is an HTTP token (no spaces)',
    { allowedHeaders: 'X Foo' },
    'invalid-header-name',
    'allowedHeaders',
    {
      value: 'X Foo',
    },
  ),
  row('a header name has no colon', { allowedHeaders: ['X-Foo:'] }, 'invalid-header-name', 'allowedHeaders'),
  row('a header name is ASCII', { allowedHeaders: ['X-Grüße'] }, 'invalid-header-name', 'allowedHeaders'),
  row('a header name is never empty', { allowedHeaders: [''] }, 'invalid-header-name', 'allowedHeaders', {
    value: '',
  }),
  row(
    'an exposed header name is an HTTP token',
    { exposedHeaders: ['X Total'] },
    'invalid-header-name',
    'exposedHeaders',
  ),
  row(
    'Connection is a forbidden request header: a page can never set it',
    { allowedHeaders: ['Connection'] },
    'forbidden-header',
    'allowedHeaders',
    { value: 'Connection' },
  ),
  row(
    'Sec-* headers are forbidden request headers',
    { allowedHeaders: ['Sec-Foo'] },
    'forbidden-header',
    'allowedHeaders',
  ),
  row(
    'Sec-Fetch-Mode is set by the browser only',
    { allowedHeaders: 'Content-Type, sec-fetch-mode' },
    'forbidden-header',
    'allowedHeaders',
    { value: 'sec-fetch-mode' },
  ),
  row(
    'Proxy-* headers are forbidden request headers',
    { allowedHeaders: ['Proxy-Foo'] },
    'forbidden-header',
    'allowedHeaders',
  ),
  row(
    'Proxy-Authorization is a forbidden request header',
    { allowedHeaders: ['Proxy-Authorization'] },
    'forbidden-header',
    'allowedHeaders',
  ),
  row(
    'Cookie is a forbidden request header',
    { allowedHeaders: ['Cookie'] },
    'forbidden-header',
    'allowedHeaders',
  ),
  row(
    'Host is a forbidden request header',
    { allowedHeaders: ['Host'] },
    'forbidden-header',
    'allowedHeaders',
  ),
  row(
    'Content-Length is a forbidden request header',
    { allowedHeaders: ['Content-Length'] },
    'forbidden-header',
    'allowedHeaders',
  ),
  row(
    'Set-Cookie is a forbidden response header: a page can never read it',
    { exposedHeaders: ['Set-Cookie'] },
    'forbidden-header',
    'exposedHeaders',
    { value: 'Set-Cookie' },
  ),
  row(
    'Set-Cookie2 is a forbidden response header',
    { exposedHeaders: 'set-cookie2' },
    'forbidden-header',
    'exposedHeaders',
  ),
  row(
    'Origin belongs to the CORS protocol, never to allowedHeaders',
    { allowedHeaders: ['Origin'] },
    'protocol-header',
    'allowedHeaders',
  ),
  row(
    'Access-Control-Request-Method belongs to the CORS protocol',
    { allowedHeaders: ['Access-Control-Request-Method'] },
    'protocol-header',
    'allowedHeaders',
  ),
  row(
    'Access-Control-Allow-Origin is never a request header',
    { allowedHeaders: ['access-control-allow-origin'] },
    'protocol-header',
    'allowedHeaders',
  ),
  row(
    'Access-Control-Allow-Origin is set by the policy, not exposed',
    { exposedHeaders: ['Access-Control-Allow-Origin'] },
    'protocol-header',
    'exposedHeaders',
  ),
  row(
    'Access-Control-Request-Headers is never a response header',
    { exposedHeaders: 'Access-Control-Request-Headers' },
    'protocol-header',
    'exposedHeaders',
  ),
]

const numberRows: Row[] = [
  row('maxAge is never negative', { maxAge: -1 }, 'invalid-max-age', 'maxAge', { value: -1 }),
  row('Access-Control-Max-Age is whole seconds', { maxAge: 1.5 }, 'invalid-max-age', 'maxAge'),
  row('maxAge above a day is more than any browser keeps', { maxAge: 86401 }, 'invalid-max-age', 'maxAge'),
  row('maxAge NaN is not a number of seconds', { maxAge: Number.NaN }, 'invalid-max-age', 'maxAge'),
  row(
    'maxAge Infinity is not a number of seconds',
    { maxAge: Number.POSITIVE_INFINITY },
    'invalid-max-age',
    'maxAge',
  ),
  row('maxAge is a number, not a string', { maxAge: '600' }, 'invalid-type', 'maxAge', { value: '600' }),
  row(
    'a preflight only succeeds with an ok status (below 200)',
    { optionsSuccessStatus: 199 },
    'invalid-status',
    'optionsSuccessStatus',
  ),
  row(
    'a preflight only succeeds with an ok status (300 and above)',
    { optionsSuccessStatus: 300 },
    'invalid-status',
    'optionsSuccessStatus',
  ),
  row(
    'a preflight answered 404 always fails',
    { optionsSuccessStatus: 404 },
    'invalid-status',
    'optionsSuccessStatus',
  ),
  row(
    'a status is a whole number',
    { optionsSuccessStatus: 204.5 },
    'invalid-status',
    'optionsSuccessStatus',
  ),
  row(
    'a status is a number, not a string',
    { optionsSuccessStatus: '204' },
    'invalid-type',
    'optionsSuccessStatus',
  ),
]

const typeRows: Row[] = [
  row(
    'a function as options (Fastify options-function, the @fastify/cors delegator) is refused',
    () => ({ origin: '*' }),
    'invalid-type',
    'options',
    {
      hint: /to load origins asynchronously use an origin function, or a policy/,
    },
  ),
  row('null as options is refused', null, 'invalid-type', 'options', { hint: /pass an object/ }),
  row(
    'a string as options is one problem, not one per character',
    'https://app.example.com',
    'invalid-type',
    'options',
  ),
  row('an array as options is refused', [app], 'invalid-type', 'options'),
  row('a promise as options is refused with "await it"', Promise.resolve({}), 'invalid-type', 'options', {
    hint: /await it/,
  }),
  row(
    'a class instance as options is refused',
    new (class Options {
      origin = app
    })(),
    'invalid-type',
    'options',
  ),
  row(
    'origin explicitly undefined (an unset environment variable) is refused',
    { origin: undefined },
    'invalid-origin',
    'origin',
    {
      hint: /leave the key out/,
    },
  ),
  row('the options are an object', 'https://app.example.com', 'invalid-type', 'options', {
    value: 'https://app.example.com',
    hint: /\{ origin:/,
  }),
  row('the options are an object, not an array', [app], 'invalid-type', 'options'),
  row('the options are an object, not a number', 42, 'invalid-type', 'options'),
  row('origin is never a number', { origin: 42 }, 'invalid-type', 'origin', { value: 42 }),
  row('origin is never null', { origin: null }, 'invalid-type', 'origin', { value: null }),
  row('origin is never a plain object', { origin: { url: app } }, 'invalid-type', 'origin'),
  row('each listed origin is a string or a RegExp', { origin: [app, 42] }, 'invalid-type', 'origin', {
    value: 42,
  }),
  row('methods is a string or a list of strings', { methods: 42 }, 'invalid-type', 'methods', { value: 42 }),
  row('each method is a string', { methods: ['GET', 1] }, 'invalid-type', 'methods'),
  row(
    'allowedHeaders is a string or a list of strings',
    { allowedHeaders: {} },
    'invalid-type',
    'allowedHeaders',
  ),
  row('each exposed header is a string', { exposedHeaders: [1] }, 'invalid-type', 'exposedHeaders'),
  row('credentials is a boolean, not "true"', { credentials: 'true' }, 'invalid-type', 'credentials', {
    value: 'true',
    hint: /credentials: true/,
  }),
  row('credentials is a boolean, not 1', { credentials: 1 }, 'invalid-type', 'credentials'),
  row('preflightContinue is a boolean', { preflightContinue: 'yes' }, 'invalid-type', 'preflightContinue'),
  row('onReject is a function', { onReject: 'console.log' }, 'invalid-type', 'onReject'),
]

const unknownRows: Row[] = [
  row(
    'allowHeaders (hono/cors, @koa/cors) is called allowedHeaders here',
    { allowHeaders: ['X-Request-Id'] },
    'unknown-option',
    'allowHeaders',
    { value: ['X-Request-Id'], hint: /did you mean "allowedHeaders"/ },
  ),
  row(
    'allowMethods (hono/cors, @koa/cors) is called methods here',
    { allowMethods: ['GET'] },
    'unknown-option',
    'allowMethods',
    {
      hint: /did you mean "methods"/,
    },
  ),
  row(
    'exposeHeaders (hono/cors, @koa/cors) is called exposedHeaders here',
    { exposeHeaders: ['X-Total'] },
    'unknown-option',
    'exposeHeaders',
    { hint: /did you mean "exposedHeaders"/ },
  ),
  row('a typo in origin is caught, not silently ignored', { orign: app }, 'unknown-option', 'orign', {
    hint: /did you mean "origin"/,
  }),
  row('a typo in credentials is caught', { credential: true }, 'unknown-option', 'credential', {
    hint: /did you mean "credentials"/,
  }),
  row('option names are case-sensitive: maxage is maxAge', { maxage: 600 }, 'unknown-option', 'maxage', {
    hint: /did you mean "maxAge"/,
  }),
  row(
    'keepHeadersOnError (@koa/cors) is what this library always does',
    { keepHeadersOnError: true },
    'unknown-option',
    'keepHeadersOnError',
    { hint: /remove it/ },
  ),
  row(
    'Private Network Access options are gone from browsers',
    { allowPrivateNetwork: true },
    'unknown-option',
    'allowPrivateNetwork',
    { hint: /Local Network Access/ },
  ),
  row('an unrelated name lists the known options', { whitelist: [app] }, 'unknown-option', 'whitelist', {
    hint: /remove it \(the options are origin, methods/,
  }),
  row(
    'allowHeader (a near miss) suggests allowedHeaders',
    { allowHeader: 'X-A' },
    'unknown-option',
    'allowHeader',
    {
      hint: /^did you mean "allowedHeaders"\?$/,
    },
  ),
  row('exposeHeader suggests exposedHeaders', { exposeHeader: 'X-A' }, 'unknown-option', 'exposeHeader', {
    hint: /^did you mean "exposedHeaders"\?$/,
  }),
  row(
    'successStatus suggests optionsSuccessStatus',
    { successStatus: 200 },
    'unknown-option',
    'successStatus',
    {
      hint: /^did you mean "optionsSuccessStatus"\?$/,
    },
  ),
  row(
    'hook (@fastify/cors) explains that preflights are always answered in onRequest',
    { hook: 'preHandler' },
    'unknown-option',
    'hook',
    {
      hint: /always answers them in onRequest/,
    },
  ),
  row(
    'cacheControl (@fastify/cors) points to maxAge',
    { cacheControl: 600 },
    'unknown-option',
    'cacheControl',
    {
      hint: /maxAge: 600/,
    },
  ),
]

describe.each([
  ['credentials', credentialRows],
  ['origin', originRows],
  ['methods', methodRows],
  ['header names', headerRows],
  ['maxAge and optionsSuccessStatus', numberRows],
  ['option types', typeRows],
  ['unknown options', unknownRows],
])('configuration refused at construction: %s', (_, rows) => {
  it.each(rows)('$name', ({ options, code, option, value, hint }) => {
    const issues = validateCorsOptions(options)
    expect(issues).toHaveLength(1)
    const [issue] = issues as [CorsConfigIssue]
    expect(issue.code).toBe(code)
    expect(issue.option).toBe(option)
    expect(issue.message).not.toBe('')
    expect(issue.hint.trim()).not.toBe('')
    if (value !== undefined) expect(issue.value).toEqual(value)
    if (hint !== undefined) expect(issue.hint).toMatch(hint)
    expect(() => createCors(options as CorsOptions)).toThrow(CorsConfigError)
  })
})

const validRows: { name: string; options: unknown }[] = [
  { name: 'no options at all (any origin, default methods)', options: {} },
  { name: 'undefined options', options: undefined },
  { name: 'origin "*"', options: { origin: '*' } },
  { name: 'origin true (reflect, without credentials)', options: { origin: true } },
  { name: 'origin false (CORS off)', options: { origin: false } },
  {
    name: 'origin false with credentials (nothing is allowed)',
    options: { origin: false, credentials: true },
  },
  { name: 'an exact origin', options: { origin: app } },
  { name: 'an exact origin with a port', options: { origin: 'https://app.example.com:8443' } },
  { name: 'port 443 on http is not the default port', options: { origin: 'http://app.example.com:443' } },
  { name: 'a subdomain pattern', options: { origin: 'https://*.example.com' } },
  { name: 'a subdomain pattern under a two-label suffix', options: { origin: 'https://*.example.co.uk' } },
  { name: 'any port of localhost', options: { origin: 'http://localhost:*' } },
  { name: 'subdomain and port wildcards together', options: { origin: 'https://*.example.com:*' } },
  { name: 'an IPv4 origin', options: { origin: 'http://127.0.0.1:3000' } },
  { name: 'an IPv6 origin with a port', options: { origin: 'http://[::1]:8080' } },
  { name: 'an IPv6 origin without a port', options: { origin: 'http://[::1]' } },
  { name: 'a punycode host', options: { origin: 'https://xn--bcher-kva.example' } },
  {
    name: 'a non-http scheme (browser extension)',
    options: { origin: 'chrome-extension://abcdefghijklmnop' },
  },
  { name: 'an anchored RegExp', options: { origin: /^https:\/\/app\.example\.com$/ } },
  { name: 'an anchored RegExp with the i flag', options: { origin: /^https:\/\/app\.example\.com$/i } },
  { name: 'an anchored RegExp with a group', options: { origin: /^https:\/\/(a|b)\.example\.com$/ } },
  {
    name: 'credentials with RegExps over a domain of ours, one with a top-level alternation, stay accepted',
    options: {
      origin: [
        /^https:\/\/example\.(com|net)$/,
        /^https:\/\/([a-z0-9-]+\.)*example\.com$/,
        /^https:\/\/[a-z]+\.example\.com$/,
        /^http:\/\/localhost:\d+$/,
      ],
      credentials: true,
    },
  },
  {
    name: 'an anchored RegExp with anchored alternatives',
    options: { origin: /^https:\/\/a\.example$|^https:\/\/b\.example$/ },
  },
  { name: 'an escaped backslash before the final $ still anchors', options: { origin: /^a\\$/ } },
  {
    name: 'a "$" in a character class before the anchor',
    options: { origin: /^https:\/\/[$a-z]+\.example$/ },
  },
  {
    name: 'a list mixing exact origins, patterns and RegExps',
    options: {
      origin: [app, 'https://*.example.org', 'http://localhost:*', /^https:\/\/[a-z]+\.example\.net$/],
    },
  },
  { name: 'duplicate origins are harmless', options: { origin: [app, app] } },
  { name: 'an origin function', options: { origin: (origin: string) => origin.endsWith('.example.com') } },
  { name: 'an async origin function', options: { origin: async () => true } },
  {
    name: 'credentials with listed origins and listed names',
    options: {
      origin: [app],
      credentials: true,
      methods: ['GET', 'POST', 'PATCH'],
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders: ['X-Total-Count'],
      maxAge: 600,
    },
  },
  { name: 'credentials with an origin function', options: { origin: () => true, credentials: true } },
  { name: 'methods as a comma-separated string', options: { methods: 'GET, POST,  PUT' } },
  { name: 'methods "*" without credentials', options: { methods: '*' } },
  { name: 'an empty methods list (only GET, HEAD and POST)', options: { methods: [] } },
  {
    name: 'allowedHeaders as a comma-separated string',
    options: { allowedHeaders: 'Content-Type, X-Request-Id' },
  },
  { name: 'allowedHeaders "*" without credentials', options: { allowedHeaders: '*' } },
  { name: 'allowedHeaders "*" plus Authorization', options: { allowedHeaders: ['*', 'Authorization'] } },
  { name: 'an empty allowedHeaders list (no request header)', options: { allowedHeaders: [] } },
  { name: 'exposedHeaders "*" without credentials', options: { exposedHeaders: '*' } },
  { name: 'maxAge 0 disables the preflight cache', options: { maxAge: 0 } },
  { name: 'maxAge of a full day', options: { maxAge: 86400 } },
  { name: 'optionsSuccessStatus 200 for old clients', options: { optionsSuccessStatus: 200 } },
  { name: 'optionsSuccessStatus 299', options: { optionsSuccessStatus: 299 } },
  { name: 'preflightContinue', options: { preflightContinue: true } },
  {
    name: 'preflightContinue false and credentials false',
    options: { preflightContinue: false, credentials: false },
  },
  { name: 'an onReject hook', options: { onReject: () => {} } },
  { name: 'explicitly undefined options are defaults', options: { methods: undefined, maxAge: undefined } },
]

describe('valid configurations', () => {
  it.each(validRows)('$name', ({ options }) => {
    expect(validateCorsOptions(options)).toEqual([])
    const policy = createCors(options as CorsOptions)
    expect(Object.isFrozen(policy)).toBe(true)
    expect(typeof policy.decide).toBe('function')
  })
})

describe('every problem is reported at once', () => {
  const options = {
    origin: ['https://app.example.com/', 'null', /^https:\/\/b\.example/],
    credentials: 'yes',
    methods: ['GET', 'CONNECT', 'BAD METHOD'],
    allowedHeaders: ['Cookie'],
    exposedHeaders: ['Set-Cookie'],
    maxAge: -1,
    optionsSuccessStatus: 404,
    allowHeaders: ['X-Foo'],
  }

  it('lists one issue per problem, in option order', () => {
    const issues = validateCorsOptions(options)
    expect(issues.map(({ code, option }) => [code, option])).toEqual([
      ['unknown-option', 'allowHeaders'],
      ['invalid-type', 'credentials'],
      ['invalid-origin', 'origin'],
      ['null-origin', 'origin'],
      ['regexp-not-anchored', 'origin'],
      ['forbidden-method', 'methods'],
      ['invalid-method', 'methods'],
      ['forbidden-header', 'allowedHeaders'],
      ['forbidden-header', 'exposedHeaders'],
      ['invalid-max-age', 'maxAge'],
      ['invalid-status', 'optionsSuccessStatus'],
    ])
    for (const issue of issues) expect(issue.hint).not.toBe('')
  })

  it('createCors throws one CorsConfigError whose issues are those of validateCorsOptions', () => {
    let thrown: unknown
    try {
      createCors(options as unknown as CorsOptions)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(CorsConfigError)
    expect(thrown).toBeInstanceOf(Error)
    const error = thrown as CorsConfigError
    expect(error.name).toBe('CorsConfigError')
    expect(error.issues).toEqual(validateCorsOptions(options))
    expect(Object.isFrozen(error.issues)).toBe(true)
    expect(error.message).toMatch(/^Invalid CORS options \(11 problems\):\n/)
    error.issues.forEach((issue, i) => {
      expect(error.message).toContain(`  ${i + 1}. [${issue.code}] ${issue.option} = `)
      expect(error.message).toContain(`: ${issue.message}\n     fix: ${issue.hint}`)
    })
  })

  it('credential rules are checked together with the other rules', () => {
    const issues = validateCorsOptions({
      credentials: true,
      methods: '*',
      allowedHeaders: '*',
      exposedHeaders: '*',
      maxAge: 1.5,
    })
    expect(issues.map(({ code, option }) => [code, option])).toEqual([
      ['invalid-max-age', 'maxAge'],
      ['credentials-with-any-origin', 'origin'],
      ['credentials-with-wildcard', 'methods'],
      ['credentials-with-wildcard', 'allowedHeaders'],
      ['credentials-with-wildcard', 'exposedHeaders'],
    ])
  })

  it('reports every bad item of a list, not only the first', () => {
    const issues = validateCorsOptions({ allowedHeaders: ['Connection', 'X-Ok', 'Sec-Foo', 'Bad Name'] })
    expect(issues.map(({ code, value }) => [code, value])).toEqual([
      ['forbidden-header', 'Connection'],
      ['forbidden-header', 'Sec-Foo'],
      ['invalid-header-name', 'Bad Name'],
    ])
  })
})

describe('CorsConfigError message', () => {
  it.each([
    {
      name: 'one problem, with the RegExp shown as written and the fix',
      options: { origin: /^https:\/\/app\.example\.com$/g },
      message:
        'Invalid CORS options (1 problem):\n' +
        '  1. [regexp-stateful] origin = /^https:\\/\\/app\\.example\\.com$/g: the g and y flags make test() remember lastIndex, so a match would depend on the previous request\n' +
        '     fix: remove the flag: /^https:\\/\\/app\\.example\\.com$/',
    },
    {
      name: 'two problems, numbered, strings quoted',
      options: { origin: 'https://app.example.com:443', maxAge: '600' },
      message:
        'Invalid CORS options (2 problems):\n' +
        '  1. [invalid-origin] origin = "https://app.example.com:443": writes out the default port 443, which browsers omit\n' +
        '     fix: use "https://app.example.com"\n' +
        '  2. [invalid-type] maxAge = "600": must be a whole number from 0 to 86400\n' +
        '     fix: use whole seconds from 0 to 86400 (browsers cap it: Chromium at 7200)',
    },
    {
      name: 'a function and an array are described, not dumped',
      options: { onReject: 'log', allowMethods: ['GET'] },
      message:
        'Invalid CORS options (2 problems):\n' +
        '  1. [unknown-option] allowMethods = an array: is not a CORS option\n' +
        '     fix: did you mean "methods"? (hono/cors and @koa/cors call it allowMethods)\n' +
        '  2. [invalid-type] onReject = "log": must be a function\n' +
        '     fix: pass (rejection, request) => log(rejection.message)',
    },
    {
      // Issue 19.12: the shadow's options (read into an object without a prototype) were called "an
      // object without a prototype", though the user wrote an object literal.
      name: 'an options object is shown by its keys',
      options: {
        origin: ['https://app.example.com'],
        shadow: { origin: 'https://app.example.com', maxAge: 60 },
      },
      message:
        'Invalid CORS options (1 problem):\n' +
        '  1. [shadow-without-report] shadow = an object { origin, maxAge }: a shadow policy without onShadow reports its differences nowhere\n' +
        '     fix: add onShadow: (difference) => console.warn(difference.message)',
    },
  ])('$name', ({ options, message }) => {
    expect(() => createCors(options as unknown as CorsOptions)).toThrow(
      expect.objectContaining({ name: 'CorsConfigError', message }),
    )
  })

  it('can be built from issues directly and keeps its own copy', () => {
    const issue: CorsConfigIssue = {
      code: 'invalid-origin',
      option: 'origin',
      value: 'x',
      message: 'has no scheme',
      hint: 'write it as scheme://host',
    }
    const issues = [issue]
    const error = new CorsConfigError(issues)
    issues.push(issue)
    expect(error.issues).toHaveLength(1)
    expect(error.message).toBe(
      'Invalid CORS options (1 problem):\n  1. [invalid-origin] origin = "x": has no scheme\n     fix: write it as scheme://host',
    )
  })
})
