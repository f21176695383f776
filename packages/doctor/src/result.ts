import type { DoctorCheck } from './types.ts'

/** The outcome of one check: a plain message naming what was received and, on failure, the fix. */
export interface CheckResult {
  readonly check: DoctorCheck
  readonly ok: boolean
  readonly message: string
  /** For the server's owner; empty when the check passed. */
  readonly fix: string
}

export const pass = (check: DoctorCheck, message: string): CheckResult => ({
  check,
  ok: true,
  message,
  fix: '',
})

export const fail = (check: DoctorCheck, message: string, fix: string): CheckResult => ({
  check,
  ok: false,
  message,
  fix,
})

/**
 * A fix in two parts: what the server must send, in headers (true of any server), then the
 * `@cors/*` option that sends it.
 */
export const withCors = (headers: string, option: string): string => `${headers} (with @cors/*: ${option})`

/** A header as the page's console would quote it: `Name: value`, shortened when very long. */
export function quoteHeader(name: string, value: string): string {
  const shown = value.length > 120 ? `${value.slice(0, 120)}…` : value
  return `\`${name}: ${shown}\``
}

/**
 * Fetch "extract header list values" for the comma-separated CORS headers: the items, or `null`
 * when an item is not a token (then the whole header is ignored and the check fails). Empty items
 * are skipped, as browsers do.
 * @see https://fetch.spec.whatwg.org/#extract-header-list-values
 */
export function parseList(value: string | undefined): string[] | null | undefined {
  if (value === undefined) return undefined
  const items = value
    .split(',')
    .map((item) => item.replace(/^[\t ]+|[\t ]+$/g, ''))
    .filter((item) => item !== '')
  return items.every((item) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(item)) ? items : null
}
