import type { NormalizedOptions } from '../config/validate.ts'

// A stable text for a compiled policy, so two policies made from equal options are known as one:
// values compared by content (an origin list in any order), functions and other objects by identity.

const ids = new WeakMap<object, number>()
let lastId = 0

function idOf(value: object): number {
  let id = ids.get(value)
  if (id === undefined) {
    id = ++lastId
    ids.set(value, id)
  }
  return id
}

function keyOf(value: unknown): string {
  if (typeof value === 'function') return `f${idOf(value)}`
  if (value instanceof RegExp) return `r${JSON.stringify(`${value}`)}`
  if (Array.isArray(value)) return `[${value.map(keyOf).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record).sort()
    return `{${keys.map((key) => `${JSON.stringify(key)}:${keyOf(record[key])}`).join(',')}}`
  }
  return value === undefined ? 'u' : JSON.stringify(value)
}

/** What `policyKey` reads of a compiled policy: its checked options and its compiled shadow. */
export interface Keyed {
  readonly normalized: NormalizedOptions
  readonly shadow: Keyed | undefined
}

const keys = new WeakMap<Keyed, string>()

/** The key of a compiled policy, computed when first asked for (never on the per-request path). */
export function policyKey(state: Keyed): string {
  let key = keys.get(state)
  if (key !== undefined) return key
  const n = state.normalized
  const origin = n.origin.kind === 'match' ? { ...n.origin, exact: [...n.origin.exact].sort() } : n.origin
  key = keyOf({ ...n, origin, shadow: state.shadow === undefined ? undefined : policyKey(state.shadow) })
  keys.set(state, key)
  return key
}
