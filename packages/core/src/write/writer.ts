import { isOwnedHeader } from './owned.ts'
import { appendVary } from './vary.ts'

/** The part of a decision (`CorsDecision`) that a response writer applies. */
export interface CorsWrite {
  readonly headers: Readonly<Record<string, string>>
  readonly vary: readonly string[]
  readonly unset: readonly string[]
}

/**
 * How a writer reads and changes the headers of one kind of response: a Node `ServerResponse`, a
 * Fastify reply, a Koa context, a Fetch `Headers`, a plain record. Names are lower-case; `get`
 * returns `null` or `undefined` for a header that is absent. An adapter defines it once, so nothing
 * is allocated per request.
 */
export interface CorsHeaderAccess<T> {
  get(target: T, name: string): unknown
  set(target: T, name: string, value: string): void
  delete(target: T, name: string): void
  /**
   * The names present, lower-case (optional): one call instead of a `get` per header the decision
   * unsets, for responses that list their names cheaply.
   */
  names?(target: T): readonly string[]
}

/** Writes decisions onto one kind of response; made by `createCorsWriter`. */
export interface CorsWriter<T> {
  /**
   * Writes a whole decision: removes the policy's headers it does not set (`unset`), sets its
   * headers and merges its names into `Vary` (an unchanged `Vary` is left alone). For a response
   * that is complete (Fetch) or answered now (a preflight).
   */
  write(target: T, decision: CorsWrite): void
  /**
   * Before the application runs, in frameworks that let it write later: sets the headers and merges
   * `Vary`, for the application to see. Returns the `Vary` value left, which `atSend` takes.
   */
  early(target: T, decision: CorsWrite): unknown
  /**
   * At send time, after `early` and the application: the policy owns its headers, so what the
   * application set is removed (`unset`) or set back; `Vary` is merged again unless it is still the
   * value `early` left. Only what changed is written.
   */
  atSend(target: T, decision: CorsWrite, vary: unknown): void
}

// A Vary value no response has: the first merge always reads the header.
const unseen = Symbol('unseen')

/**
 * Creates the writer of decisions for one kind of response, from its header access. Every adapter
 * writes through one: only the core knows which headers the policy owns.
 *
 * @example
 * const writer = createCorsWriter<ServerResponse>({
 *   get: (res, name) => res.getHeader(name),
 *   set: (res, name, value) => res.setHeader(name, value),
 *   delete: (res, name) => res.removeHeader(name),
 *   names: (res) => res.getHeaderNames(),
 * })
 * writer.write(res, decision)
 */
export function createCorsWriter<T>(access: CorsHeaderAccess<T>): CorsWriter<T> {
  function unset(target: T, names: readonly string[]): void {
    if (names.length === 0) return
    if (access.names === undefined) {
      for (let i = 0; i < names.length; i++)
        if (access.get(target, names[i]!) != null) access.delete(target, names[i]!)
      return
    }
    const present = access.names(target)
    for (let i = 0; i < present.length; i++) {
      const name = present[i]!
      if (isOwnedHeader(name) && names.includes(name)) access.delete(target, name)
    }
  }
  function setAll(target: T, headers: CorsWrite['headers'], changedOnly: boolean): void {
    // Own keys only: a polluted Object.prototype must never become a response header.
    const names = Object.keys(headers)
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!
      if (!changedOnly || access.get(target, name) !== headers[name]) access.set(target, name, headers[name]!)
    }
  }
  function vary(target: T, names: readonly string[], left: unknown): unknown {
    if (names.length === 0) return left
    const value = access.get(target, 'vary')
    if (value === left) return value
    const merged =
      value == null && names.length === 1 ? names[0]! : appendVary(value as string | undefined, names)
    if (merged !== value) access.set(target, 'vary', merged)
    return merged
  }
  return {
    write(target, decision) {
      unset(target, decision.unset)
      setAll(target, decision.headers, false)
      vary(target, decision.vary, unseen)
    },
    early(target, decision) {
      setAll(target, decision.headers, false)
      return vary(target, decision.vary, unseen)
    },
    atSend(target, decision, left) {
      unset(target, decision.unset)
      setAll(target, decision.headers, true)
      vary(target, decision.vary, left)
    },
  }
}
