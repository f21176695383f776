/** A serialized origin split into parts. `port` is `''` for the scheme's default, `'*'` in a pattern. */
export interface OriginParts {
  readonly scheme: string
  readonly host: string
  readonly port: string
}

/** A configuration origin that failed to parse: what is wrong and how to fix it. */
export interface OriginProblem {
  readonly code: 'invalid-origin' | 'null-origin' | 'origin-pattern-too-broad'
  readonly message: string
  readonly hint: string
}

/** Longest Origin header that is even looked at; real ones are far shorter. */
export const maxOriginLength = 2048

/** The port each special scheme uses when none is written; browsers omit it from an origin. */
export const defaultPorts: Readonly<Record<string, string>> = {
  http: '80',
  https: '443',
  ws: '80',
  wss: '443',
}

// A serialized tuple origin as browsers send it: lower-case scheme and host, no default port.
// Linear by construction: every repetition is separated by a character it cannot contain.
const originSyntax =
  /^([a-z][a-z0-9+.-]*):\/\/([a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::([1-9][0-9]{0,4}))?$/

/**
 * Parses an Origin request header; `null` when it is not a serialized tuple origin (the opaque
 * origin `null`, several origins joined by a comma, control characters, a default port...).
 * @see https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
 */
export function parseRequestOrigin(value: string): OriginParts | null {
  if (value.length > maxOriginLength) return null
  const match = originSyntax.exec(value)
  if (match === null) return null
  const scheme = match[1]!
  const port = match[3] ?? ''
  if (port !== '' && (Number(port) > 65535 || defaultPorts[scheme] === port)) return null
  return { scheme, host: match[2]!, port }
}

function problem(
  message: string,
  hint: string,
  code: OriginProblem['code'] = 'invalid-origin',
): OriginProblem {
  return { code, message, hint }
}

const example = 'write it as scheme://host[:port], e.g. "https://app.example.com"'

// What no origin can be, whatever its parts: the opaque origin, or characters a header never carries.
function valueProblem(value: string): OriginProblem | undefined {
  if (value === 'null') {
    return problem(
      'the opaque origin "null" is sent by sandboxed iframes, file: pages and redirects; allowing it lets any of them read responses',
      'remove "null"; serve the page from a real origin and list that',
      'null-origin',
    )
  }
  if (value.includes(',')) {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
    return problem(
      'is several origins in one string, separated by commas; each origin is its own item',
      `a list of origins goes in an array: [${items.map((item) => `'${item}'`).join(', ')}]`,
    )
  }
  if (/[^\x21-\x7e]/.test(value)) {
    return problem(
      'contains whitespace, control or non-ASCII characters',
      'remove the whitespace; write internationalized hosts in their punycode (xn--) form, as browsers send them',
    )
  }
  return undefined
}

function missingScheme(value: string): OriginProblem {
  const host = value.replace(/^\/\//, '')
  const scheme = /^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https'
  const guess = /^[a-z0-9*[]/i.test(host) ? `use ${JSON.stringify(`${scheme}://${host}`)}` : example
  return problem('has no scheme (an origin is scheme://host[:port])', guess)
}

function schemeProblem(value: string, scheme: string): OriginProblem | undefined {
  if (scheme === 'file') {
    return problem(
      'file: pages have an opaque origin, sent as "null"',
      'serve the page over http(s) and list that origin',
    )
  }
  if (/[A-Z]/.test(value))
    return problem(
      'has upper-case letters; browsers send origins in lower case',
      `use ${JSON.stringify(value.toLowerCase())}`,
    )
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) return problem('has an invalid scheme', example)
  return undefined
}

// Everything after "scheme://" must be host and port: no path, query, fragment or user information.
function authorityProblem(scheme: string, rest: string): OriginProblem | undefined {
  const pathAt = rest.search(/[/?#]/)
  if (pathAt !== -1) {
    const fixed = JSON.stringify(`${scheme}://${rest.slice(0, pathAt)}`)
    const what = rest.slice(pathAt) === '/' ? 'a trailing slash' : 'a path, query or fragment'
    return problem(`has ${what}; an origin is only scheme, host and port`, `use ${fixed}`)
  }
  if (rest.includes('@'))
    return problem('has user information (user@host)', 'remove everything up to and including "@"')
  return undefined
}

// Splits "host[:port]"; the port, when written, is 1 to 65535 (or "*" in a pattern) and not the default.
function splitPort(
  scheme: string,
  rest: string,
  allowPattern: boolean,
): { host: string; port: string } | OriginProblem {
  const portMatch = /:([^:\]]*)$/.exec(rest)
  if (portMatch === null) return { host: rest, port: '' }
  const port = portMatch[1]!
  const host = rest.slice(0, portMatch.index)
  const isWildcard = port === '*' && allowPattern
  if (!isWildcard && !/^[1-9][0-9]{0,4}$/.test(port))
    return problem('has an invalid port', 'use a port from 1 to 65535, or ":*" for any port')
  if (!isWildcard && Number(port) > 65535)
    return problem('has a port above 65535', 'use a port from 1 to 65535')
  if (defaultPorts[scheme] === port) {
    return problem(
      `writes out the default port ${port}, which browsers omit`,
      `use ${JSON.stringify(`${scheme}://${host}`)}`,
    )
  }
  return { host, port }
}

// The host: lower-case labels or a bracketed IPv6 address; in a pattern, "*." may stand before it,
// over a registrable domain (never over an IP address or directly over a top-level domain).
function hostProblem(value: string, written: string, allowPattern: boolean): OriginProblem | undefined {
  const host = allowPattern && written.startsWith('*.') ? written.slice(2) : written
  if (host.endsWith('.'))
    return problem(
      'has a trailing dot after the host',
      `use ${JSON.stringify(value.replace(/\.(?=:|$)/, ''))}`,
    )
  const isIpv6 = /^\[[0-9a-f:.]+\]$/.test(host)
  if (!isIpv6 && !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(host)) {
    const wildcard = host.includes('*')
      ? ' ("*" may only stand as the first label, as in "https://*.example.com", or as the port)'
      : ''
    return problem(`has an invalid host${wildcard}`, example)
  }
  if (host === written) return undefined
  if (isIpv6 || /^[0-9.]+$/.test(host))
    return problem('puts a subdomain wildcard over an IP address', 'list the address itself')
  if (!host.includes('.')) {
    return problem(
      `puts the wildcard directly over the top-level domain "${host}", which would allow every site under it`,
      'put the wildcard under your own domain, e.g. "https://*.example.com"',
      'origin-pattern-too-broad',
    )
  }
  return undefined
}

/**
 * Checks an origin from the configuration, where `allowPattern` permits `*.` before the host and
 * `:*` as the port. Returns the parts, or a problem that says how to write it.
 */
export function parseConfigOrigin(value: string, allowPattern: boolean): OriginParts | OriginProblem {
  const whole = valueProblem(value)
  if (whole !== undefined) return whole
  const sep = value.indexOf('://')
  if (sep <= 0) return missingScheme(value)
  const scheme = value.slice(0, sep)
  const rest = value.slice(sep + 3)
  const early = schemeProblem(value, scheme) ?? authorityProblem(scheme, rest)
  if (early !== undefined) return early
  const split = splitPort(scheme, rest, allowPattern)
  if ('message' in split) return split
  return hostProblem(value, split.host, allowPattern) ?? { scheme, host: split.host, port: split.port }
}

/** Whether a parsed request origin matches a pattern (`*.` host and/or `:*` port). */
export function matchesPattern(origin: OriginParts, pattern: OriginParts): boolean {
  if (origin.scheme !== pattern.scheme) return false
  if (pattern.port !== '*' && origin.port !== pattern.port) return false
  if (!pattern.host.startsWith('*.')) return origin.host === pattern.host
  // "*." stands for one or more labels: the host must end with ".example.com" and be longer than it,
  // so the apex, "evil-example.com" and "example.com.evil.net" never match.
  const suffix = pattern.host.slice(1)
  return origin.host.length > suffix.length && origin.host.endsWith(suffix)
}

// The intrinsic, taken once: a RegExp's own `test` or `exec` can be replaced after construction.
const regexpExec = RegExp.prototype.exec

/** Whether a RegExp matches `value`, through the intrinsic `exec` whatever the RegExp's own methods are. */
export function matchesRegExp(regexp: RegExp, value: string): boolean {
  return regexpExec.call(regexp, value) !== null
}

/**
 * Whether every top-level alternative of a RegExp source starts with `^` and ends with an
 * unescaped `$`, so the pattern can only match a whole origin, never a part of one.
 */
export function isAnchored(source: string): boolean {
  let start = 0
  let depth = 0
  let inClass = false
  for (let i = 0; i <= source.length; i++) {
    const c = source[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    if (c === '[') inClass = true
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (i === source.length || (c === '|' && depth === 0)) {
      if (!isAnchoredAlternative(source.slice(start, i))) return false
      start = i + 1
    }
  }
  return true
}

function isAnchoredAlternative(alternative: string): boolean {
  if (!alternative.startsWith('^') || !alternative.endsWith('$')) return false
  let backslashes = 0
  for (let i = alternative.length - 2; i >= 0 && alternative[i] === '\\'; i--) backslashes++
  return backslashes % 2 === 0
}
