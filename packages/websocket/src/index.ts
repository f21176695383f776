/**
 * @module
 * `@cors/websocket`: the allow-list of a `@cors/core` policy on WebSocket handshakes, which browsers
 * never submit to CORS. One guard plugs into each server's own hook: `node:http`'s `upgrade` event
 * (and `ws` with `noServer`), `ws`'s `verifyClient`, Socket.IO's `io.engine.use`, crossws's `upgrade`
 * hook (h3, Nitro, Nuxt) and Fetch runtimes (Bun, Deno, Workers). The runtime code uses no Node API.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import {
  type CorsHandshakeOptions,
  type CorsOptions,
  type CorsPolicy,
  type CorsRejection,
  createHandshakeCheck,
  toCorsRequest,
} from '@cors/core'

export { type CorsHandshakeOptions, createCors } from '@cors/core'
// The same names as every adapter (options, hooks, decisions, the error), plus the guard's options and
// `createCors`, to make the one policy shared with the HTTP adapters.
export * from '@cors/core/reexport'

/** What an `origin` function and `onReject` receive: the native request of the hook that ran. */
export type WebSocketContext = IncomingMessage | Request

/** `ws`'s `verifyClient` in its callback form (`ws` answers the refusal with the status given). */
export type VerifyClient = (
  info: { origin: string; secure: boolean; req: IncomingMessage },
  callback: (result: boolean, code?: number, message?: string, headers?: OutgoingHttpHeaders) => void,
) => void

/** A `node:http` `upgrade` listener. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void

/** The guard of one policy, in the shape of each server's hook. */
export interface WebSocketGuard {
  /** Wraps an `upgrade` listener: a refused handshake gets `403` and a closed socket, never `handler`. */
  upgrade(handler: UpgradeListener): UpgradeListener
  /** For `new WebSocketServer({ verifyClient })`. */
  readonly verifyClient: VerifyClient
  /** For Socket.IO's `io.engine.use()`: judges every engine.io HTTP request and upgrade. */
  readonly middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void
  /** crossws's `upgrade` hook (h3, Nitro, Nuxt): a `403` Response refuses, `undefined` goes on. */
  readonly crossws: (request: Request) => Response | undefined | Promise<Response | undefined>
  /** Fetch runtimes: a `403` Response to return, or `undefined` to go on and upgrade. */
  readonly check: (request: Request) => Response | undefined | Promise<Response | undefined>
}

const body = 'Forbidden'
// What a refused handshake gets on a raw socket: a whole HTTP response, then the connection closes.
const rawRefusal = `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`

// Client resets on a socket nobody listens to would end the process; nothing is left to do with them.
const ignore = (): void => {}

function refuseSocket(socket: Duplex): void {
  socket.on('error', ignore)
  if (socket.writable) {
    socket.once('finish', () => socket.destroy())
    socket.end(rawRefusal)
  } else socket.destroy()
}

type Verdict = CorsRejection | undefined | Promise<CorsRejection | undefined>

// Runs a result through `then` only when the policy answered asynchronously.
function settle<T>(verdict: Verdict, next: (refusal: CorsRejection | undefined) => T): T | Promise<T> {
  return verdict instanceof Promise ? verdict.then(next) : next(verdict)
}

// Fetch runtimes build the URL from Host; where `headers` leaves Host out, the URL still names it.
const fetchHeader =
  (request: Request) =>
  (name: string): string | null =>
    request.headers.get(name) ?? (name === 'host' ? new URL(request.url).host : null)

const nodeRequest = (req: IncomingMessage) => toCorsRequest(req.method ?? 'GET', (name) => req.headers[name])

/**
 * Makes the WebSocket guard of a policy: options (as every `@cors` adapter takes them) or a
 * `createCors` policy shared with the HTTP adapters, whose `update()` reaches the next handshake.
 * Every handshake is judged by the cross-origin protection rule: same-origin pages and allowed origins
 * pass, any other browser origin (`null` included) is refused with `403` before the application's
 * handler runs; a handshake without `Origin` (not a browser) passes unless `requireOrigin: true`.
 * Throws a `CorsConfigError` for invalid options and for `origin: '*'` or `true` (nothing to check).
 *
 * @example
 * const guard = websocketGuard({ origin: ['https://app.example.com'] })
 * new WebSocketServer({ server, verifyClient: guard.verifyClient })
 */
export function websocketGuard(
  options: CorsOptions<WebSocketContext> | CorsPolicy<WebSocketContext>,
  guardOptions?: CorsHandshakeOptions,
): WebSocketGuard {
  const judge = createHandshakeCheck<WebSocketContext>(options, guardOptions)
  // A request the guard could not even read is refused (fail closed), never thrown into the server.
  const safely = (read: () => Verdict): Verdict => {
    try {
      return read()
    } catch {
      return refusedUnread
    }
  }
  const ofNode = (req: IncomingMessage): Verdict => safely(() => judge(nodeRequest(req), req))
  const fetchRequest = (request: Request): Response | undefined | Promise<Response | undefined> =>
    settle(
      safely(() => judge(toCorsRequest(request.method, fetchHeader(request)), request)),
      (refusal) => (refusal === undefined ? undefined : new Response(body, forbidden)),
    )

  const guard: WebSocketGuard = {
    upgrade:
      (handler: UpgradeListener): UpgradeListener =>
      (req, socket, head) => {
        // Listening from the start: a client may reset while an async origin function is asked.
        socket.on('error', ignore)
        void settle(ofNode(req), (refusal) => {
          if (refusal !== undefined) return refuseSocket(socket)
          if (socket.destroyed) return
          socket.off('error', ignore)
          handler(req, socket, head)
        })
      },
    verifyClient: (info, callback) => {
      void settle(ofNode(info.req), (refusal) =>
        refusal === undefined ? callback(true) : callback(false, 403, body, { 'Content-Type': 'text/plain' }),
      )
    },
    middleware: (req, res, next) => {
      void settle(ofNode(req), (refusal) => {
        if (refusal === undefined) return next()
        // engine.io hands upgrades to middlewares with a stand-in response that writes nothing: the
        // 403 then goes straight to the socket.
        if (typeof res.statusCode !== 'number') return refuseSocket(req.socket)
        res.on('error', ignore)
        res.writeHead(403, forbidden.headers).end(body)
      })
    },
    crossws: fetchRequest,
    check: fetchRequest,
  }
  return Object.freeze(guard)
}

const forbidden = { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } } as const

// Stands for a refusal when the request could not be read at all; its fields are never sent.
const refusedUnread = Object.freeze({ allowed: false }) as CorsRejection
