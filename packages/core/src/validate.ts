import type { CorsConfigIssue, CorsConfigIssueCode } from './errors.ts'
import {
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isForbiddenResponseHeader,
  isProtocolHeader,
  isToken,
} from './headers.ts'
import type { CorsOriginFunction, CorsRejectHook } from './options.ts'
import { isAnchored, type OriginParts, parseConfigOrigin } from './origin.ts'
import { suggestOption } from './suggest.ts'

/** The origin option once checked: what kind of matching the policy does. */
export type NormalizedOrigin =
  | { readonly kind: 'any' | 'reflect' | 'disabled' }
  | {
      readonly kind: 'match'
      readonly exact: readonly string[]
      readonly patterns: readonly OriginParts[]
      readonly regexps: readonly RegExp[]
      readonly fn: CorsOriginFunction<never> | undefined
    }

/** Options after validation, in the shape the compiler needs. */
export interface NormalizedOptions {
  readonly origin: NormalizedOrigin
  /** `'*'`, or method names as browsers compare them. */
  readonly methods: '*' | readonly string[]
  /** `null` reflects the requested headers; otherwise lower-case names and whether `*` was given. */
  readonly allowedHeaders: null | { readonly wildcard: boolean; readonly names: readonly string[] }
  readonly exposedHeaders: readonly string[]
  readonly credentials: boolean
  readonly maxAge: number | undefined
  readonly preflightContinue: boolean
  readonly optionsSuccessStatus: number
  readonly onReject: CorsRejectHook<never> | undefined
}

type Report = (
  code: CorsConfigIssueCode,
  option: string,
  value: unknown,
  message: string,
  hint: string,
) => void

