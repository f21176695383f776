/**
 * The Connect middlewares of the Express benchmark measured in-process, without Express's router or a
 * real socket: each request is a fresh `IncomingMessage` and `ServerResponse` (the response head and body
 * are written to the response's own buffer), run through the middleware and a handler that answers
 * like the `/data` route. CPU per request, interleaved rounds, minimum and median over the rounds: a
 * measure of the middleware's own cost that a busy machine disturbs far less than the load benchmark.
 *
 *   tsx src/connect-micro.ts [requests per round, default 50000] [rounds, default 15]
 */
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { cors as ours } from '@cors/express'
import peer from 'cors'
import { corsOptions, handWritten, type Kind, kindLabels, kinds, path, requests } from './policy.ts'

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

// The hand-written minimum of frameworks/express.ts, on node:http types.
const handWrittenCors: Middleware = (req, res, next) => {
  const origin = req.headers.origin
  if (origin === undefined || !handWritten.allowed.has(origin)) {
    res.setHeader('vary', 'Origin')
    return next()
  }
  res.setHeader('access-control-allow-origin', origin)
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    for (const [name, value] of Object.entries(handWritten.preflight)) res.setHeader(name, value)
    res.statusCode = 204
    res.end()
    return
  }
  for (const [name, value] of Object.entries(handWritten.actual)) res.setHeader(name, value)
  next()
}

const variants: Record<string, Middleware> = {
  'no CORS': (_req, _res, next) => next(),
  'hand-written': handWrittenCors,
  'peer (cors)': peer({ ...corsOptions, origin: [...corsOptions.origin] }) as unknown as Middleware,
  ours: ours(corsOptions),
}

const socket = new Socket()
// What a server does to each response before the middleware runs: Node gives it its socket (a stand-in
// here that takes no writes, so the head and body stay in the response's buffer) and Express swaps its
// prototype for app.response. Both matter: V8 gives a response that gains a property after the swap a
// map of its own, a cost (issue 20) this benchmark missed while it skipped them.
const expressResponse: object = Object.create(ServerResponse.prototype)
const standIn = {
  _httpMessage: null as unknown,
  writable: false,
  destroyed: false,
  _writableState: { corked: 0 },
  on() {},
  removeListener() {},
  cork() {},
  uncork() {},
}
const body = '[{"id":1,"title":"Ship it"},{"id":2,"title":"Measure it"},{"id":3,"title":"Write it down"}]'

function once(middleware: Middleware, kind: Kind): void {
  const req = new IncomingMessage(socket)
  req.method = requests[kind].method
  req.url = path
  req.headers = { host: '127.0.0.1', ...requests[kind].headers }
  const res = new ServerResponse(req)
  standIn._httpMessage = null
  res.assignSocket(standIn as unknown as Socket)
  Object.setPrototypeOf(res, expressResponse)
  middleware(req, res, () => {
    res.setHeader('x-total-count', '3')
    res.setHeader('content-type', 'application/json; charset=utf-8')
    res.end(body)
  })
}

const perRound = Number(process.argv[2] ?? 50_000)
const rounds = Number(process.argv[3] ?? 15)
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

console.log(`| request | variant | CPU ns/request, min | median | ours − variant (min) |`)
console.log(`|---|---|---:|---:|---:|`)
for (const kind of kinds) {
  const names = Object.keys(variants).filter((name) => kind !== 'preflight' || name !== 'no CORS')
  const samples = new Map<string, number[]>(names.map((name) => [name, []]))
  for (const name of names) for (let i = 0; i < 20_000; i++) once(variants[name]!, kind)
  for (let round = 0; round < rounds; round++) {
    // A rotating order, so no variant always runs right after another.
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length]!
      const start = process.cpuUsage()
      for (let i = 0; i < perRound; i++) once(variants[name]!, kind)
      const used = process.cpuUsage(start)
      samples.get(name)!.push(((used.user + used.system) * 1000) / perRound)
    }
  }
  const best = (name: string) => Math.min(...samples.get(name)!)
  for (const name of names) {
    const delta = name === 'ours' ? '' : `${(best('ours') - best(name)).toFixed(0)}`
    console.log(
      `| ${kindLabels[kind]} | ${name} | ${best(name).toFixed(0)} | ${median(samples.get(name)!).toFixed(0)} | ${delta} |`,
    )
  }
}
