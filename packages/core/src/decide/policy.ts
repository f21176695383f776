import { CorsConfigError, type CorsConfigIssue } from '../config/errors.ts'
import type { CorsCreateOptions, CorsOptions } from '../config/options.ts'
import { type OptionsSnapshot, readOptions } from '../config/read.ts'
import { type NormalizedOptions, normalize, type Validated } from '../config/validate.ts'
import type { CorsDecision, CorsRequest } from '../decision.ts'
import { warnRejection, withDebug } from '../features/debug.ts'
import { withProtection } from '../features/protect.ts'
import {
  buildShadow,
  carryShadow,
  defaultShadowLimits,
  extendShadow,
  readShadow,
  type ShadowTracker,
  shadowTracker,
  withShadow,
} from '../features/shadow.ts'
import { type Compiled, compile } from './compile.ts'
import { type Decide, decider } from './decide.ts'
import { policyKey } from './key.ts'

/**
 * A compiled CORS policy. `decide` is the whole per-request API: it returns the decision
 * synchronously, or a promise when an async `origin` function had to be asked. Any adapter accepts a
 * policy in place of options, so one policy can serve several apps and be changed at run time.
 */
export interface CorsPolicy<Context = unknown> {
  decide(request: CorsRequest, context?: Context): CorsDecision | Promise<CorsDecision>
  /**
   * Replaces the whole policy. The options are validated first: on error it throws a
   * `CorsConfigError` and the old policy keeps answering. Requests already being decided finish
   * under the policy they started with; verdict caches are never shared between the two.
   */
  update(options: CorsOptions<Context>): void
  /**
   * A policy made of this one's options with `overrides` merged over them (a key given wins), e.g. a
   * route's own settings. It reuses this policy's checked allow-list and follows its `update`s.
   * This policy keeps every policy extended from it until that one's `release()` is called.
   */
  extend(overrides: Partial<CorsOptions<Context>>): CorsPolicy<Context>
  /**
   * For a policy made with `extend`: detaches it from the policy it extends, which then no longer
   * keeps it, rebuilds it on `update` or checks it there. It keeps answering with its last options.
   * Call it when what it served is gone (Fastify releases its route policies on `app.close()`).
   * Does nothing on a policy made by `createCors`, or when called again.
   */
  release(): void
}

/** One compiled state of a policy: what it was made from and its per-request function. */
interface State extends Validated {
  readonly decide: Decide<never>
  /** The `shadow` policy, compiled with this one and swapped with it. */
  readonly shadow: State | undefined
  /** The shadow's counts, kept by an update that keeps the shadow. */
  readonly tracker: ShadowTracker<never> | undefined
}

interface Node {
  state: State
  /** Its options; for an extended policy, its own overrides (merged over the parent's options). */
  own: OptionsSnapshot
  parent: Node | undefined
  readonly children: Set<Node>
}

const policies = new WeakMap<object, Node>()

/** Whether a value is a policy made by `createCors` (and so can be passed where options go). */
export function isCorsPolicy<Context = unknown>(value: unknown): value is CorsPolicy<Context> {
  return typeof value === 'object' && value !== null && policies.has(value)
}

/** One compiled state of a policy, as `currentState` gives it. */
export type PolicyState = State

/**
 * The state a policy answers with now (it changes on `update()`), for features that judge requests in
 * their own way on the same options (`createHandshakeCheck`). Internal: not exported from the package.
 */
export function currentState(policy: object): PolicyState {
  const node = policies.get(policy)
  if (node === undefined) throw new TypeError('not a policy made by createCors')
  return node.state
}

function read(options: unknown, current?: OptionsSnapshot): OptionsSnapshot {
  const { snapshot, issues } = readOptions(options)
  if (issues.length > 0) throw new CorsConfigError(issues)
  return readShadow(current === undefined ? snapshot : carryShadow(snapshot, current))
}

// Features that are off cost nothing: each wraps the decider only when its option is set.
function features(n: NormalizedOptions, c: Compiled, decide: Decide<never>, shadow?: State): Decide<never> {
  let result = decide
  if (n.crossOriginProtection) result = withProtection(c, n.crossOriginProtection, result)
  if (n.debug) result = withDebug(c, result)
  // Last: the shadow compares what the enforced policy actually answers.
  if (shadow?.tracker !== undefined) result = withShadow(result, shadow.decide, shadow.tracker)
  return result
}

// The shadow's counts and once-a-minute rhythm survive an update whose shadow is the same candidate.
function trackerFor(n: NormalizedOptions, shadow: State, previous: State | undefined): ShadowTracker<never> {
  const onShadow = n.onShadow as ShadowTracker<never>['onShadow']
  const kept = previous?.shadow?.tracker
  if (kept === undefined || policyKey(previous!.shadow!) !== policyKey(shadow))
    return shadowTracker(onShadow, defaultShadowLimits)
  kept.onShadow = onShadow
  return kept
}

