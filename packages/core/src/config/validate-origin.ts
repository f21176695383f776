import { isAnchored, matchesRegExp, type OriginParts, parseConfigOrigin } from '../fetch/origin.ts'
import type { Report } from './errors.ts'
import type { CorsOriginFunction } from './options.ts'
import { exponentialGroup } from './redos.ts'

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

// The literal text a RegExp source ends with before `$` (`example\.com` gives "example.com"), or ''.
function literalTail(source: string): string {
  const match = /((?:\\[.-]|[A-Za-z0-9-])+)\$$/.exec(source.split('|').at(-1) ?? '')
  return match === null ? '' : match[1]!.replace(/\\(.)/g, '$1')
}

// A simpler string pattern that does the job of an unanchored or loose RegExp, when one is evident.
function patternFor(re: RegExp): string | undefined {
  const tail = literalTail(`${re.source.replace(/\$$/, '')}$`)
  if (!tail.includes('.') || /^\d/.test(tail)) return undefined
  const domain = tail.replace(/^[.-]+/, '')
  const scheme = re.source.includes('http:') && !re.source.includes('https') ? 'http' : 'https'
  return `${scheme}://*.${domain}`
}

function regexp(item: RegExp, report: Report, regexps: RegExp[]): void {
  const simpler = patternFor(item)
  const orPattern =
    simpler === undefined
      ? ''
      : `, or use the string pattern "${simpler}" (subdomains of ${simpler.slice(simpler.indexOf('*.') + 2)})`
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
      `anchor every alternative, e.g. /^https:\\/\\/([a-z0-9-]+\\.)?example\\.com$/${orPattern}`,
    )
  } else {
    const group = exponentialGroup(item.source)
    if (group === undefined) regexps.push(item)
    else
      report(
        'regexp-exponential',
        'origin',
        item,
        `the group ${group} repeats something that itself repeats (or whose alternatives overlap), so matching a crafted Origin takes exponential time and blocks the event loop`,
        `repeat a label closed by a separator instead, e.g. /^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/${orPattern}`,
      )
  }
}

function originString(item: string, report: Report, exact: Set<string>, patterns: OriginParts[]): void {
  if (item === '*') {
    report(
      'invalid-origin',
      'origin',
      item,
      '"*" cannot be combined with other origins',
      'use origin: "*" alone, or list the origins',
    )
    return
  }
  const parsed = parseConfigOrigin(item, true)
  if ('message' in parsed) report(parsed.code, 'origin', item, parsed.message, parsed.hint)
  else if (parsed.host.startsWith('*.') || parsed.port === '*') patterns.push(parsed)
  else exact.add(item)
}

// The cors package's origin option is `(origin, callback) => callback(null, true)`. The arity cannot
// tell it from `(origin, request)`; the name of the second parameter, as written, can (unless the
// code was minified): `callback`, `cb`, `done` or `next` is refused at construction. Anything else is
// recognised only when called (it returns undefined): see `originResultMessage`.
const callbackNames = /^_*(?:callback|cb|done|next)$/i

function callbackParameter(fn: unknown): string | undefined {
  let source: string
  try {
    source = Function.prototype.toString.call(fn)
  } catch {
    return undefined
  }
  const list = /^[^(=]*\(([^)]*)\)/.exec(source)?.[1]
  const second = list?.split(',')[1]?.split('=')[0]?.trim()
  return second !== undefined && callbackNames.test(second) ? second : undefined
}

/** Checks the `origin` option (already copied) and sorts its items by how they match. */
export function normalizeOrigin(value: unknown, present: boolean, report: Report): NormalizedOrigin {
  if (value === undefined && present) {
    report(
      'invalid-origin',
      'origin',
      value,
      'is undefined (an unset environment variable?); an explicit undefined would silently mean "*"',
      'set it, e.g. origin: process.env.CORS_ORIGIN ?? "https://app.example.com", or leave the key out to allow every origin',
    )
    return { kind: 'disabled' }
  }
  if (value === undefined || value === '*') return { kind: 'any' }
  if (value === true) return { kind: 'reflect' }
  if (value === false) return { kind: 'disabled' }
  const exact = new Set<string>()
  const patterns: OriginParts[] = []
  const regexps: RegExp[] = []
  if (typeof value === 'function') {
    const callback = callbackParameter(value)
    if (callback !== undefined)
      report(
        'invalid-type',
        'origin',
        value,
        `looks like an Express-style (origin, ${callback}) function from the cors package: the second argument here is the request, never a callback, so every origin would be refused`,
        'return a boolean instead of calling a callback, e.g. origin: (origin) => allowed.includes(origin) (an async function returning a boolean works too)',
      )
    return { kind: 'match', exact: [], patterns, regexps, fn: value as CorsOriginFunction<never> }
  }
  const items: readonly unknown[] = Array.isArray(value) ? value : [value]
  if (items.length === 0)
    report(
      'empty-origin-list',
      'origin',
      value,
      'an empty list allows no origin',
      'list at least one origin, or use origin: false to turn CORS off',
    )
  for (const item of items) {
    if (item instanceof RegExp) regexp(item, report, regexps)
    else if (typeof item === 'string') originString(item, report, exact, patterns)
    else
      report(
        'invalid-type',
        'origin',
        item,
        'each allowed origin must be a string or a RegExp',
        'e.g. origin: ["https://app.example.com", /^https:\\/\\/[a-z]+\\.example\\.com$/]',
      )
  }
  return { kind: 'match', exact: [...exact], patterns, regexps, fn: undefined }
}

// Origins no policy means to allow. A RegExp that matches one would let any site read responses with
// the user's cookies. Besides fixed strangers, each RegExp is tried on "https://evil" + its literal
// tail, which catches the unescaped or unbounded prefix (`.*example\.com`: https://evilexample.com).
const strangers = ['https://attacker.invalid', 'http://attacker.invalid:8080', 'https://a.b.attacker.invalid']

// The top-level domains a RegExp ends with when its literal tail is a single label after a dot
// (`.*\.com$`) or an alternation of them (`\.(com|net)$`, `(\.com|\.net)$`): every site under
// them is a stranger, so each is probed with a made-up registrable domain.
function topLevelTails(source: string, tail: string): string[] {
  if (/^\.[A-Za-z0-9-]+$/.test(tail)) return [tail.slice(1)]
  const group = /\\\.\((?:\?:)?([A-Za-z0-9-]+(?:\|[A-Za-z0-9-]+)*)\)\$$/.exec(source)
  if (group !== null) return group[1]!.split('|')
  const dotted = /\((?:\?:)?(\\\.[A-Za-z0-9-]+(?:\|\\\.[A-Za-z0-9-]+)*)\)\$$/.exec(source)
  return dotted === null ? [] : dotted[1]!.split('|').map((label) => label.slice(2))
}

function probes(source: string): string[] {
  const tail = literalTail(source)
  const own =
    tail === '' || tail.startsWith('.')
      ? []
      : [`https://evil${tail}`, `https://evil-${tail}`, `http://evil${tail}`]
  for (const label of topLevelTails(source, tail))
    own.push(
      `https://attacker-${label}.${label}`,
      `http://attacker-${label}.${label}`,
      `https://a.attacker.${label}`,
    )
  return own
}

/** The first stranger origin one of the RegExps matches, or undefined. */
export function strangerMatched(regexps: readonly RegExp[]): string | undefined {
  for (const re of regexps)
    for (const s of [...strangers, ...probes(re.source)]) if (matchesRegExp(re, s)) return s
  return undefined
}
