// The response side of @cors/express: the writer over a Node response, the decision a response
// carries until its head is written, and the writeHead wrapper that enforces it then.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { type CorsDecision, type CorsWriter, corsResponseHeaders, createCorsWriter } from '@cors/core'

export const writer: CorsWriter<ServerResponse> = createCorsWriter<ServerResponse>({
  get: (res, name) => res.getHeader(name),
  set: (res, name, value) => res.setHeader(name, value),
  delete: (res, name) => res.removeHeader(name),
  // engine.io hands an upgrade a stand-in response with getHeader, setHeader and removeHeader only.
  names: (res) =>
    typeof res.getHeaderNames === 'function'
      ? res.getHeaderNames()
      : corsResponseHeaders.filter((name) => res.getHeader(name) !== undefined),
})

// What a policy decided for a response, until its head is written: one symbol-keyed property. A
// second, different policy on the same response is a configuration mistake.
export const kState: unique symbol = Symbol('@cors/express')
export type Marked = ServerResponse & { [kState]?: { policy: object; decision: CorsDecision; vary: unknown } }
const kHooked = Symbol('@cors/express writeHead')
type WriteHead = ((this: ServerResponse, code: number, reason?: unknown, headers?: unknown) => unknown) & {
  [kHooked]?: true
}

// The application runs after the middleware and may replace Vary or set headers the policy owns: the
// decision is enforced again when the head is written, which every response path (end, write, pipe,
// sendFile, finalhandler) goes through, a subclass's own writeHead included, as it ends in the base
// one. That one is wrapped once, on the prototype (not on each response, which would change its
// shape), and does nothing on a response no policy decided. Headers passed to writeHead would be set
// after ours: they are set first, read exactly as Node's writeHead reads them, then ours.
export function hook(owner: ServerResponse): void {
  const writeHead = owner.writeHead as unknown as WriteHead
  if (writeHead[kHooked]) return
  const corsWriteHead = function (this: Marked, status: number, reason?: unknown, headers?: unknown) {
    const state = this[kState]
    if (state === undefined) return writeHead.call(this, status, reason, headers)
    // Node: a string is the status message, anything else stands for the headers when they are absent.
    const given = typeof reason === 'string' ? headers : (headers ?? reason)
    // What Node refuses (an odd flat list), it refuses itself, with its own error.
    if (!setGiven(this, given)) return writeHead.call(this, status, reason, headers)
    writer.atSend(this, state.decision, state.vary)
    return typeof reason === 'string' ? writeHead.call(this, status, reason) : writeHead.call(this, status)
  } as WriteHead
  corsWriteHead[kHooked] = true
  owner.writeHead = corsWriteHead as unknown as ServerResponse['writeHead']
}

// Sets the headers given to writeHead as Node does; `false` for a list Node refuses. Without headers
// set before (the policy's own aside), Node sends the given ones as they are: a list of [name, value]
// pairs or a flat list, repeated names kept. After setHeader, a flat list replaces the names it gives
// (each removed, then appended), and an object sets each of its names.
const policyOwned = (name: string): boolean => name === 'vary' || corsResponseHeaders.includes(name)
function setGiven(res: ServerResponse, given: unknown): boolean {
  if (Array.isArray(given)) {
    const fresh = res.getHeaderNames().every(policyOwned)
    if (fresh && Array.isArray(given[0])) {
      for (const [name, value] of given as [string, string][]) res.appendHeader(name, value)
      return true
    }
    if (given.length % 2 !== 0) return false
    if (!fresh) for (let i = 0; i < given.length; i += 2) res.removeHeader(given[i] as string)
    for (let i = 0; i < given.length; i += 2) if (given[i]) res.appendHeader(given[i] as string, given[i + 1])
  } else if (given) {
    const record = given as OutgoingHttpHeaders
    for (const name of Object.keys(record)) if (name) res.setHeader(name, record[name]!)
  }
  return true
}
