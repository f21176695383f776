// Micro-benchmark: the per-request work of @cors/core next to the `cors` package (Express), for the
// same policy and requests. Both sides do the whole job: read the request headers, decide, and
// write the answer onto a response object. Run: npm run bench (from packages/core).
import cors from 'cors'
import { Bench } from 'tinybench'
import { appendVary, type CorsDecision, createCors, toCorsRequest } from '../dist/index.mjs'
import { parseRequestHeaders, type RequestHeadersWork } from '../src/fetch/headers.ts'

type Headers = Record<string, string>
interface FakeRequest {
  method: string
  headers: Headers
}

// A response that stores headers the way Node's does (lower-case keys), so both sides pay the same.
class FakeResponse {
  statusCode = 200
  headers: Record<string, string | number | string[]> = Object.create(null)
  ended = false
  setHeader(name: string, value: string | number | string[]): this {
    this.headers[name.toLowerCase()] = value
    return this
  }
  getHeader(name: string): string | number | string[] | undefined {
    return this.headers[name.toLowerCase()]
  }
  end(): void {
    this.ended = true
  }
}

const allowed = 'https://app3.example.com'
const origins = [
  'https://app1.example.com',
  'https://app2.example.com',
  allowed,
  'https://app4.example.com',
  'https://app5.example.com',
]
const requests: Record<string, FakeRequest> = {
  preflight: {
    method: 'OPTIONS',
    headers: {
      origin: allowed,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type,x-request-id',
    },
  },
  'allowed GET': { method: 'GET', headers: { origin: allowed } },
  'disallowed GET': { method: 'GET', headers: { origin: 'https://evil.example' } },
  'no Origin GET': { method: 'GET', headers: {} },
}
const common = {
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
  exposedHeaders: ['X-Total-Count'],
  credentials: true as const,
  maxAge: 600,
}
const originSet = new Set(origins)
const policies = {
  'exact list of 5': { ours: origins, theirs: origins },
  'subdomain pattern': { ours: ['https://*.example.com'], theirs: [/^https:\/\/[a-z0-9-]+\.example\.com$/] },
  'async function': {
    ours: async (origin: string) => originSet.has(origin),
    theirs: (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) => {
      Promise.resolve(origin !== undefined && originSet.has(origin)).then((allow) => callback(null, allow))
    },
  },
}

// Hostile preflights: Access-Control-Request-Headers values built to make a parser slow or allocate
// without bound (the class of the rs/cors and hono ReDoS advisories). `cors` does not parse the list:
// with allowedHeaders omitted it echoes the value as it came, so both sides can take every row.
const hostileLists: Record<string, string> = {
  '64 KiB of commas': ','.repeat(64 * 1024),
  '64 KiB of spaces': `a${' '.repeat(64 * 1024)}b`,
  '10,000 items': Array.from({ length: 10_000 }, (_, i) => `x-${i}`).join(','),
  '300 header lines, joined': Array.from({ length: 300 }, () => 'x-a').join(', '),
  '4096 commas (at the length limit)': ','.repeat(4096),
  '2048 names (the 101st stops it)': 'a,'.repeat(2048),
  'spaces between two names': `x-a${' '.repeat(4000)}x-b`,
}
const hostileRequests: Record<string, FakeRequest> = Object.fromEntries(
  Object.entries(hostileLists).map(([name, list]) => [
    `preflight, ${name}`,
    {
      method: 'OPTIONS',
      headers: {
        origin: allowed,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': list,
      },
    },
  ]),
)

type Run = (req: FakeRequest, res: FakeResponse, done: () => void) => void

// What an adapter does: read, decide, write. Synchronous unless the origin function is async.
function ours(options: Parameters<typeof createCors>[0]): Run {
  const policy = createCors(options)
  return (req, res, done) => {
    const pending = policy.decide(toCorsRequest(req.method, (name) => req.headers[name]))
    if (!(pending instanceof Promise)) return write(pending, res, done)
    pending.then((decision) => write(decision, res, done))
  }
}

function write(decision: CorsDecision, res: FakeResponse, done: () => void): void {
  for (const name in decision.headers) res.setHeader(name, decision.headers[name]!)
  if (decision.vary.length > 0)
    res.setHeader('vary', appendVary(res.getHeader('vary') as string | undefined, decision.vary))
  if (decision.respond) {
    res.statusCode = decision.status
    res.end()
  }
  done()
}

// The Express middleware, called as Express would: it either calls next() or ends the response.
function theirs(options: cors.CorsOptions): Run {
  const middleware = cors(options)
  return (req, res, done) => {
    res.end = done
    middleware(req as never, res as never, done)
  }
}

// One task iteration runs a batch of requests, so timer and promise overhead do not swamp the work.
const batch = 1000
function task(run: Run, req: FakeRequest): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      let left = batch
      const next = (): void => {
        while (left > 0) {
          left--
          let sync = true
          let finished = false
          run(req, new FakeResponse(), () => {
            finished = true
            if (!sync) next()
          })
          sync = false
          if (!finished) return
        }
        resolve()
      }
      next()
    })
}

