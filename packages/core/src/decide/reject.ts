import type { CorsRejection } from '../decision.ts'
import { noHeaders } from '../decision.ts'
import { corsResponseHeaders } from '../write/owned.ts'
import { settleHook } from './hooks.ts'

export { describeError } from './hooks.ts'

import type { Compiled } from './compile.ts'

/** Quotes an untrusted value for a log message: escaped and cut short. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)
}

/** Builds a frozen rejection: no CORS header, every CORS header the response may carry removed. */
export function rejection(
  c: Compiled,
  preflight: boolean,
  reason: CorsRejection['reason'],
  message: string,
  error?: unknown,
): CorsRejection {
  const result: { -readonly [K in keyof CorsRejection]: CorsRejection[K] } = {
    kind: preflight ? 'preflight' : 'actual',
    allowed: false,
    respond: preflight,
    status: 403,
    headers: noHeaders,
    vary: preflight ? c.preflightVary : c.actualVary,
    unset: corsResponseHeaders,
    reason,
    message,
  }
  if (error !== undefined) result.error = error
  return Object.freeze(result)
}

/** A policy's `onReject`, as the per-request path calls it. */
export type OnReject = ((rejection: CorsRejection, context: unknown) => void) | undefined

/**
 * Reports a rejection to the policy's `onReject`, when it has one, and returns it. What it throws
 * propagates; a promise it returns that rejects is caught and written to `console.error` .
 */
export function reported(onReject: OnReject, decision: CorsRejection, context: unknown): CorsRejection {
  if (onReject !== undefined) {
    const result: unknown = onReject(decision, context)
    if (result !== undefined) settleHook('onReject', result)
  }
  return decision
}

/** Why a requested method was refused, explaining the case rule when only the case differs. */
export function methodMessage(method: string, allowed: string, listed: readonly string[]): string {
  const base = `method ${quote(method)} is not allowed (allowed: ${allowed || 'none but GET, HEAD, POST'})`
  const upper = method.toUpperCase()
  if (upper === method || !listed.includes(upper)) return base
  return `${base}: methods are compared case-sensitively and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT, so the page sent ${quote(method)} as written; send ${quote(upper)} from the page`
}

/** Added to the message when an origin function looks written for the `cors` package's callback style. */
export const expressStyleHint =
  '; it looks like an Express-style (origin, callback) function, which is not supported here: return true to allow (or a promise of true), false to refuse'

/** What an origin function gave back instead of a boolean, and how to fix it. */
export function originResultMessage(
  origin: string,
  result: unknown,
  fn: { readonly length: number },
): string {
  const head = `origin ${quote(origin)} is not allowed: the origin function returned`
  if (result === undefined) {
    if (fn.length >= 2) return `${head} undefined${expressStyleHint}`
    return `${head} undefined (a missing return?); return true to allow, false to refuse`
  }
  const what =
    result === null
      ? 'null'
      : typeof result === 'string'
        ? `a string (${quote(result)})`
        : `a ${typeof result}`
  return `${head} ${what}; only true allows: return true to allow, false to refuse (not the origin itself)`
}
