import type { NormalizedOrigin } from '../config/validate.ts'
import type { CorsDecision, CorsRejection, CorsRequest } from '../decision.ts'
import { matchesPattern, matchesRegExp, parseRequestOrigin } from '../fetch/origin.ts'
import { remember } from './cache.ts'
import type { Compiled, OriginEntry } from './compile.ts'
import { type Once, once } from './hooks.ts'
import { checkPreflight, type PreflightChecks } from './preflight.ts'
import {
  describeError,
  expressStyleHint,
  type OnReject,
  originResultMessage,
  quote,
  rejection,
  reported,
} from './reject.ts'

/** The per-request function of a policy: its decision, or a promise of it when an async origin function was asked. */
export type Decide<Context> = (
  request: CorsRequest,
  context?: Context,
) => CorsDecision | Promise<CorsDecision>

type OriginFunction = (origin: string, context: unknown) => unknown
type Matcher = Extract<NormalizedOrigin, { kind: 'match' }>

/** What the per-request path of one policy reads: built once by `decider`, nothing per request. */
interface Decider extends PreflightChecks {
  readonly disabled: boolean
  readonly any: OriginEntry | undefined
  readonly fn: OriginFunction | undefined
  /** Whether the verdict depends on the origin string alone and is remembered (`true`, patterns, RegExps). */
  readonly dynamic: boolean
  readonly verdicts: Map<string, OriginEntry | null>
  readonly staticVerdict: (origin: string) => OriginEntry | null
  /** The refusal of one origin is the same every time: built once per origin (bounded), then reused. */
  readonly refusals: readonly [actual: Map<string, CorsRejection>, preflight: Map<string, CorsRejection>]
  readonly refuseActual: (origin: string) => CorsRejection
  readonly refusePreflight: (origin: string) => CorsRejection
  /** Without `onReject`: the rejections caused by the origin function itself, once per cause. */
  readonly warnSetup: Once
}

// The verdict of `true`, patterns and RegExps depends on the origin string alone, so it is
// remembered (bounded) per origin, denials included: a repeat visitor costs one map lookup.
// Only a well-formed serialized origin (never "null", never two joined by a comma) is matched or
// echoed back. @see https://fetch.spec.whatwg.org/#http-origin
function staticVerdict(c: Compiled, matcher: Matcher | undefined): (origin: string) => OriginEntry | null {
  return (origin) => {
    const parts = parseRequestOrigin(origin)
    if (parts === null) return null
    if (matcher === undefined) return c.entryFor(origin)
    for (const pattern of matcher.patterns) if (matchesPattern(parts, pattern)) return c.entryFor(origin)
    for (const regexp of matcher.regexps) if (matchesRegExp(regexp, origin)) return c.entryFor(origin)
    return null
  }
}

function refuser(c: Compiled, preflight: boolean): (origin: string) => CorsRejection {
  return (origin) => rejection(c, preflight, 'origin-not-allowed', `origin ${quote(origin)} is not allowed`)
}

function deciderOf(c: Compiled): Decider {
  const o = c.options
  const matcher = o.origin.kind === 'match' ? o.origin : undefined
  const fn = matcher?.fn as OriginFunction | undefined
  return {
    c,
    onReject: o.onReject as OnReject,
    acceptedHeaderLists: new Map(),
    disabled: o.origin.kind === 'disabled',
    any: c.any,
    fn,
    dynamic:
      o.origin.kind === 'reflect' ||
      (matcher !== undefined &&
        fn === undefined &&
        (matcher.patterns.length > 0 || matcher.regexps.length > 0)),
    verdicts: new Map(),
    staticVerdict: staticVerdict(c, matcher),
    refusals: [new Map(), new Map()],
    refuseActual: refuser(c, false),
    refusePreflight: refuser(c, true),
    warnSetup: once('warn'),
  }
}

function allow(
  d: Decider,
  request: CorsRequest,
  entry: OriginEntry,
  isPreflight: boolean,
  context: unknown,
): CorsDecision {
  return isPreflight ? checkPreflight(d, request, entry, context) : entry.actual
}