function build(snapshot: OptionsSnapshot, base: State | undefined, previous?: State): State {
  const { issues, normalized } = normalize(snapshot, base)
  const compiledShadow =
    normalized.shadow && buildShadow(normalized.shadow, base?.shadow ?? base, issues, build)
  if (issues.length > 0) throw new CorsConfigError(issues)
  const shadow =
    compiledShadow &&
    Object.freeze({ ...compiledShadow, tracker: trackerFor(normalized, compiledShadow, previous) })
  const effective =
    normalized.debug && normalized.onReject === undefined
      ? { ...normalized, onReject: warnRejection }
      : normalized
  const compiled = compile(effective)
  return Object.freeze({
    snapshot,
    normalized,
    shadow,
    tracker: undefined,
    decide: features(effective, compiled, decider<never>(compiled), shadow),
  })
}

function stateOf(own: OptionsSnapshot, parent: State | undefined, previous?: State): State {
  if (parent === undefined) return build(own, undefined, previous)
  const merged = Object.assign(Object.create(null), parent.snapshot, own, extendShadow(parent.snapshot, own))
  return build(Object.freeze(merged), parent, previous)
}

// Builds the new state of a node and of every policy extending it, before anything changes: an
// update that fails anywhere in the family leaves every policy as it was.
function plan(node: Node, own: OptionsSnapshot, parent: State | undefined, out: Map<Node, State>): void {
  const state = stateOf(own, parent, node.state)
  out.set(node, state)
  for (const child of node.children) plan(child, child.own, state, out)
}

function handle<Context>(node: Node): CorsPolicy<Context> {
  const policy: CorsPolicy<Context> = Object.freeze({
    decide: (request: CorsRequest, context?: Context) =>
      (node.state.decide as Decide<Context>)(request, context),
    update(options: CorsOptions<Context>): void {
      const own = read(options, node.own)
      const next = new Map<Node, State>()
      plan(node, own, node.parent?.state, next)
      node.own = own
      for (const [member, state] of next) member.state = state
    },
    extend(overrides: Partial<CorsOptions<Context>>): CorsPolicy<Context> {
      const own = read(overrides)
      const child: Node = { state: stateOf(own, node.state), own, parent: node, children: new Set() }
      node.children.add(child)
      return handle<Context>(child)
    },
    release(): void {
      node.parent?.children.delete(node)
      node.parent = undefined
    },
  })
  policies.set(policy, node)
  return policy
}

/**
 * Validates CORS options and compiles them into a policy, once. Throws a `CorsConfigError` listing
 * every problem when the options are invalid, so a bad policy fails at start-up. Given a policy
 * (from `createCors`), returns it as it is: every adapter accepts either.
 *
 * @example
 * const policy = createCors({ origin: ['https://app.example.com'], credentials: true })
 * const decision = policy.decide(toCorsRequest('GET', (name) => headers.get(name)))
 */
export function createCors(options?: CorsCreateOptions): CorsPolicy<unknown>
export function createCors<Context = unknown>(
  options?: CorsOptions<Context> | CorsPolicy<Context>,
): CorsPolicy<Context>
export function createCors<Context = unknown>(
  options: CorsOptions<Context> | CorsPolicy<Context> = {},
): CorsPolicy<Context> {
  if (isCorsPolicy<Context>(options)) return options
  const own = read(options)
  return handle<Context>({ state: stateOf(own, undefined), own, parent: undefined, children: new Set() })
}

/**
 * Checks CORS options without throwing: every problem `createCors` would report (a `shadow`'s
 * included), or an empty array when the options are valid.
 *
 * @example
 * for (const issue of validateCorsOptions(options)) console.warn(`${issue.option}: ${issue.message}`)
 */
export function validateCorsOptions(options: unknown): readonly CorsConfigIssue[] {
  try {
    if (!isCorsPolicy(options)) build(read(options), undefined)
    return []
  } catch (error) {
    if (error instanceof CorsConfigError) return error.issues
    throw error
  }
}

/**
 * Whether two policies are one: the same object, or made from equal options (the same normalized
 * policy; functions, such as an origin function or `onReject`, equal only when they are the same
 * function). Adapters use it where two of their middlewares meet on one request: equal ones are one
 * policy, so the second stands aside.
 *
 * @example
 * sameCorsPolicy(createCors({ origin: ['https://a.example'] }), createCors({ origin: 'https://a.example' })) // true
 */
export function sameCorsPolicy(a: unknown, b: unknown): boolean {
  if (!isCorsPolicy(a) || !isCorsPolicy(b)) return false
  if (a === b) return true
  return policyKey(policies.get(a)!.state) === policyKey(policies.get(b)!.state)
}
