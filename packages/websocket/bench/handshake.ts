// What the guard costs per handshake, next to the `verifyClient` a careful user writes by hand (a Set
// of allowed origins, and the same-origin and Sec-Fetch-Site checks). Two measures:
// - in process: the verifyClient call alone, on a handshake's IncomingMessage fields;
// - over loopback: whole handshakes (connect, upgrade, close) to a real `ws` server with each.
// Run: npm run bench -w @cors/websocket. Not part of npm test.
import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
// The built package, as users run it (a TypeScript loader would wrap every closure made per call).
import { type VerifyClient, websocketGuard } from '@cors/websocket'
import WebSocket, { WebSocketServer } from 'ws'

const allowedOrigins = ['https://app.example.com', 'https://admin.example.com']
const guard = websocketGuard({ origin: allowedOrigins })

const allowed = new Set(allowedOrigins)
const handWritten: VerifyClient = (info, callback) => {
  const { origin, host } = info.req.headers
  const site = info.req.headers['sec-fetch-site']
  if (origin === undefined || site === 'same-origin' || site === 'none') return callback(true)
  if (allowed.has(origin) || (site === undefined && origin.replace(/^https?:\/\//, '') === host))
    return callback(true)
  callback(false, 403)
}

const request = (headers: Record<string, string>) =>
  ({
    method: 'GET',
    headers: { host: 'api.example.com', upgrade: 'websocket', ...headers },
  }) as IncomingMessage

const cases: [string, IncomingMessage][] = [
  ['allowed origin', request({ origin: 'https://app.example.com', 'sec-fetch-site': 'same-site' })],
  ['refused origin', request({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })],
  ['same-origin page', request({ origin: 'https://api.example.com', 'sec-fetch-site': 'same-origin' })],
  ['no Origin', request({})],
]

function perCall(verify: VerifyClient, req: IncomingMessage): number {
  const info = { origin: req.headers.origin ?? '', secure: true, req }
  let accepted = 0
  const done = (result: boolean) => {
    if (result) accepted++
  }
  for (let i = 0; i < 50_000; i++) verify(info, done) // warm-up
  const rounds = 500_000
  const start = process.hrtime.bigint()
  for (let i = 0; i < rounds; i++) verify(info, done)
  return Number(process.hrtime.bigint() - start) / rounds + accepted * 0
}

async function overLoopback(verify: VerifyClient, handshakes: number): Promise<number> {
  const server = createServer()
  const wss = new WebSocketServer({ server, verifyClient: verify })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
  const one = async () => {
    const ws = new WebSocket(url, { origin: 'https://app.example.com' })
    await once(ws, 'open')
    ws.terminate()
  }
  for (let i = 0; i < 200; i++) await one() // warm-up
  const start = process.hrtime.bigint()
  for (let i = 0; i < handshakes; i++) await one()
  const micros = Number(process.hrtime.bigint() - start) / handshakes / 1000
  wss.close()
  server.closeAllConnections()
  server.close()
  return micros
}

console.log('in process, ns per verifyClient call (500,000 calls each)')
console.log('case'.padEnd(20), 'guard'.padStart(8), 'by hand'.padStart(8))
for (const [name, req] of cases) {
  const ours = perCall(guard.verifyClient, req)
  const theirs = perCall(handWritten, req)
  console.log(name.padEnd(20), ours.toFixed(0).padStart(8), theirs.toFixed(0).padStart(8))
}
// Alternating rounds, so the machine's load falls on both alike; the median round of each is reported.
const handshakes = 1000
const rounds: Record<'guard' | 'by hand', number[]> = { guard: [], 'by hand': [] }
for (let round = 0; round < 3; round++) {
  rounds.guard.push(await overLoopback(guard.verifyClient, handshakes))
  rounds['by hand'].push(await overLoopback(handWritten, handshakes))
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!.toFixed(1)
console.log(
  `\nover loopback, µs per whole handshake (3 alternating rounds of ${handshakes}, allowed origin, median)`,
)
console.log(`guard ${median(rounds.guard)}   by hand ${median(rounds['by hand'])}`)
