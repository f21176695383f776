import type { CorsConfigIssue } from './errors.ts'

/** Options as read: own enumerable properties only, each read once, copied, without a prototype. */
export type OptionsSnapshot = Readonly<Record<string, unknown>>

const notAnObject =
  'pass an object such as { origin: "https://app.example.com" }; to load origins asynchronously use an origin function, or a policy from createCors() that you update()'

function hintFor(value: unknown): string {
  if (typeof value === 'function')
    return `${notAnObject}. A function here (Fastify's options-function form, the @fastify/cors "delegator", a hono/cors-style factory) is never called: it would otherwise leave every option at its default`
  if (value instanceof Promise)
    return `${notAnObject}. This is a promise: await it before creating the policy`
  return notAnObject
}

function describeKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Promise) return 'a promise'
  return typeof value === 'object' ? 'an object that is not a plain object' : `a ${typeof value}`
}

/**
 * Whether a value is a plain object from any realm (its prototype is `Object.prototype`, or none):
 * what options must be. For adapters that take options of their own out before calling `createCors`.
 *
 * @example
 * const own = isPlainObject(options) && !isCorsPolicy(options) ? options.onError : undefined
 */
export function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === null || Object.getPrototypeOf(proto) === null
}

// A copy the caller cannot change afterwards: arrays are sliced (each item read once), RegExps
// rebuilt from their source and flags, so `re.compile()` or a replaced `re.test` changes nothing.
function copy(value: unknown): unknown {
  if (value instanceof RegExp) return new RegExp(value.source, value.flags)
  if (Array.isArray(value)) return Object.freeze(Array.prototype.slice.call(value).map(copy))
  return value
}

/**
 * Reads options once: only the object's own enumerable properties (never the prototype chain, so a
 * polluted `Object.prototype` cannot add an option), each read exactly once (a getter or Proxy that
 * answers differently on each read sees one read), and copied. Validation then works on the copy.
 */
export function readOptions(
  options: unknown,
  prefix = '',
): { snapshot: OptionsSnapshot; issues: CorsConfigIssue[] } {
  const snapshot: Record<string, unknown> = Object.create(null)
  if (options === undefined) return { snapshot, issues: [] }
  if (!isPlainObject(options)) {
    const issue: CorsConfigIssue = {
      code: 'invalid-type',
      option: prefix === '' ? 'options' : prefix.slice(0, -1),
      value: options,
      message: `CORS options must be a plain object, not ${describeKind(options)}`,
      hint: hintFor(options),
    }
    return { snapshot, issues: [issue] }
  }
  for (const key of Object.keys(options)) snapshot[key] = copy((options as Record<string, unknown>)[key])
  return { snapshot: Object.freeze(snapshot), issues: [] }
}
