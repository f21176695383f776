// The response side of @cors/express: the writer over a Node response, the decision a response
// carries until its head is written, and the hooks on ServerResponse.prototype that enforce it then.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { type CorsDecision, type CorsWriter, corsResponseHeaders, createCorsWriter } from '@cors/core'

// One `get` per header the decision unsets: cheaper on a Node response than listing its names, and
// all that engine.io's stand-in upgrade response (getHeader, setHeader, removeHeader) offers.
export const writer: CorsWriter<ServerResponse> = createCorsWriter<ServerResponse>({
  get: (res, name) => res.getHeader(name),
  set: (res, name, value) => res.setHeader(name, value),
  delete: (res, name) => res.removeHeader(name),
})

// What a policy decided for a response, until its head is written: one symbol-keyed property. A
// second, different policy on the same response is a configuration mistake. `clean`: the response
// had none of the policy's headers (nor Vary) when the middleware ran, so what `early` wrote stands
// unless the response is marked since.
export const kState: unique symbol = Symbol('@cors/express')
// 0: since the response was given its socket, nothing but the middleware set, appended or removed a
// header the policy owns, or Vary; 1: something did. Absent: unknown (a response made before the
// hooks, or one still queued behind another on its socket), so the head is checked in full.
export const kOwned: unique symbol = Symbol('@cors/express owned')
interface State {
  policy: object
  decision: CorsDecision
  vary: unknown
  clean: boolean
}
export type Marked = ServerResponse & { [kState]?: State | undefined; [kOwned]?: 0 | 1 }

/** Records the state, writes the headers for the application to see, and keeps the response clean if it was. */
export function decided(res: Marked, policy: object, decision: CorsDecision): void {
  const clean = res[kOwned] === 0
  const state: State = { policy, decision, vary: undefined, clean }
  res[kState] = state
  state.vary = writer.early(res, decision)
  if (clean) res[kOwned] = 0
}

const ownedNames: ReadonlySet<string> = new Set([...corsResponseHeaders, 'vary'])
const policyOwned = (lower: string): boolean => ownedNames.has(lower)
// A name the policy owns, or Vary, in any case: lowered only when it starts with a or v and is not
// already lower-case (as the policy's own names are).
const owned = (name: unknown): boolean => {
  if (typeof name !== 'string') return false
  const first = name.charCodeAt(0) | 0x20
  if (first !== 0x61 && first !== 0x76) return false
  return policyOwned(name) || policyOwned(name.toLowerCase())
}

const kHooked = Symbol('@cors/express hooks')
type Method = ((this: Marked, ...args: never[]) => unknown) & { [kHooked]?: true }
type Original = (this: Marked, ...args: unknown[]) => unknown

// The application runs after the middleware and may replace Vary or set headers the policy owns: the
// decision is enforced again when the head is written, which every response path (end, write, pipe,
// sendFile, finalhandler) goes through, a subclass's own writeHead included, as it ends in the base
// one. The methods are wrapped once, on the prototype (not on each response, which would change its
// shape), and do nothing but mark on a response no policy decided. Each header change goes through
// setHeader, appendHeader, removeHeader (setHeaders and writeHead's headers included) or the
// deprecated `_headers` setter: a change to one the policy owns marks the response, and only a marked
// response (or one of unknown history) is read again at writeHead.
export function hook(owner: ServerResponse): void {
  const proto = owner as unknown as Record<string, Method>
  if (proto.writeHead![kHooked]) return
  wrap(
    proto,
    'writeHead',
    (writeHead) =>
      function (this: Marked, status: number, reason?: unknown, headers?: unknown) {
        const state = this[kState]
        if (state === undefined) return writeHead.call(this, status, reason, headers)
        // Node: a string is the status message, anything else stands for the headers when they are absent.
        const given = typeof reason === 'string' ? headers : (headers ?? reason)
        // What Node refuses (an odd flat list), it refuses itself, with its own error.
        if (!setGiven(this, given)) return writeHead.call(this, status, reason, headers)
        if (!state.clean || this[kOwned] !== 0) writer.atSend(this, state.decision, state.vary)
        return typeof reason === 'string'
          ? writeHead.call(this, status, reason)
          : writeHead.call(this, status)
      },
  )
  for (const name of ['setHeader', 'appendHeader', 'removeHeader'])
    wrap(
      proto,
      name,
      (method) =>
        function (this: Marked, header: string, value?: unknown) {
          if (this[kOwned] !== 1 && owned(header)) this[kOwned] = 1
          return method.call(this, header, value)
        },
    )
  // Node makes a response's socket known once, before the application can set anything (a
  // pipelined response waits for its turn and is then unknown to the middleware: checked in full).
  // Both properties are created here, in this order, while the response still has Node's own shape:
  // Express then swaps its prototype (Object.setPrototypeOf), after which V8 gives every response
  // that gains a property a map of its own (about 3 µs a request, and slower property access in every
  // later step: issue 20). The middleware only assigns them.
  wrap(
    proto,
    'assignSocket',
    (assign) =>
      function (this: Marked, socket: unknown) {
        if (this[kOwned] === undefined) {
          this[kState] = undefined
          this[kOwned] = 0
        }
        return assign.call(this, socket)
      },
  )
  hookHeadersSetter(owner)
}

function wrap(proto: Record<string, Method>, name: string, make: (original: Original) => Method): void {
  const wrapped = make(proto[name] as Original)
  wrapped[kHooked] = true
  proto[name] = wrapped
}

// `res._headers = {...}` (deprecated, DEP0066) replaces every header at once: it marks the response.
function hookHeadersSetter(owner: ServerResponse): void {
  let proto: object | null = owner
  while (proto !== null && !Object.hasOwn(proto, '_headers')) proto = Object.getPrototypeOf(proto)
  const { get, set } = (proto && Object.getOwnPropertyDescriptor(proto, '_headers')) ?? {}
  if (get === undefined || set === undefined) return
  Object.defineProperty(owner, '_headers', {
    configurable: true,
    get,
    set(this: Marked, value: unknown) {
      this[kOwned] = 1
      set.call(this, value)
    },
  })
}

// Sets the headers given to writeHead as Node does; `false` for a list Node refuses. Without headers
// set before (the policy's own aside), Node sends the given ones as they are: a list of [name, value]
// pairs or a flat list, repeated names kept. After setHeader, a flat list replaces the names it gives
// (each removed, then appended), and an object sets each of its names.
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
