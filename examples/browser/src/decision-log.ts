import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { CorsRejection } from '@cors/koa'

// The playground's side channel. Every request the example APIs receive is recorded on the socket, and
// the rejection each adapter reports through its `onReject` hook is attached to it. The page tags each
// fetch() with `?rid=<id>` and asks its own (same-origin) page server for that id's entries: the
// reason never travels in the CORS response, which tells a refused origin nothing.

/** One request an example API received, with what the server decided. */
export interface LoggedRequest {
  readonly api: string
  readonly method: string
  /** Path and query, as sent. */
  readonly url: string
  readonly origin: string | null
  /** `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
  readonly preflight: boolean
  readonly requestMethod: string | null
  readonly requestHeaders: string | null
  /** The status the server answered with; `null` until the answer is sent. */
  status: number | null
  /** The `Access-Control-*` and `Vary` headers of the answer. */
  corsHeaders: Record<string, string>
  /** `allowed` (no rejection reported), `no-origin`, or the reason the adapter reported. */
  reason: string
  message: string
}

interface Entry {
  readonly request: LoggedRequest
  readonly answered: Promise<void>
}

const maxIds = 1000
const answerWait = 2000

const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name]
  return typeof value === 'string' && value !== '' ? value : null
}

// Path and query of a request URL, whatever form an adapter's context gives it in (raw or absolute).
const pathAndQuery = (url: string): string => {
  const parsed = new URL(url, 'http://localhost')
  return parsed.pathname + parsed.search
}

// Fastify and @hono/node-server pass their headers to `writeHead` at once, which Node does not keep
// for `getHeaders()`: read them on the way through as well.
function captureHeaders(res: ServerResponse): () => [string, string][] {
  const passed: [string, string][] = []
  const writeHead = res.writeHead
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((arg) => typeof arg === 'object' && arg !== null)
    if (Array.isArray(headers)) {
      const pairs = Array.isArray(headers[0]) ? headers : []
      if (pairs.length === 0)
        for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]])
      for (const [name, value] of pairs as [unknown, unknown][])
        passed.push([String(name).toLowerCase(), String(value)])
    } else if (headers !== undefined) {
      for (const [name, value] of Object.entries(headers)) passed.push([name.toLowerCase(), String(value)])
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
  } as ServerResponse['writeHead']
  return () => [
    ...Object.entries(res.getHeaders()).map(([n, v]): [string, string] => [n, String(v)]),
    ...passed,
  ]
}

export class DecisionLog {
  readonly #byId = new Map<string, Entry[]>()
  readonly #inFlight = new Set<Entry>()
  readonly #onAnswer: (request: LoggedRequest) => void

  /** `onAnswer` sees every request once it is answered (the playground prints one line each). */
  constructor(onAnswer: (request: LoggedRequest) => void = () => {}) {
    this.#onAnswer = onAnswer
  }

  /** Records every request `server` receives, before the framework sees it. */
  observe(api: string, server: Server): void {
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
      this.#record(api, req, res),
    )
  }

  /**
   * Attaches a rejection to the request it belongs to. `url` and `method` come from the adapter's
   * context (Fastify request, Koa context, Hono context, Fetch `Request`).
   */
  reject(api: string, method: string, url: string, rejection: CorsRejection): void {
    const target = pathAndQuery(url)
    for (const entry of this.#inFlight) {
      const { request } = entry
      if (request.api === api && request.method === method && request.url === target) {
        request.reason = rejection.reason
        request.message = rejection.message
        return
      }
    }
  }

  /** The requests tagged `?rid=<id>`, once each has been answered (or after two seconds). */
  async lookup(id: string): Promise<LoggedRequest[]> {
    const entries = this.#byId.get(id) ?? []
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, answerWait)
    })
    await Promise.race([Promise.all(entries.map((entry) => entry.answered)), timeout])
    clearTimeout(timer)
    return entries.map((entry) => entry.request)
  }

  #record(api: string, req: IncomingMessage, res: ServerResponse): void {
    const url = pathAndQuery(req.url ?? '/')
    const origin = header(req, 'origin')
    const requestMethod = header(req, 'access-control-request-method')
    const request: LoggedRequest = {
      api,
      method: req.method ?? '',
      url,
      origin,
      preflight: req.method === 'OPTIONS' && origin !== null && requestMethod !== null,
      requestMethod,
      requestHeaders: header(req, 'access-control-request-headers'),
      status: null,
      corsHeaders: {},
      reason: origin === null ? 'no-origin' : 'allowed',
      message:
        origin === null
          ? 'no Origin header: not a CORS request'
          : 'the adapter reported no rejection: the policy allows this request',
    }
    const sent = captureHeaders(res)
    const answered = new Promise<void>((resolve) => {
      res.once('close', () => {
        request.status = res.statusCode
        for (const [name, value] of sent()) {
          if (name.startsWith('access-control-') || name === 'vary') request.corsHeaders[name] = value
        }
        this.#inFlight.delete(entry)
        this.#onAnswer(request)
        resolve()
      })
    })
    const entry: Entry = { request, answered }
    this.#inFlight.add(entry)
    const id = new URL(url, 'http://localhost').searchParams.get('rid')
    if (id === null || id === '') return
    let entries = this.#byId.get(id)
    if (entries === undefined) {
      // Bounded: the oldest ids go first, so a long session keeps a flat memory.
      if (this.#byId.size >= maxIds) this.#byId.delete(this.#byId.keys().next().value!)
      entries = []
      this.#byId.set(id, entries)
    }
    entries.push(entry)
  }
}
