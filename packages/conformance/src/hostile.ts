import type { CorsOptions } from '@cors/core'

// Plain data: the hostile inputs of the adversarial suite, one table per failure class. Each row
// names the trick it plays; the driver (adversarial.ts) sends it through every adapter.

/** The origin every "allowed" row uses. */
export const trusted = 'https://app.example.com'
/** An origin no policy here lists. */
export const evil = 'https://evil.example'

/** Configurations that would let any site read credentialed responses: each must fail at construction. */
export const credentialedAnyOrigin: readonly {
  readonly name: string
  readonly options: CorsOptions
  readonly code: string
}[] = [
  {
    name: 'credentials with the default origin',
    options: { credentials: true } as CorsOptions,
    code: 'credentials-with-any-origin',
  },
  {
    name: 'credentials with origin "*"',
    options: { origin: '*', credentials: true } as CorsOptions,
    code: 'credentials-with-any-origin',
  },
  {
    name: 'credentials with origin: true (reflect any)',
    options: { origin: true, credentials: true } as unknown as CorsOptions,
    code: 'credentials-with-any-origin',
  },
  {
    name: 'credentials with a catch-all RegExp /^.*$/',
    options: { origin: /^.*$/, credentials: true },
    code: 'credentials-with-any-origin',
  },
  {
    name: 'credentials with a scheme-only RegExp /^https?:\\/\\/.+$/',
    options: { origin: /^https?:\/\/.+$/, credentials: true },
    code: 'credentials-with-any-origin',
  },
  {
    name: 'credentials with a catch-all RegExp hidden in a list',
    options: { origin: [trusted, /^https:\/\/.*$/is], credentials: true },
    code: 'credentials-with-any-origin',
  },
  {
    name: 'credentials with "*" in allowedHeaders',
    options: { origin: trusted, credentials: true, allowedHeaders: '*' },
    code: 'credentials-with-wildcard',
  },
  {
    name: 'credentials with "*" in methods',
    options: { origin: trusted, credentials: true, methods: '*' },
    code: 'credentials-with-wildcard',
  },
  {
    name: 'credentials with "*" in exposedHeaders',
    options: { origin: trusted, credentials: true, exposedHeaders: ['*'] },
    code: 'credentials-with-wildcard',
  },
  {
    name: 'the opaque origin "null" listed',
    options: { origin: ['null'], credentials: true },
    code: 'null-origin',
  },
]

/** RegExps whose `lastIndex` would make one request's match depend on the previous one. */
export const statefulRegExps: readonly { readonly name: string; readonly options: CorsOptions }[] = [
  { name: 'the g flag', options: { origin: /^https:\/\/app\.example\.com$/g } },
  { name: 'the y flag', options: { origin: /^https:\/\/app\.example\.com$/y } },
  { name: 'both flags, in a list', options: { origin: [trusted, /^https:\/\/[a-z]+\.example\.com$/gy] } },
  {
    name: 'the g flag with credentials',
    options: { origin: [/^https:\/\/app\.example\.com$/gi], credentials: true },
  },
]

/** The policy the origin probes are matched against: every kind of list item. */
export const probePolicy: CorsOptions = {
  origin: [
    'https://example.com',
    'https://*.example.org',
    'http://localhost:*',
    /^https:\/\/(app|admin)\.example\.net$/,
    'https://xn--bcher-kva.example',
    'http://[::1]:8080',
  ],
  credentials: true,
  methods: ['GET', 'PUT'],
  allowedHeaders: ['Content-Type'],
  exposedHeaders: ['X-Total-Count'],
  maxAge: 600,
}

/** One value of the Origin header and what the policies must make of it. */
export interface OriginProbe {
  readonly name: string
  /** One header line, or several (the same header sent twice). */
  readonly origin: string | readonly string[]
  /** Whether `probePolicy` allows it. */
  readonly listed: boolean
  /**
   * Whether it is a well-formed serialized origin: what `origin: true` echoes and an origin
   * function is asked about. Anything else is refused before user code sees it.
   */
  readonly wellFormed: boolean
}

const probe = (name: string, origin: string | readonly string[], listed: boolean, wellFormed: boolean) => ({
  name,
  origin,
  listed,
  wellFormed,
})

