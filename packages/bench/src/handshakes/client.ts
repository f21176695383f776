/**
 * The handshake client, the same for every variant and kept cheap (the server's CPU is what is
 * measured): a raw TCP connection writes one prebuilt upgrade request, reads the status line, and is
 * destroyed, whether the answer was `101` or a refusal.
 */
import { connect } from 'node:net'
import { performance } from 'node:perf_hooks'
import { type HandshakeKind, handshakeOrigins } from './policy.ts'

// Any 16 bytes in base64 will do: the server computes Sec-WebSocket-Accept from it either way.
const key = 'dGhlIHNhbXBsZSBub25jZQ=='

/** The upgrade request of one kind, as a browser's `new WebSocket()` sends it (less the cookies). */
export function handshakeRequest(port: number, kind: HandshakeKind): Buffer {
  const origin = handshakeOrigins[kind]
  const lines = [
    'GET / HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    ...(origin === undefined ? [] : [`Origin: ${origin}`]),
  ]
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
}

/** One handshake: the status the server answered (101, 403, ...), after which the socket is destroyed. */
export function handshake(port: number, request: Buffer, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true })
    let head = ''
    const fail = (error: Error): void => {
      socket.destroy()
      reject(error)
    }
    socket.setTimeout(timeoutMs, () => fail(new Error(`no answer to the handshake within ${timeoutMs} ms`)))
    socket.on('error', fail)
    socket.on('end', () => fail(new Error('the server closed the connection without an answer')))
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1')
      const eol = head.indexOf('\r\n')
      if (eol === -1) return
      socket.removeAllListeners('end')
      socket.destroy()
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head.slice(0, eol))
      if (status === null) reject(new Error(`not an HTTP answer: ${head.slice(0, eol)}`))
      else resolve(Number(status[1]))
    })
    socket.write(request)
  })
}

export interface HandshakeLoad {
  handshakes: number
  seconds: number
  /** 99th percentile of one handshake, connect to status line, milliseconds. */
  p99: number
  /** Failed handshakes and answers other than the expected status. */
  errors: number
  /** The client process's own CPU time per handshake, µs: near the server's, the client set the pace. */
  clientCpu: number
}

/**
 * Handshakes of one kind for `milliseconds`, `connections` at a time, each loop starting the next as
 * soon as its last one is answered. Handshakes answered with another status than `expected` are
 * counted as errors, not as handshakes.
 */
export async function loadHandshakes(options: {
  port: number
  kind: HandshakeKind
  milliseconds: number
  connections: number
  expected: number
}): Promise<HandshakeLoad> {
  const request = handshakeRequest(options.port, options.kind)
  const cpu = process.cpuUsage()
  const started = performance.now()
  const end = started + options.milliseconds
  const latencies: number[] = []
  let errors = 0
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const at = performance.now()
      try {
        if ((await handshake(options.port, request)) === options.expected)
          latencies.push(performance.now() - at)
        else errors++
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, loop))
  const used = process.cpuUsage(cpu)
  latencies.sort((a, b) => a - b)
  return {
    handshakes: latencies.length,
    seconds: (performance.now() - started) / 1000,
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Number.NaN,
    errors,
    clientCpu: (used.user + used.system) / Math.max(1, latencies.length + errors),
  }
}
