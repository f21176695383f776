/** Machine-readable code of one configuration problem. */
export type CorsConfigIssueCode =
  | 'unknown-option'
  | 'invalid-type'
  | 'invalid-origin'
  | 'null-origin'
  | 'origin-pattern-too-broad'
  | 'regexp-not-anchored'
  | 'regexp-stateful'
  | 'regexp-exponential'
  | 'empty-origin-list'
  | 'credentials-with-any-origin'
  | 'credentials-with-wildcard'
  | 'invalid-method'
  | 'forbidden-method'
  | 'method-case'
  | 'invalid-header-name'
  | 'forbidden-header'
  | 'protocol-header'
  | 'invalid-max-age'
  | 'invalid-status'
  | 'protection-without-allow-list'
  | 'shadow-without-report'

/** One problem found in a set of CORS options, with the fix. */
export interface CorsConfigIssue {
  readonly code: CorsConfigIssueCode
  /** The option the problem is in, e.g. `origin` or `allowedHeaders`. */
  readonly option: string
  /** The offending value (the whole option, or the one item of a list that is wrong). */
  readonly value: unknown
  /** What is wrong. */
  readonly message: string
  /** How to fix it, including a "did you mean" suggestion where there is one. */
  readonly hint: string
}

/** Records one configuration problem. */
export type Report = (
  code: CorsConfigIssueCode,
  option: string,
  value: unknown,
  message: string,
  hint: string,
) => void

// An options object (as written, or as read: a snapshot has no prototype) is shown by its keys.
function describeObject(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value)
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return undefined
  const keys = Object.keys(value)
  const shown = keys.length > 6 ? [...keys.slice(0, 6), '...'] : keys
  return keys.length === 0 ? 'an empty object {}' : `an object { ${shown.join(', ')} }`
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value instanceof RegExp) return String(value)
  if (typeof value === 'function') return 'a function'
  if (Array.isArray(value)) return 'an array'
  const object = typeof value === 'object' && value !== null ? describeObject(value) : undefined
  if (object !== undefined) return object
  try {
    return String(value)
  } catch {
    return 'a value that cannot be converted to a string'
  }
}

/**
 * Thrown by `createCors` (and so by every adapter at start-up) when the options are invalid.
 * It lists every problem at once; `issues` holds them in a machine-readable form.
 *
 * @example
 * try { createCors({ origin: '*', credentials: true }) }
 * catch (error) { if (error instanceof CorsConfigError) console.error(error.issues) }
 */
export class CorsConfigError extends Error {
  override readonly name = 'CorsConfigError'
  readonly issues: readonly CorsConfigIssue[]

  constructor(issues: readonly CorsConfigIssue[]) {
    const lines = issues.map(
      (issue, i) =>
        `  ${i + 1}. [${issue.code}] ${issue.option} = ${describe(issue.value)}: ${issue.message}\n     fix: ${issue.hint}`,
    )
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
    super(`Invalid CORS options (${count}):\n${lines.join('\n')}`)
    this.issues = Object.freeze(issues.slice())
  }
}
