// Test clients: a raw handshake that reports the status the server answered, and real clients (`ws`,
// `socket.io-client`) that connect and exchange one message.
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { io } from 'socket.io-client'
import WebSocket from 'ws'
import type { Running } from './test-servers.ts'

/**
 * Sends a WebSocket handshake and resolves with the status of the answer's first line (101 when
 * upgraded), then closes. Read from the raw socket, as soon as the status line arrives.
 */
export async function handshake(server: Running, headers: Record<string, string> = {}): Promise<number> {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  const socket = connect(Number(new URL(server.origin).port), '127.0.0.1')
  socket.on('error', () => {})
  try {
    await once(socket, 'connect')
    socket.write(handshakeText(server, extra))
    let text = ''
    for await (const chunk of socket) {
      text += String(chunk)
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text)
      if (status !== null) return Number(status[1])
    }
    return 0
  } finally {
    socket.destroy()
  }
}

/**
 * Writes raw bytes as a request and resolves with what came back: the answer's head (or what came
 * before the close), or with `whole`, everything until the server ends the connection (a server that
 * keeps it open leaves this pending, and the test fails on its timeout). Never closes its own side first.
 */
export async function raw(server: Running, text: string | Buffer, whole = false): Promise<string> {
  const socket = connect(Number(new URL(server.origin).port), '127.0.0.1')
  socket.on('error', () => {})
  try {
    await once(socket, 'connect')
    socket.write(text)
    let answer = ''
    for await (const chunk of socket) {
      answer += (chunk as Buffer).toString('latin1')
      if (!whole && answer.includes('\r\n\r\n')) break
    }
    return answer
  } finally {
    socket.destroy()
  }
}

/** A handshake request's text, for raw sockets. */
export function handshakeText(server: Running, extra: string): string {
  const key = randomBytes(16).toString('base64')
  return `GET ${server.path} HTTP/1.1\r\nHost: ${new URL(server.origin).host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n${extra}\r\n`
}

/** Opens a raw handshake and resets the connection (RST) as soon as anything comes back. */
export async function resetAfterAnswer(server: Running, extra: string): Promise<void> {
  const socket: Socket = connect(Number(new URL(server.origin).port), '127.0.0.1')
  socket.on('error', () => {})
  await once(socket, 'connect')
  socket.write(handshakeText(server, extra))
  await Promise.race([once(socket, 'data'), once(socket, 'close')])
  socket.resetAndDestroy()
}

/** Connects as a page on `origin` would, sends `ping` and resolves with the answer. */
export async function exchange(server: Running, origin?: string): Promise<string> {
  if (server.path.startsWith('/socket.io/')) return exchangeSocketIo(server, origin, ['websocket'])
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}${server.path}`, origin ? { origin } : {})
  try {
    await once(ws, 'open')
    ws.send('ping')
    const [data] = await once(ws, 'message')
    return String(data)
  } finally {
    ws.close()
  }
}

/** Socket.IO: connects over the given transports, sends `ping` and resolves with the answer. */
export async function exchangeSocketIo(
  server: Running,
  origin: string | undefined,
  transports: ('polling' | 'websocket')[],
): Promise<string> {
  const socket = io(server.origin, {
    transports,
    reconnection: false,
    forceNew: true,
    ...(origin === undefined ? {} : { extraHeaders: { origin } }),
  })
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', reject)
    })
    const answer = new Promise<string>((resolve) => socket.once('message', (text: string) => resolve(text)))
    socket.emit('message', 'ping')
    return await answer
  } finally {
    socket.close()
  }
}
