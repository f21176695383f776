import type { CorsConfigIssue, Report } from './errors.ts'
import type { CorsRejectHook } from './options.ts'
import type { OptionsSnapshot } from './read.ts'
import { suggestOption } from './suggest.ts'
import { type FeatureOptions, normalizeFeatures } from './validate-features.ts'
import { headerNames, methods } from './validate-lists.ts'
import { type NormalizedOrigin, normalizeOrigin, strangerMatched } from './validate-origin.ts'

export type { NormalizedOrigin } from './validate-origin.ts'

/** Options after validation, in the shape the compiler needs. */
export interface NormalizedOptions extends FeatureOptions {
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

/** A validated policy: the snapshot it came from (for `extend`) and its normalized form. */
export interface Validated {
  readonly snapshot: OptionsSnapshot
  readonly normalized: NormalizedOptions
}

function boolean(option: string, value: unknown, report: Report): boolean {
  if (value === undefined) return false
  if (typeof value === 'boolean') return value
  report('invalid-type', option, value, 'must be true or false', `use ${option}: ${Boolean(value)}`)
  return false
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
 * Checks options (already read by `readOptions`) and normalizes them. `base`, when given, is the
 * policy these options extend: an `origin` it already checked (the same copied value) is reused, so
 * a long allow-list is validated once however many policies extend it. Internal:
 * `validateCorsOptions` and `createCors` are the public faces.
 */
export function normalize(
  o: OptionsSnapshot,
  base?: Validated,
): { issues: CorsConfigIssue[]; normalized: NormalizedOptions } {
  const issues: CorsConfigIssue[] = []
  const report: Report = (code, option, value, message, hint) =>
    issues.push({ code, option, value, message, hint })
  for (const key of Object.keys(o)) {
    const suggestion = suggestOption(key)
    if (suggestion !== undefined) report('unknown-option', key, o[key], 'is not a CORS option', suggestion)
  }
  const credentials = boolean('credentials', o.credentials, report)
  const origin =
    base !== undefined && base.snapshot.origin === o.origin && 'origin' in base.snapshot === 'origin' in o
      ? base.normalized.origin
      : normalizeOrigin(o.origin, 'origin' in o, report)
  const normalized: NormalizedOptions = {
    origin,
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
    ...normalizeFeatures(o, origin, report),
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
function credentialRules(o: OptionsSnapshot, n: NormalizedOptions, report: Report): void {
  const stranger = n.origin.kind === 'match' ? strangerMatched(n.origin.regexps) : undefined
  if (n.origin.kind === 'any' || n.origin.kind === 'reflect' || stranger !== undefined) {
    report(
      'credentials-with-any-origin',
      'origin',
      o.origin,
      stranger !== undefined
        ? `with credentials: true, a RegExp that matches a site you do not own (it matches ${stranger}) would let that site read responses with the user's cookies`
        : "with credentials: true, allowing every origin would let any site read responses with the user's cookies",
      'list the origins that may send credentials, e.g. origin: ["https://app.example.com"], or anchor the RegExp on a dot: /^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/',
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