const quick = process.argv.includes('--quick')
// `--protection`: only the crossOriginProtection table (npm run bench -- --protection).
const onlyProtection = process.argv.includes('--protection')
const rows: { policy: string; request: string; ours: number; theirs: number }[] = []
async function measure(policyName: string, runOurs: Run, runTheirs: Run, reqs: Record<string, FakeRequest>) {
  for (const [requestName, req] of Object.entries(reqs)) {
    const bench = new Bench({ time: quick ? 50 : 400, warmup: true })
    bench.add('ours', task(runOurs, req))
    bench.add('cors', task(runTheirs, req))
    await bench.run()
    const ns = (name: string) => {
      const task = bench.getTask(name)!
      const result = task.result as unknown as { latency: { p50: number } }
      return (result.latency.p50 * 1e6) / batch
    }
    rows.push({ policy: policyName, request: requestName, ours: ns('ours'), theirs: ns('cors') })
  }
}
for (const [policyName, policy] of onlyProtection ? [] : Object.entries(policies)) {
  const runOurs = ours({ ...common, origin: policy.ours })
  const runTheirs = theirs({ ...common, origin: policy.theirs as cors.CorsOptions['origin'] })
  await measure(policyName, runOurs, runTheirs, requests)
}
if (!onlyProtection) {
  // Requested headers reflected (allowedHeaders omitted): the path that parses the list.
  const { allowedHeaders: _, ...reflecting } = common
  const runOurs = ours({ ...reflecting, origin: policies['exact list of 5'].ours })
  const runTheirs = theirs({ ...reflecting, origin: policies['exact list of 5'].theirs })
  await measure('exact list of 5, headers reflected', runOurs, runTheirs, hostileRequests)
}

// crossOriginProtection: the same policy with the option off and on, for the requests it must not
// slow down (safe methods; unsafe ones from an allowed origin) and the ones it judges. The machine
// may be shared, so the two run interleaved in many short synchronous rounds (A, B, B, A...), and
// each is reported by its fastest round (the least disturbed) and its median round.
const protectionRequests: Record<string, FakeRequest> = {
  'no Origin GET': requests['no Origin GET']!,
  'allowed GET': requests['allowed GET']!,
  'disallowed GET': requests['disallowed GET']!,
  'allowed POST, Sec-Fetch-Site: cross-site': {
    method: 'POST',
    headers: { origin: allowed, 'sec-fetch-site': 'cross-site', host: 'api.example.com' },
  },
  'disallowed POST, Sec-Fetch-Site: same-origin': {
    method: 'POST',
    headers: { origin: 'https://api.example.com', 'sec-fetch-site': 'same-origin', host: 'api.example.com' },
  },
  'disallowed POST, Sec-Fetch-Site: cross-site (refused)': {
    method: 'POST',
    headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', host: 'api.example.com' },
  },
}
const protectionRows: { request: string; off: number[]; on: number[] }[] = []
{
  const quiet = { ...common, origin: origins, onReject: () => {} }
  const variants = { off: ours(quiet), on: ours({ ...quiet, crossOriginProtection: true }) }
  const perRound = quick ? 2_000 : 20_000
  const rounds = quick ? 6 : 40
  const noop = () => {}
  const round = (run: Run, req: FakeRequest): number => {
    const start = process.hrtime.bigint()
    for (let i = 0; i < perRound; i++) run(req, new FakeResponse(), noop)
    return Number(process.hrtime.bigint() - start) / perRound
  }
  for (const [requestName, req] of Object.entries(protectionRequests)) {
    for (let i = 0; i < 3; i++) {
      round(variants.off, req) // warm-up
      round(variants.on, req)
    }
    const times = { off: [] as number[], on: [] as number[] }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)
      for (const name of order) times[name].push(round(variants[name], req))
    }
    protectionRows.push({
      request: requestName,
      off: times.off.sort((a, b) => a - b),
      on: times.on.sort((a, b) => a - b),
    })
  }
}

if (!onlyProtection) {
  console.log(
    `@cors/core vs cors ${(await import('cors/package.json', { with: { type: 'json' } })).default.version} on Node ${process.version}`,
  )
  console.log('| policy | request | @cors/core (ns/op, median) | cors (ns/op, median) | speed-up |')
  console.log('|---|---|---:|---:|---:|')
  for (const row of rows) {
    console.log(
      `| ${row.policy} | ${row.request} | ${row.ours.toFixed(0)} | ${row.theirs.toFixed(0)} | ${(row.theirs / row.ours).toFixed(1)}x |`,
    )
  }

  // The work behind the hostile rows, counted by the parser itself (where its scan stopped), not timed.
  console.log('\nWork done on hostile Access-Control-Request-Headers (parseRequestHeaders)')
  console.log('| value | length | characters examined | names collected | outcome |')
  console.log('|---|---:|---:|---:|---|')
  for (const [name, list] of Object.entries(hostileLists)) {
    const work: RequestHeadersWork = { examined: 0, items: 0 }
    const result = parseRequestHeaders(list, work)
    const outcome = typeof result === 'string' ? result : `${result.length} names`
    console.log(`| ${name} | ${list.length} | ${work.examined} | ${work.items} | ${outcome} |`)
  }
}

console.log(
  '\ncrossOriginProtection off vs on (exact list of 5; read + decide + write; ns/op, fastest round and median round)',
)
console.log('| request | off: fastest | on: fastest | on / off | off: median | on: median | on / off |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const { request, off, on } of protectionRows) {
  const mid = (values: number[]) => values[Math.floor(values.length / 2)]!
  const cells = [off[0]!, on[0]!, on[0]! / off[0]!, mid(off), mid(on), mid(on) / mid(off)]
  console.log(
    `| ${request} | ${cells.map((v, i) => (i % 3 === 2 ? v.toFixed(2) : v.toFixed(0))).join(' | ')} |`,
  )
}
