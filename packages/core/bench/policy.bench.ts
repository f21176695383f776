// Micro-benchmark: what a policy handle, `update` and `shadow` cost per request. The same requests
// go to the bare compiled decider (what `createCors` returned before policies could change), to a
// handle never updated, to a handle updated 100 times, and to a policy with a shadow (answering the
// same, and answering differently: every request a difference, aggregated). Measured twice: the
// whole per-request path of an adapter (read the headers, decide, write the response, as in
// decide.bench.ts), and `decide` alone. Run: npm run bench.
import { Bench } from 'tinybench'
import type { CorsOptions } from '../src/config/options.ts'
import { readOptions } from '../src/config/read.ts'
import { normalize } from '../src/config/validate.ts'
import { compile } from '../src/decide/compile.ts'
import { decider } from '../src/decide/decide.ts'
import { createCors } from '../src/decide/policy.ts'
import { type CorsDecision, type CorsRequest, toCorsRequest } from '../src/decision.ts'

const app = 'https://app3.example.com'
const origins = ['https://app1.example.com', 'https://app2.example.com', app, 'https://app4.example.com']
const options: CorsOptions = {
  origin: [...origins, 'https://*.partner.example'],
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
  exposedHeaders: ['X-Total-Count'],
  credentials: true,
  maxAge: 600,
}
interface Native {
  method: string
  headers: Record<string, string>
}
const requests: Record<string, Native> = {
  'allowed GET': { method: 'GET', headers: { origin: app } },
  'pattern GET': { method: 'GET', headers: { origin: 'https://eu.partner.example' } },
  preflight: {
    method: 'OPTIONS',
    headers: {
      origin: app,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type,x-request-id',
    },
  },
  'disallowed GET': { method: 'GET', headers: { origin: 'https://evil.example' } },
  'no Origin GET': { method: 'GET', headers: {} },
}
const read = (req: Native): CorsRequest => toCorsRequest(req.method, (name) => req.headers[name])

// What an adapter does with the decision: set the headers on a response (a Map stands in for it).
function write(decision: CorsDecision, response: Map<string, string>): void {
  for (const name in decision.headers) response.set(name, decision.headers[name]!)
  if (decision.vary.length > 0) response.set('vary', decision.vary.join(', '))
}

const bare = decider(compile(normalize(readOptions(options).snapshot).normalized))
const updated = createCors(options)
for (let i = 0; i < 100; i++) updated.update({ ...options, maxAge: i })
updated.update(options)
const variants = {
  'bare decider': bare,
  'policy, never updated': createCors(options).decide,
  'policy, updated 100 times': updated.decide,
  'with shadow, same answers': createCors({ ...options, shadow: { ...options }, onShadow: () => {} }).decide,
  'with shadow, every answer differs': createCors({
    ...options,
    shadow: { ...options, origin: ['https://other.example'], maxAge: 60 },
    onShadow: () => {},
  }).decide,
}

const batch = 1000
const quick = process.argv.includes('--quick')
const names = Object.keys(variants)
for (const whole of [true, false]) {
  const table: Record<string, Record<string, number>> = {}
  for (const [requestName, native] of Object.entries(requests)) {
    const request = read(native)
    const bench = new Bench({ time: quick ? 50 : 300, warmup: true })
    for (const [name, decide] of Object.entries(variants))
      bench.add(
        name,
        whole
          ? () => {
              for (let i = 0; i < batch; i++) write(decide(read(native)) as CorsDecision, new Map())
            }
          : () => {
              for (let i = 0; i < batch; i++) decide(request)
            },
      )
    await bench.run()
    for (const task of bench.tasks) {
      const result = task.result as unknown as { latency: { p50: number } }
      table[requestName] ??= {}
      table[requestName][task.name] = (result.latency.p50 * 1e6) / batch
    }
  }
  const what = whole ? 'the per-request path (read, decide, write)' : 'decide alone'
  console.log(`\nPolicy handle, update and shadow: ${what}, ns/op (median), Node ${process.version}`)
  console.log(`| request | ${names.join(' | ')} |`)
  console.log(`|---|${names.map(() => '---:').join('|')}|`)
  for (const [requestName, row] of Object.entries(table))
    console.log(`| ${requestName} | ${names.map((name) => row[name]!.toFixed(0)).join(' | ')} |`)
}