// Fetch normalizes these method names to upper case (and only these), so `fetch(url, {method: 'patch'})`
// sends "patch" and the preflight must allow "patch" byte for byte.
// @see https://fetch.spec.whatwg.org/#concept-method-normalize
const normalizedMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])
const defaultMethods = Object.freeze(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'])

function list(option: string, value: unknown, report: Report): string[] | undefined {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value.map((item: string) => item.trim())
  report(
    'invalid-type',
    option,
    value,
    'must be a string or an array of strings',
    `e.g. ${option}: ['X-Request-Id']`,
  )
  return undefined
}

function boolean(option: string, value: unknown, report: Report): boolean {
  if (value === undefined) return false
  if (typeof value === 'boolean') return value
  report('invalid-type', option, value, 'must be true or false', `use ${option}: ${Boolean(value)}`)
  return false
}

function origin(value: unknown, report: Report): NormalizedOrigin {
  if (value === undefined || value === '*') return { kind: 'any' }
  if (value === true) return { kind: 'reflect' }
  if (value === false) return { kind: 'disabled' }
  const exact: string[] = []
  const patterns: OriginParts[] = []
  const regexps: RegExp[] = []
  if (typeof value === 'function') {
    return { kind: 'match', exact, patterns, regexps, fn: value as CorsOriginFunction<never> }
  }
  const items: unknown[] = Array.isArray(value) ? value : [value]
  if (items.length === 0) {
    report(
      'empty-origin-list',
      'origin',
      value,
      'an empty list allows no origin',
      'list at least one origin, or use origin: false to turn CORS off',
    )
  }
  for (const item of items) {
    if (item instanceof RegExp) {
      if (item.global || item.sticky) {
        report(
          'regexp-stateful',
          'origin',
          item,
          'the g and y flags make test() remember lastIndex, so a match would depend on the previous request',
          `remove the flag: /${item.source}/${item.flags.replace(/[gy]/g, '')}`,
        )
      } else if (!isAnchored(item.source)) {
        report(
          'regexp-not-anchored',
          'origin',
          item,
          'is not anchored with ^ and $, so it also matches origins that merely contain a match (https://example.com.evil.net)',
          'anchor every alternative, e.g. /^https:\\/\\/([a-z0-9-]+\\.)?example\\.com$/',
        )
      } else regexps.push(item)
      continue
    }
    if (typeof item !== 'string') {
      report(
        'invalid-type',
        'origin',
        item,
        'each allowed origin must be a string or a RegExp',
        'e.g. origin: ["https://app.example.com", /^https:\\/\\/[a-z]+\\.example\\.com$/]',
      )
      continue
    }
    if (item === '*') {
      report(
        'invalid-origin',
        'origin',
        item,
        '"*" cannot be combined with other origins',
        'use origin: "*" alone, or list the origins',
      )
      continue
    }
    const parsed = parseConfigOrigin(item, true)
    if ('message' in parsed) {
      report(parsed.code, 'origin', item, parsed.message, parsed.hint)
    } else if (parsed.host.startsWith('*.') || parsed.port === '*') patterns.push(parsed)
    else if (!exact.includes(item)) exact.push(item)
  }
  return { kind: 'match', exact, patterns, regexps, fn: undefined }
}

function methods(value: unknown, report: Report): '*' | readonly string[] {
  if (value === undefined) return defaultMethods
  const names = list('methods', value, report) ?? []
  const result: string[] = []
  for (const name of names) {
    if (name === '*') continue
    const upper = name.toUpperCase()
    if (!isToken(name))
      report(
        'invalid-method',
        'methods',
        name,
        'is not a valid method name (an HTTP token)',
        'use names such as "GET" or "PATCH"',
      )
    else if (isForbiddenMethod(name))
      report(
        'forbidden-method',
        'methods',
        name,
        'browsers never send this method (Fetch forbids it)',
        `remove "${name}"`,
      )
    else {
      const method = normalizedMethods.has(upper) ? upper : name
      if (!result.includes(method)) result.push(method)
    }
  }
  // Every item is checked first, so "*" never hides a bad name listed next to it.
  return names.includes('*') ? '*' : result
}

function headerNames(option: 'allowedHeaders' | 'exposedHeaders', value: unknown, report: Report): string[] {
  const names: string[] = []
  for (const name of list(option, value, report) ?? []) {
    const lower = name.toLowerCase()
    if (name === '*') {
      if (!names.includes('*')) names.push('*')
    } else if (!isToken(name))
      report(
        'invalid-header-name',
        option,
        name,
        'is not a valid header name (an HTTP token)',
        'use names such as "Content-Type" or "X-Request-Id"',
      )
    else if (isProtocolHeader(lower) || (option === 'allowedHeaders' && lower === 'origin')) {
      report(
        'protocol-header',
        option,
        name,
        'is a header of the CORS protocol itself, handled by this library',
        `remove "${name}"`,
      )
    } else if (option === 'allowedHeaders' && isForbiddenRequestHeader(lower)) {
      report(
        'forbidden-header',
        option,
        name,
        'is a forbidden request header: browsers never let a page set it',
        `remove "${name}"`,
      )
    } else if (option === 'exposedHeaders' && isForbiddenResponseHeader(lower)) {
      report(
        'forbidden-header',
        option,
        name,
        'browsers never let a page read Set-Cookie, whatever is exposed',
        `remove "${name}"`,
      )
    } else if (!names.includes(lower)) names.push(lower)
  }
  return names
}

function integer(
  option: 'maxAge' | 'optionsSuccessStatus',
  value: unknown,
  min: number,
  max: number,
  report: Report,
): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
  const code = option === 'maxAge' ? 'invalid-max-age' : 'invalid-status'
  const hint =
    option === 'maxAge'
      ? 'use whole seconds from 0 to 86400 (browsers cap it: Chromium at 7200)'
      : 'use 204 (the default) or 200 for old clients'
  report(
    typeof value === 'number' ? code : 'invalid-type',
    option,
    value,
    `must be a whole number from ${min} to ${max}`,
    hint,
  )
  return undefined
}

/**
 * Checks options and normalizes them. Internal: `validateCorsOptions` and `createCors` are the
 * public faces.
 */