function deny(d: Decider, origin: string, isPreflight: boolean, context: unknown): CorsRejection {
  const refuseNow = isPreflight ? d.refusePreflight : d.refuseActual
  return reported(d.onReject, remember(d.refusals[isPreflight ? 1 : 0], origin, refuseNow), context)
}

// A rejection caused by the policy's own origin function (it threw, or answered with something other
// than a boolean), not by the request: never silent. Without onReject it goes to console.warn, once
// per distinct cause; an onReject receives it instead.
function setupRejection(d: Decider, refusal: CorsRejection, context: unknown, cause: string): CorsRejection {
  if (d.onReject !== undefined) return reported(d.onReject, refusal, context)
  d.warnSetup(
    cause,
    `@cors: ${refusal.reason}: ${refusal.message}. The origin function caused this, not the request: written once per cause; pass onReject to receive every rejection.`,
  )
  return refusal
}

function failed(
  d: Decider,
  fn: OriginFunction,
  origin: string,
  isPreflight: boolean,
  context: unknown,
  error: unknown,
): CorsRejection {
  const hint = error instanceof TypeError && fn.length >= 2 ? expressStyleHint : ''
  const text = describeError(error)
  const message = `the origin function failed for ${quote(origin)}: ${text}${hint}`
  const refusal = rejection(d.c, isPreflight, 'origin-check-failed', message, error)
  return setupRejection(d, refusal, context, `threw ${text}${hint}`)
}

// What an origin function answered: only `true` allows.
function settle(
  d: Decider,
  fn: OriginFunction,
  request: CorsRequest,
  isPreflight: boolean,
  context: unknown,
  ok: unknown,
): CorsDecision {
  const origin = request.origin!
  if (ok === true) return allow(d, request, d.c.entryFor(origin), isPreflight, context)
  if (ok === false) return deny(d, origin, isPreflight, context)
  const message = originResultMessage(origin, ok, fn)
  const refusal = rejection(d.c, isPreflight, 'origin-not-allowed', message)
  return setupRejection(d, refusal, context, `returned ${ok === null ? 'null' : typeof ok} ${fn.length}`)
}

function ask(
  d: Decider,
  fn: OriginFunction,
  request: CorsRequest,
  isPreflight: boolean,
  context: unknown,
): CorsDecision | Promise<CorsDecision> {
  const origin = request.origin!
  let verdict: unknown
  try {
    verdict = fn(origin, context)
  } catch (error) {
    return failed(d, fn, origin, isPreflight, context, error)
  }
  if (!(verdict instanceof Promise)) return settle(d, fn, request, isPreflight, context, verdict)
  return verdict.then(
    (ok: unknown) => settle(d, fn, request, isPreflight, context, ok),
    (error: unknown) => failed(d, fn, origin, isPreflight, context, error),
  )
}

/** Builds the per-request function of a compiled policy. */
export function decider<Context>(c: Compiled): Decide<Context> {
  const d = deciderOf(c)
  return function decide(request: CorsRequest, context?: Context): CorsDecision | Promise<CorsDecision> {
    const origin = request.origin
    if (origin === null || d.disabled) return c.nonCors
    // A preflight is OPTIONS with both Origin and Access-Control-Request-Method; any other OPTIONS
    // request is an ordinary one. @see https://fetch.spec.whatwg.org/#cors-preflight-request
    const isPreflight = request.method === 'OPTIONS' && request.accessControlRequestMethod !== null
    if (d.any !== undefined) return allow(d, request, d.any, isPreflight, context)
    const known = c.exact(origin)
    if (known !== undefined) return allow(d, request, known, isPreflight, context)
    if (d.dynamic) {
      const entry = remember(d.verdicts, origin, d.staticVerdict)
      return entry === null
        ? deny(d, origin, isPreflight, context)
        : allow(d, request, entry, isPreflight, context)
    }
    if (d.fn === undefined || parseRequestOrigin(origin) === null)
      return deny(d, origin, isPreflight, context)
    return ask(d, d.fn, request, isPreflight, context)
  }
}
