import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { cors } from '@cors/express'
import type { DecisionLog } from './decision-log.ts'
import { doctorRoute } from './doctor-route.ts'

// The playground's page server: the page's files and its own small API (/api/config, /api/decisions,
// /api/doctor). The API can make this machine send requests (the doctor), so it is guarded as any
// local tool should be, and through this library: it answers only Host names that mean loopback (a
// DNS-rebinding page names its own host), only its own page origins may call it across origins
// (crossOriginProtection refuses a cross-site form or fetch before a route runs), and the doctor
// takes a JSON POST only (an <img>, a link or a form can send neither).

/** What the page server needs to know: its origins and ports, the config, the APIs and their log. */
export interface PageServerSetup {
  /** The page's own origins: the only ones its API answers across origins. */
  readonly origins: readonly string[]
  /** The `Host` values it answers (see `loopbackHosts`). */
  readonly hosts: ReadonlySet<string>
  /** The JSON the page reads from `/api/config`. */
  readonly config: string
  /** The example APIs' origins: the page may connect to them, the doctor tags its requests to them. */
  readonly apis: readonly string[]
  readonly log: DecisionLog
}

/** The names of this machine's loopback interface, as a `Host` header writes them. */
export const loopbackNames: readonly string[] = ['127.0.0.1', 'localhost', '[::1]']

/**
 * The `Host` values a page server on these ports answers: each loopback name with each port, and the
 * hosts of `origins` whose name is a loopback name (the browser suite maps `localhost:5173` to a free
 * port). Every other name is refused, whatever address it resolved to.
 */
export function loopbackHosts(ports: readonly number[], origins: readonly string[]): Set<string> {
  const hosts = new Set(loopbackNames.flatMap((name) => ports.map((port) => `${name}:${port}`)))
  for (const origin of origins) {
    const url = new URL(origin)
    if (loopbackNames.includes(url.hostname)) hosts.add(url.host)
  }
  return hosts
}

const publicDir = new URL('../public/', import.meta.url)
const files: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/runner.html': 'runner.html',
  '/app.js': 'app.js',
  '/doctor.js': 'doctor.js',
  '/runner.js': 'runner.js',
  '/scenarios.js': 'scenarios.js',
  '/style.css': 'style.css',
  '/favicon.svg': 'favicon.svg',
}
const types: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
}
const text = 'text/plain; charset=utf-8'
const json = 'application/json'
const maxBody = 64 * 1024

type Send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => void

function sender(setup: PageServerSetup): Send {
  const origins = setup.origins.join(' ')
  // The page may only talk to its own server and the example APIs, and only the playground's own
  // origins may frame the runner.
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ${setup.apis.join(' ')}`,
    `frame-src ${origins}`,
    `frame-ancestors ${origins}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
  return (res, status, type, body) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
    })
    res.end(body)
  }
}

/** The page server's request handler. */
export function pageHandler(setup: PageServerSetup): (req: IncomingMessage, res: ServerResponse) => void {
  const send = sender(setup)
  // The page server's own API, guarded by this library: only the page's origins may call it from
  // another origin, and a cross-site write never reaches a route.
  const guard = cors({ origin: [...setup.origins], crossOriginProtection: true, methods: ['GET', 'POST'] })
  const api = apiHandler(setup, send)
  return (req, res) => {
    if (!setup.hosts.has(req.headers.host ?? '')) {
      send(res, 421, text, 'this server answers loopback names only (127.0.0.1, localhost, [::1])\n')
      return
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname.startsWith('/api/')) {
      guard(req, res, (error) => {
        if (error === undefined) api(req, res, url)
        else send(res, 500, text, `${String(error)}\n`)
      })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, text, 'method not allowed\n')
    const file = files[url.pathname]
    if (file === undefined) return send(res, 404, text, 'not found\n')
    readFile(new URL(file, publicDir)).then(
      (body) => send(res, 200, types[file.split('.').pop()!]!, body),
      (error: unknown) => send(res, 500, text, `${String(error)}\n`),
    )
  }
}

function apiHandler(
  setup: PageServerSetup,
  send: Send,
): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const reads: Readonly<Record<string, (url: URL) => Promise<string>>> = {
    '/api/config': async () => setup.config,
    '/api/decisions': async (url) => {
      const id = url.searchParams.get('rid') ?? ''
      return JSON.stringify({ id, requests: await setup.log.lookup(id) })
    },
  }
  return (req, res, url) => {
    const read = reads[url.pathname]
    if (read !== undefined) {
      if (req.method !== 'GET') return send(res, 405, text, 'GET only\n')
      void read(url).then((body) => send(res, 200, json, body))
      return
    }
    if (url.pathname !== '/api/doctor') return send(res, 404, text, 'not found\n')
    // A JSON POST only: an <img>, a link or a cross-site form cannot send one, and a cross-site fetch()
    // with JSON needs a preflight, which the guard refuses.
    if (req.method !== 'POST') return send(res, 405, text, 'POST a JSON body\n')
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
      return send(res, 415, text, 'the body must be application/json\n')
    void readJson(req)
      .then(
        (body) => doctorRoute(body, { apis: setup.apis, log: setup.log }),
        () => ({ status: 400, body: JSON.stringify({ error: 'the body is not JSON (at most 64 KiB)' }) }),
      )
      .then(({ status, body }) => send(res, status, json, body))
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBody) throw new Error('too large')
    chunks.push(chunk)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
}