export function normalize(options: unknown): { issues: CorsConfigIssue[]; normalized: NormalizedOptions } {
  const issues: CorsConfigIssue[] = []
  const report: Report = (code, option, value, message, hint) =>
    issues.push({ code, option, value, message, hint })
  const given = options ?? {}
  const isObject = typeof given === 'object' && !Array.isArray(given)
  // Anything else is reported once; reading its keys as option names would only add noise.
  const o = (isObject ? given : {}) as Record<string, unknown>
  if (!isObject) {
    report(
      'invalid-type',
      'options',
      options,
      'CORS options must be an object',
      'pass an object such as { origin: "https://app.example.com" }',
    )
  }
  for (const key of Object.keys(o)) {
    const suggestion = suggestOption(key)
    if (suggestion !== undefined) report('unknown-option', key, o[key], 'is not a CORS option', suggestion)
  }
  const credentials = boolean('credentials', o.credentials, report)
  const normalized: NormalizedOptions = {
    origin: origin(o.origin, report),
    methods: methods(o.methods, report),
    allowedHeaders:
      o.allowedHeaders === undefined
        ? null
        : wildcardList(headerNames('allowedHeaders', o.allowedHeaders, report)),
    exposedHeaders:
      o.exposedHeaders === undefined ? [] : headerNames('exposedHeaders', o.exposedHeaders, report),
    credentials,
    maxAge: o.maxAge === undefined ? undefined : integer('maxAge', o.maxAge, 0, 86400, report),
    preflightContinue: boolean('preflightContinue', o.preflightContinue, report),
    optionsSuccessStatus:
      o.optionsSuccessStatus === undefined
        ? 204
        : (integer('optionsSuccessStatus', o.optionsSuccessStatus, 200, 299, report) ?? 204),
    onReject: typeof o.onReject === 'function' ? (o.onReject as CorsRejectHook<never>) : undefined,
  }
  if (o.onReject !== undefined && normalized.onReject === undefined) {
    report(
      'invalid-type',
      'onReject',
      o.onReject,
      'must be a function',
      'pass (rejection, request) => log(rejection.message)',
    )
  }
  if (credentials) credentialRules(o, normalized, report)
  return { issues, normalized }
}

function wildcardList(names: string[]): { wildcard: boolean; names: string[] } {
  return { wildcard: names.includes('*'), names: names.filter((name) => name !== '*') }
}

// With credentials the browser takes "*" literally, never as a wildcard, and refuses
// Access-Control-Allow-Origin "*" outright. @see https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
// Origins no policy means to allow: a RegExp that matches them would allow any site.
const strangers = ['https://attacker.invalid', 'http://attacker.invalid:8080', 'https://a.b.attacker.invalid']

function credentialRules(o: Record<string, unknown>, n: NormalizedOptions, report: Report): void {
  const catchAll = n.origin.kind === 'match' && n.origin.regexps.some((r) => strangers.some((s) => r.test(s)))
  if (n.origin.kind === 'any' || n.origin.kind === 'reflect' || catchAll) {
    report(
      'credentials-with-any-origin',
      'origin',
      o.origin,
      catchAll
        ? `with credentials: true, a RegExp that matches any site (it matches ${strangers[0]}) would let any site read responses with the user's cookies`
        : "with credentials: true, allowing every origin would let any site read responses with the user's cookies",
      'list the origins that may send credentials, e.g. origin: ["https://app.example.com"]',
    )
  }
  const wildcards: [string, boolean][] = [
    ['methods', n.methods === '*'],
    ['allowedHeaders', n.allowedHeaders?.wildcard === true],
    ['exposedHeaders', n.exposedHeaders.includes('*')],
  ]
  for (const [option, isWildcard] of wildcards) {
    if (isWildcard)
      report(
        'credentials-with-wildcard',
        option,
        o[option],
        'browsers read "*" literally on credentialed requests, so it would not work',
        'list the names explicitly',
      )
  }
}

/**
 * Checks CORS options without throwing. Returns every problem found; an empty array means the
 * options are valid and `createCors` will accept them.
 *
 * @example
 * for (const issue of validateCorsOptions(options)) console.warn(`${issue.option}: ${issue.message}`)
 */
export function validateCorsOptions(options: unknown): readonly CorsConfigIssue[] {
  return normalize(options).issues
}