/** Loose matching: every trick an origin check has fallen for, against `probePolicy`. */
export const originProbes: readonly OriginProbe[] = [
  probe('the listed origin itself', 'https://example.com', true, true),
  probe('a suffix: example.com.evil.net', 'https://example.com.evil.net', false, true),
  probe('a look-alike prefix: evilexample.com', 'https://evilexample.com', false, true),
  probe('userinfo hiding another host: example.com@evil.net', 'https://example.com@evil.net', false, false),
  probe('userinfo before the listed host', 'https://user:pass@example.com', false, false),
  probe('a mixed-case host', 'https://Example.com', false, false),
  probe('upper-case scheme and host', 'HTTPS://EXAMPLE.COM', false, false),
  probe('a trailing dot', 'https://example.com.', false, false),
  probe('the default port written out', 'https://example.com:443', false, false),
  probe('another port', 'https://example.com:8443', false, true),
  probe('an empty port', 'https://example.com:', false, false),
  probe('another scheme', 'http://example.com', false, true),
  probe('a trailing slash', 'https://example.com/', false, false),
  probe('a path', 'https://example.com/evil', false, false),
  probe('a backslash', 'https://example.com\\.evil.net', false, false),
  probe('a tab inside the host', 'https://exam\tple.com', false, false),
  probe('the literal "null"', 'null', false, false),
  probe('the literal "*"', '*', false, false),
  probe('a subdomain under a "*." pattern', 'https://a.b.example.org', true, true),
  probe('the apex under a "*." pattern', 'https://example.org', false, true),
  probe('a suffix after the pattern domain', 'https://a.example.org.evil.net', false, true),
  probe('a look-alike of the pattern domain', 'https://evil-example.org', false, true),
  probe('an empty label under the pattern', 'https://.example.org', false, false),
  probe('two dots under the pattern', 'https://a..example.org', false, false),
  probe('the pattern itself sent as an origin', 'https://*.example.org', false, false),
  probe('a RegExp match', 'https://admin.example.net', true, true),
  probe('a RegExp match with a suffix', 'https://admin.example.net.evil.net', false, true),
  probe('a RegExp match in upper case', 'https://ADMIN.example.net', false, false),
  probe('a look-alike where the RegExp has an escaped dot', 'https://adminxexample.net', false, true),
  probe('any port under ":*"', 'http://localhost:5173', true, true),
  probe('no port under ":*" (the default port)', 'http://localhost', true, true),
  probe('the ":*" host as a subdomain', 'http://localhost.evil.net:5173', false, true),
  probe('a port above 65535', 'http://localhost:65536', false, false),
  probe('port 0', 'http://localhost:0', false, false),
  probe('a port with a leading zero', 'http://localhost:05173', false, false),
  probe('the listed IPv6 origin', 'http://[::1]:8080', true, true),
  probe('IPv6 written out in full', 'http://[0:0:0:0:0:0:0:1]:8080', false, true),
  probe('IPv6 without its port', 'http://[::1]', false, true),
  probe('IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:8080', false, true),
  probe('IPv6 with a zone id', 'http://[::1%25eth0]:8080', false, false),
  probe('IPv6 without brackets', 'http://::1:8080', false, false),
  probe('the listed punycode host', 'https://xn--bcher-kva.example', true, true),
  probe('the same host in Unicode', 'https://bücher.example', false, false),
  probe('punycode in upper case', 'https://XN--BCHER-KVA.example', false, false),
  probe('two Origin header lines', ['https://example.com', evil], false, false),
  probe(
    'the listed origin on two header lines',
    ['https://example.com', 'https://example.com'],
    false,
    false,
  ),
  probe('two origins on one line', `https://example.com, ${evil}`, false, false),
  probe(
    'an 8 KiB origin the "*." pattern would match',
    `https://${'a.'.repeat(4096)}example.org`,
    false,
    false,
  ),
  probe(
    'a 64 KiB origin the "*." pattern would match',
    `https://${'a.'.repeat(32 * 1024)}example.org`,
    false,
    false,
  ),
]

/** A value of Access-Control-Request-Headers and how the policy must answer it. */
export interface RequestHeadersProbe {
  readonly name: string
  readonly value: string | readonly string[]
  /** `allowed`: answered 204; otherwise the rejection reason. */
  readonly want: 'allowed' | 'request-headers-too-large' | 'request-headers-invalid'
}

const lines = (count: number, value: string): readonly string[] => Array.from({ length: count }, () => value)

/** Hostile Access-Control-Request-Headers values (the rs/cors and hono ReDoS advisories' class). */
export const requestHeadersProbes: readonly RequestHeadersProbe[] = [
  { name: '64 KiB of commas', value: ','.repeat(64 * 1024), want: 'request-headers-too-large' },
  {
    name: '64 KiB of spaces between two names',
    value: `a${' '.repeat(64 * 1024)}b`,
    want: 'request-headers-too-large',
  },
  { name: '64 KiB of ", " pairs', value: ', '.repeat(32 * 1024), want: 'request-headers-too-large' },
  {
    name: '10,000 items',
    value: Array.from({ length: 10_000 }, (_, i) => `x-${i}`).join(','),
    want: 'request-headers-too-large',
  },
  {
    name: '101 items, one over the item limit',
    value: lines(101, 'x-a').join(','),
    want: 'request-headers-too-large',
  },
  { name: '300 header lines of one name each', value: lines(300, 'x-a'), want: 'request-headers-too-large' },
  { name: '2,000 header lines of commas', value: lines(2000, ',,,,,,,,'), want: 'request-headers-too-large' },
  {
    name: '4097 characters, one over the length limit',
    value: `x-${'a'.repeat(4095)}`,
    want: 'request-headers-too-large',
  },
  {
    name: 'spaces between names (quadratic for a naive split)',
    value: `x-a ${' '.repeat(4000)}x-b`,
    want: 'request-headers-invalid',
  },
  { name: 'a quote in a name', value: 'x-a, "x-b"', want: 'request-headers-invalid' },
  { name: '4096 commas: at the limit, names nothing', value: ','.repeat(4096), want: 'allowed' },
  { name: '4096 characters of spaces, tabs and commas', value: ` \t,,`.repeat(1024).trim(), want: 'allowed' },
  { name: '100 names on 100 header lines', value: lines(100, 'content-type'), want: 'allowed' },
]

