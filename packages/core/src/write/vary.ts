const joinedVary = new WeakMap<readonly string[], string>()

/**
 * Merges header names into a `Vary` value without duplicates (case-insensitive) and without
 * dropping what is there; `*` already covers everything. Returns the new header value.
 *
 * @example
 * appendVary('Accept-Encoding', ['Origin']) // 'Accept-Encoding, Origin'
 */
export function appendVary(
  existing: string | readonly string[] | number | null | undefined,
  names: readonly string[],
): string {
  // The common repeat: the value is exactly what these names were merged into before.
  if (typeof existing === 'string' && existing !== '' && existing === joinedVary.get(names)) return existing
  const current = Array.isArray(existing) ? existing.join(', ') : existing == null ? '' : String(existing)
  if (current.trim() === '') {
    let joined = joinedVary.get(names)
    if (joined === undefined) {
      const lower = names.map((name) => name.toLowerCase())
      joined = names.filter((_, i) => lower.indexOf(lower[i]!) === i).join(', ')
      if (Object.isFrozen(names)) joinedVary.set(names, joined)
    }
    return joined
  }
  const present = new Set<string>()
  for (const part of current.split(',')) {
    const name = part.trim().toLowerCase()
    if (name === '*') return current
    if (name !== '') present.add(name)
  }
  let result = current
  for (const name of names) {
    const lower = name.toLowerCase()
    if (present.has(lower)) continue
    present.add(lower)
    result += `, ${name}`
  }
  return result
}
