// Signals that must not fail silently: written to the console, once per distinct cause (bounded).

type Level = 'warn' | 'error'
// The core is compiled without DOM or Node types; every runtime it supports has a console.
const log = (globalThis as { console?: Record<Level, (message: string) => void> }).console

/** How many distinct causes one reporter remembers; past that, new ones are no longer written. */
const maxCauses = 100

/** Writes a message once per distinct `cause`, with `console.warn` or `console.error`. */
export type Once = (cause: string, message: string) => void

export function once(level: Level): Once {
  const seen = new Set<string>()
  return (cause, message) => {
    if (seen.has(cause) || seen.size >= maxCauses) return
    seen.add(cause)
    log?.[level](message)
  }
}

/** Hook failures (a throw, a rejected promise): one line per hook and error message, process-wide. */
const hookFailed = once('error')

/**
 * Describes what a user function threw, for a log message. Never throws itself: a thrown
 * `Object.create(null)`, or an error whose `toString` or `message` getter throws, would otherwise
 * escape `decide` and become a 500 carrying that second error's text.
 */
export function describeError(error: unknown): string {
  try {
    return String(error)
  } catch {
    return 'a value that cannot be converted to a string'
  }
}

/** Reports what a user hook threw or rejected with; never throws. */
export function failedHook(hook: string, error: unknown, effect: string): void {
  const text = describeError(error)
  hookFailed(`${hook}\n${text}`, `@cors: ${hook} failed: ${text}; ${effect}`)
}

/** The `then` of a value a hook returned, when it is a promise or another thenable. */
export function thenOf(
  value: unknown,
): ((ok: unknown, failed: (error: unknown) => void) => unknown) | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined
  try {
    const then = (value as { then?: unknown }).then
    return typeof then === 'function' ? then.bind(value) : undefined
  } catch {
    return undefined
  }
}

/**
 * What a hook returned: a rejected promise is caught and reported (once per hook and message), so it
 * never becomes an unhandled rejection that ends the process, and never changes the response.
 */
export function settleHook(hook: string, result: unknown): void {
  if (result === undefined) return
  const then = thenOf(result)
  if (then === undefined) return
  try {
    then(undefined, (error) => failedHook(hook, error, 'the response was not changed'))
  } catch (error) {
    failedHook(hook, error, 'the response was not changed')
  }
}
