import { CorsConfigError, type CorsConfigIssue } from '../config/errors.ts'
import { isPlainObject, type OptionsSnapshot, readOptions } from '../config/read.ts'
import type { Decide } from '../decide/decide.ts'
import type { CorsDecision } from '../decision.ts'
import { aggregator, type Compare, type ShadowTracker, same } from './shadow-report.ts'

export { type ShadowTracker, shadowTracker } from './shadow-report.ts'
export { defaultShadowLimits, type ShadowLimits } from './tally.ts'

const shadowKeys = ['shadow', 'onShadow']
const ignore = (): void => {}

/** Reads the `shadow` option once, like the options around it: a copy the caller cannot change. */
export function readShadow(snapshot: OptionsSnapshot): OptionsSnapshot {
  if (!isPlainObject(snapshot.shadow)) return snapshot
  const shadow = readOptions(snapshot.shadow, 'shadow.').snapshot
  return Object.freeze(Object.assign(Object.create(null), snapshot, { shadow }))
}

function without(options: OptionsSnapshot, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null)
  for (const key of Object.keys(options)) if (!keys.includes(key)) copy[key] = options[key]
  return copy
}

/**
 * The `shadow` of a policy extended with `own` (a Fastify route's `config.cors`): the overrides
 * apply to the candidate too, so a route compares like with like. Its shadow is the parent's shadow
 * (or, without one, the parent's options) with the same overrides, then the route's own `shadow`.
 */
export function extendShadow(parent: OptionsSnapshot, own: OptionsSnapshot): OptionsSnapshot {
  if (!isPlainObject(parent.shadow) && !isPlainObject(own.shadow)) return {}
  if ('shadow' in own && !isPlainObject(own.shadow)) return { shadow: own.shadow }
  const base = isPlainObject(parent.shadow) ? (parent.shadow as OptionsSnapshot) : without(parent, shadowKeys)
  const extra = isPlainObject(own.shadow) ? (own.shadow as OptionsSnapshot) : {}
  return { shadow: Object.freeze(Object.assign(Object.create(null), base, without(own, shadowKeys), extra)) }
}

/**
 * The options an `update()` applies: a shadow stays unless the new options name `shadow` (a new
 * candidate, or `false` to remove it). Carried over, it keeps its `onShadow` unless a new one is given.
 */
export function carryShadow(next: OptionsSnapshot, current: OptionsSnapshot): OptionsSnapshot {
  if ('shadow' in next || !isPlainObject(current.shadow)) return next
  const onShadow = 'onShadow' in next ? next.onShadow : current.onShadow
  return Object.freeze(Object.assign(Object.create(null), next, { shadow: current.shadow, onShadow }))
}

/**
 * Compiles a shadow policy with `build`, as any policy (its own features included), except that it
 * never calls `onReject`: its refusals are differences, reported to `onShadow` only. Its problems are
 * added to `issues` under `shadow.`, so the enforced options and the shadow are reported at once.
 */
export function buildShadow<S>(
  options: OptionsSnapshot,
  base: S | undefined,
  issues: CorsConfigIssue[],
  build: (snapshot: OptionsSnapshot, base: S | undefined) => S,
): S | undefined {
  for (const key of shadowKeys)
    if (key in options)
      issues.push({
        code: 'unknown-option',
        option: `shadow.${key}`,
        value: options[key],
        message: 'a shadow policy cannot have a shadow of its own',
        hint: 'compare one candidate at a time; onShadow goes beside shadow, not inside it',
      })
  const snapshot = without(options, shadowKeys)
  if (snapshot.onReject === undefined || typeof snapshot.onReject === 'function') snapshot.onReject = ignore
  try {
    return build(Object.freeze(snapshot), base)
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error
    for (const issue of error.issues) issues.push({ ...issue, option: `shadow.${issue.option}` })
    return undefined
  }
}

/**
 * Evaluates `shadow` beside `enforced` on every request and reports to `onShadow` each request they
 * answer differently. The enforced decision is returned as it is (the same object or promise), so
 * the response never changes; a shadow that is async is compared when it settles and never awaited,
 * so it never delays the response, and its failures are swallowed.
 */
export function withShadow<Context>(
  enforced: Decide<Context>,
  shadow: Decide<Context>,
  tracker: ShadowTracker<Context>,
): Decide<Context> {
  const report = aggregator(tracker)
  const compare: Compare<Context> = (request, e, s, context) => {
    if (!same(e, s)) report(request, e, s, context)
  }
  return (request, context) => {
    const e = enforced(request, context)
    let s: CorsDecision | Promise<CorsDecision>
    try {
      s = shadow(request, context)
    } catch {
      return e
    }
    if (e instanceof Promise || s instanceof Promise)
      Promise.all([e, s]).then(([a, b]) => compare(request, a, b, context), ignore)
    else compare(request, e, s, context)
    return e
  }
}
