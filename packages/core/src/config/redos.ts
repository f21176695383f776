/**
 * Finds the shapes that make a backtracking RegExp engine (V8's included) take exponential time:
 * a group repeated without bound whose body can itself repeat without bound (`(a+)+`, `(\w*)*`,
 * `(a|a?)+`), or whose alternatives can match the same text (`(a|ab)*`, `(\d|\w)+`). It is a
 * conservative syntactic check: a few harmless shapes are refused too, and each refusal names the
 * group so the fix is easy. The one common safe shape, a repeated label closed by a separator its
 * body cannot match (`([a-z0-9-]+\.)*`), is accepted.
 */
export function exponentialGroup(source: string): string | undefined {
  const stack: { start: number; unbounded: boolean; alternatives: number[] }[] = []
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]
    if (ch === '\\') {
      if (isUnboundedAt(source, i + 2)) markUnbounded(stack)
      i++
      continue
    }
    if (inClass) {
      if (ch === ']') {
        inClass = false
        if (isUnboundedAt(source, i + 1)) markUnbounded(stack)
      }
      continue
    }
    if (ch === '[') inClass = true
    else if (ch === '(') stack.push({ start: i, unbounded: false, alternatives: [] })
    else if (ch === '|') stack.at(-1)?.alternatives.push(i)
    else if (ch === ')') {
      const group = stack.pop()
      if (group === undefined) continue
      const body = source.slice(group.start, i + 1)
      if (isUnboundedAt(source, i + 1)) {
        if (group.unbounded && !isDelimitedRepeat(source.slice(group.start + 1, i))) return body
        if (group.alternatives.length > 0 && mayOverlap(source, group)) return body
        markUnbounded(stack)
      } else if (group.unbounded) markUnbounded(stack)
    } else if (ch !== undefined && ch !== '^' && ch !== '$' && isUnboundedAt(source, i + 1))
      markUnbounded(stack)
  }
  return undefined
}

function markUnbounded(stack: { unbounded: boolean }[]): void {
  const top = stack.at(-1)
  if (top !== undefined) top.unbounded = true
}

/** Whether the quantifier starting at `i` repeats without bound: `*`, `+` or `{n,}`. */
function isUnboundedAt(source: string, i: number): boolean {
  const q = source[i]
  if (q === '*' || q === '+') return true
  return q === '{' && /^\{\d+,\}/.test(source.slice(i, i + 12))
}

// `[a-z0-9-]+\.` or `-[a-z]+`: one repeated class next to one literal the class cannot match, so
// each repetition of the group starts or ends at a fixed character and the split of the input is unique.
function isDelimitedRepeat(body: string): boolean {
  const match = /^(?:\?:)?(\\?[^[\\])?\[([^\]\\]*)\][+*](\\?[^[\\])?$/.exec(body)
  if (match === null) return false
  const [, before, set, after] = match
  const literals = [before, after].filter((l) => l !== undefined).map((l) => l.slice(-1))
  return literals.length > 0 && literals.every((literal) => !classMatches(set!, literal))
}

function classMatches(set: string, ch: string): boolean {
  if (set.startsWith('^')) return !classMatches(set.slice(1), ch)
  for (let i = 0; i < set.length; i++) {
    if (set[i + 1] === '-' && i + 2 < set.length) {
      if (ch >= set[i]! && ch <= set[i + 2]!) return true
      i += 2
    } else if (set[i] === ch) return true
  }
  return false
}

// Alternatives that can start with the same character can match the same text; anything that does
// not start with a plain literal (a class, an escape, a group, an optional item) is assumed to.
function mayOverlap(source: string, group: { start: number; alternatives: number[] }): boolean {
  const nonCapturing = source.startsWith('(?:', group.start)
  const starts = [group.start, ...group.alternatives].map(
    (at, i) => source[at + (i === 0 && nonCapturing ? 3 : 1)],
  )
  const firsts = new Set<string>()
  for (const first of starts) {
    if (first === undefined || !/[A-Za-z0-9:/.-]/.test(first)) return true
    if (first === '.' || firsts.has(first)) return true
    firsts.add(first)
  }
  return false
}