/** A request header a page cannot set but a raw client can, and the text that must never come back. */
export interface InjectionProbe {
  readonly name: string
  readonly header: 'origin' | 'access-control-request-method' | 'access-control-request-headers'
  readonly value: string
  /** Lower-case text that must appear in no response header name or value. */
  readonly marker: string
}

/** CR, LF, NUL and non-ASCII in every request header the policy reads. */
export const injectionProbes: readonly InjectionProbe[] = [
  {
    name: 'CR LF and a Set-Cookie line',
    header: 'origin',
    value: `${trusted}\r\nSet-Cookie: pwned=1`,
    marker: 'pwned',
  },
  {
    name: 'a bare LF and a header line',
    header: 'origin',
    value: `${trusted}\nX-Injected: 1`,
    marker: 'injected',
  },
  {
    name: 'a bare CR and a header line',
    header: 'origin',
    value: `${trusted}\rX-Injected: 1`,
    marker: 'injected',
  },
  { name: 'a trailing CR LF', header: 'origin', value: `${trusted}\r\n`, marker: '\n' },
  {
    name: 'a NUL inside the host',
    header: 'origin',
    value: 'https://app\u0000.example.com',
    marker: '\u0000',
  },
  { name: 'a DEL', header: 'origin', value: `${trusted}\u007f`, marker: '\u007f' },
  {
    name: 'a Latin-1 letter (sent as one byte)',
    header: 'origin',
    value: 'https://äpp.example.com',
    marker: 'ä',
  },
  { name: 'a NEL (U+0085)', header: 'origin', value: `${trusted}\u0085x-injected`, marker: 'injected' },
  { name: 'a CJK host', header: 'origin', value: 'https://中文.example', marker: '中' },
  { name: 'an emoji host', header: 'origin', value: 'https://\u{1f600}.example', marker: '\u{1f600}' },
  {
    name: 'a LINE SEPARATOR (U+2028)',
    header: 'origin',
    value: `${trusted}\u2028x-injected`,
    marker: 'injected',
  },
  {
    name: 'CR LF in the method',
    header: 'access-control-request-method',
    value: 'PUT\r\nX-Injected: 1',
    marker: 'injected',
  },
  {
    name: 'a trailing LF in a safelisted method',
    header: 'access-control-request-method',
    value: 'GET\n',
    marker: '\n',
  },
  {
    name: 'a NUL in the method',
    header: 'access-control-request-method',
    value: 'PU\u0000T',
    marker: '\u0000',
  },
  {
    name: 'a Latin-1 letter in the method',
    header: 'access-control-request-method',
    value: 'PÜT',
    marker: 'ü',
  },
  { name: 'a CJK method', header: 'access-control-request-method', value: 'P中T', marker: '中' },
  {
    name: 'CR LF in the list',
    header: 'access-control-request-headers',
    value: 'x-a\r\nx-injected: 1',
    marker: 'injected',
  },
  {
    name: 'a LF after a comma',
    header: 'access-control-request-headers',
    value: 'x-a,\nx-injected',
    marker: 'injected',
  },
  {
    name: 'a NUL in a name',
    header: 'access-control-request-headers',
    value: 'x-a\u0000b',
    marker: '\u0000',
  },
  {
    name: 'a Latin-1 letter in a name',
    header: 'access-control-request-headers',
    value: 'x-grüße',
    marker: 'ü',
  },
  { name: 'a CJK name', header: 'access-control-request-headers', value: 'x-中', marker: '中' },
  {
    name: 'a LINE SEPARATOR in the list',
    header: 'access-control-request-headers',
    value: 'x-a\u2028x-injected',
    marker: 'injected',
  },
]

/** Policies that echo as much as the contract allows: what an injected value would ride on. */
export const injectionPolicies: readonly { readonly name: string; readonly options: CorsOptions }[] = [
  { name: 'origin: true, any method, reflected headers', options: { origin: true, methods: '*' } },
  { name: 'a listed origin with credentials', options: { origin: [trusted], credentials: true } },
  {
    name: 'a function that allows every origin it is asked about',
    options: { origin: () => true, methods: ['GET', 'PUT'] },
  },
]
