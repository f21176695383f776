// Chromium (the system one, never downloaded): pages on an allowed and on a disallowed origin open a
// `new WebSocket(...)` to every stack, and a Socket.IO client to the Socket.IO server. Host names map to
// 127.0.0.1, so the pages are truly cross-site to the API (app.example.test, evil.attacker.test).
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { launchChromiumBrowser } from '@cors/conformance/chromium'
import { type CorsRejection, createCors } from '@cors/core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Running, stacks } from './test-servers.ts'

const require = createRequire(import.meta.url)
// The browser bundle, from the package's folder (its exports map does not list dist/ files).
const socketIoClient = readFileSync(
  join(dirname(require.resolve('socket.io-client/package.json')), 'dist/socket.io.min.js'),
  'utf8',
)

let browser: Browser
let pages: Server
let pagePort: number

beforeAll(async () => {
  // One page server for both sites: the origin is the host name the browser asked for.
  pages = createServer((req, res) => {
    if (req.url === '/socket.io.js')
      return res.writeHead(200, { 'content-type': 'text/javascript' }).end(socketIoClient)
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><script src="/socket.io.js"></script>')
  })
  pages.listen(0, '127.0.0.1')
  await once(pages, 'listening')
  pagePort = (pages.address() as AddressInfo).port
  browser = await launchChromiumBrowser('MAP *.test 127.0.0.1')
})

afterAll(async () => {
  await browser?.close()
  pages?.closeAllConnections()
  pages?.close()
})

async function pageOn(host: string): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`http://${host}:${pagePort}/`)
  return page
}

// Opens a WebSocket from the page, sends `ping`, resolves with the first message or how it failed.
const openSocket = (page: Page, url: string): Promise<string> =>
  page.evaluate(
    (target) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(target)
        ws.onopen = () => ws.send('ping')
        ws.onmessage = (event) => {
          resolve(`message:${String(event.data)}`)
          ws.close()
        }
        ws.onclose = (event) => resolve(`closed:${event.code}`)
      }),
    url,
  )

// A Socket.IO client in the page, with the given transports: `echo:ping`, or the connect error.
const socketIo = (page: Page, url: string, transports: string[]): Promise<string> =>
  page.evaluate(
    ([target, list]) =>
      new Promise<string>((resolve) => {
        const client = (globalThis as unknown as { io: (url: string, options: object) => SocketIoClient }).io(
          target as string,
          { transports: list, reconnection: false },
        )
        client.on('connect', () => client.emit('message', 'ping'))
        client.on('message', (text) => {
          resolve(String(text))
          client.close()
        })
        client.on('connect_error', (error) => {
          resolve(`connect_error:${String((error as Error).message)}`)
          client.close()
        })
      }),
    [url, transports] as const,
  )

interface SocketIoClient {
  on(event: string, listener: (value: unknown) => void): void
  emit(event: string, value: string): void
  close(): void
}

describe.each(Object.entries(stacks))('Chromium against %s', (name, { start, reason }) => {
  let server: Running
  let api: string
  const refusals: string[] = []
  beforeAll(async () => {
    const onReject = (rejection: CorsRejection) => {
      if (rejection.reason === reason) refusals.push(rejection.message)
    }
    server = await start(
      createCors({ origin: ['http://app.example.test:*'], crossOriginProtection: true, onReject }),
    )
    api = `ws://api.example.test:${new URL(server.origin).port}${server.path}`
  })
  afterAll(() => server.close())

  it('a page on an allowed origin connects; a page on another site is refused before the handler', async () => {
    const allowed = await pageOn('app.example.test')
    const evil = await pageOn('evil.attacker.test')
    try {
      const answer = await openSocket(allowed, api)
      // Socket.IO's first frame is engine.io's open packet; the others echo.
      expect(answer).toMatch(name === 'socket.io' ? /^message:0\{/ : /^message:echo:ping$/)
      const opened = server.opened()
      expect(await openSocket(evil, api)).toBe('closed:1006')
      expect(server.opened()).toBe(opened)
      expect(refusals.at(-1)).toMatch(/evil\.attacker\.test/)
    } finally {
      await allowed.close()
      await evil.close()
    }
  })

  if (name === 'socket.io') {
    it('the Socket.IO client: allowed over polling and websocket, refused from another site', async () => {
      const allowed = await pageOn('app.example.test')
      const evil = await pageOn('evil.attacker.test')
      const url = `http://api.example.test:${new URL(server.origin).port}`
      try {
        expect(await socketIo(allowed, url, ['polling', 'websocket'])).toBe('echo:ping')
        expect(await socketIo(allowed, url, ['websocket'])).toBe('echo:ping')
        const opened = server.opened()
        expect(await socketIo(evil, url, ['polling', 'websocket'])).toMatch(/^connect_error:/)
        expect(await socketIo(evil, url, ['websocket'])).toMatch(/^connect_error:/)
        expect(server.opened()).toBe(opened)
      } finally {
        await allowed.close()
        await evil.close()
      }
    })
  }
})
