import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { cors as expressCors } from '@cors/express'
import type { CorsOptions } from '@cors/koa'
import { websocketGuard } from '@cors/websocket'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { type LaunchedBrowser, launchChromium } from './browser.ts'
import { startProtectionDemo } from './protection-demo.ts'
import { adapters, type PageOrigins, startPageServer, type TestServer } from './servers.ts'

// crossOriginProtection in a real browser: Chromium sends the form posts, simple fetch() posts and
// WebSocket handshakes itself, with the Sec-Fetch-Site and Origin it computes, to a real server of
// each framework. The API is http://api.example.test:<port>; pages are on
// - http://www.attacker.test:<port>: another site (Sec-Fetch-Site: cross-site), never allowed;
// - http://evil.example.test:<port>: the same site as the API (same-site), never allowed;
// - http://app.partner.test:<port>: another site, allowed by the policy;
// - the API's own origin (same-origin).

let browser: LaunchedBrowser
let pageServer: Awaited<ReturnType<typeof startPageServer>>
let attacker: string
let partner: string
let evil: string

beforeAll(async () => {
  pageServer = await startPageServer()
  const { port } = new URL(pageServer.origins.app)
  attacker = `http://www.attacker.test:${port}`
  partner = `http://app.partner.test:${port}`
  evil = pageServer.origins.evil
  browser = await launchChromium(
    'MAP *.example.test 127.0.0.1, MAP *.attacker.test 127.0.0.1, MAP *.partner.test 127.0.0.1',
  )
})

afterAll(async () => {
  await browser?.close()
  await pageServer?.close()
})

const open: Page[] = []
// Teardown only: a page whose form navigation is still pending can make page.close() hang (seen once
// in a clean-clone CI run, 60 s). Each close gets 5 s; the browser is closed in afterAll anyway.
afterEach(async () => {
  const closed = open.splice(0).map((page) => page.close().catch(() => {}))
  await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 5_000))])
})

async function pageAt(url: string): Promise<Page> {
  const page = await browser.context.newPage()
  open.push(page)
  await page.goto(url)
  return page
}

/** Submits a real HTML form (POST, text/plain) from the page, and waits for the server's answer. */
async function submitForm(page: Page, action: string): Promise<number> {
  const answered = page.waitForResponse((response) => response.url() === action)
  await page.evaluate((action) => {
    // The suite compiles without DOM types: the few page APIs it uses, typed here.
    interface Element {
      append(child: Element): void
      submit(): void
      [property: string]: unknown
    }
    const { document } = globalThis as unknown as {
      document: { createElement(tag: string): Element; body: Element }
    }
    const form = document.createElement('form')
    form.method = 'POST'
    form.action = action
    // text/plain is one of the three encodings a form may send cross-site without a preflight, and
    // every framework here parses it (Fastify answers 415 to urlencoded without a plugin).
    form.enctype = 'text/plain'
    const input = document.createElement('input')
    input.name = 'amount'
    input.value = '1000'
    form.append(input)
    document.body.append(form)
    form.submit()
  }, action)
  return (await answered).status()
}

/** A simple fetch() POST (no preflight): `no-cors` from a site that may not read, `cors` otherwise. */
function postFromPage(page: Page, url: string, mode: 'cors' | 'no-cors' | 'same-origin'): Promise<string> {
  return page.evaluate(
    async ({ url, mode }) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          mode,
          body: 'amount=1000',
          headers: { 'content-type': 'text/plain' },
        })
        return `read ${response.status}`
      } catch (error) {
        return String(error)
      }
    },
    { url, mode },
  )
}

const statuses = (server: TestServer, method: string) =>
  server.exchanges.filter((e) => e.method === method && e.path === '/data').map((e) => e.status)

describe.each(adapters)('$name: crossOriginProtection in Chromium', ({ start }) => {
  const policy = (protection: boolean): CorsOptions => ({
    origin: [pageServer.origins.app, partner],
    ...(protection ? { crossOriginProtection: true } : {}),
  })

  it('without it, a cross-site form post and a simple fetch POST reach the handler (what CORS cannot stop)', async () => {
    const server = await start(policy(false))
    try {
      const page = await pageAt(`${attacker}/`)
      expect(await postFromPage(page, `${server.origin}/data`, 'no-cors')).toBe('read 0')
      expect(await submitForm(page, `${server.origin}/data`)).toBe(200)
      await server.settled()
      expect(statuses(server, 'POST')).toEqual([200, 200])
    } finally {
      await server.close()
    }
  })

  it('with it, a cross-site form post and fetch POST from a disallowed origin never reach the handler', async () => {
    const server = await start(policy(true))
    try {
      const page = await pageAt(`${attacker}/`)
      // The page cannot tell (no-cors responses are opaque); the server answered 403 before the handler.
      expect(await postFromPage(page, `${server.origin}/data`, 'no-cors')).toBe('read 0')
      expect(await submitForm(page, `${server.origin}/data`)).toBe(403)
      const sameSite = await pageAt(`${evil}/`)
      expect(await postFromPage(sameSite, `${server.origin}/data`, 'no-cors')).toBe('read 0')
      expect(await submitForm(sameSite, `${server.origin}/data`)).toBe(403)
      await server.settled()
      expect(statuses(server, 'POST')).toEqual([403, 403, 403, 403])
      expect(server.rejections.filter((r) => r === 'cross-origin-request-refused')).toHaveLength(4)
    } finally {
      await server.close()
    }
  })

  it('with it, the allowed origins (cross-site and same-site) and the same origin still reach the handler', async () => {
    const server = await start(policy(true))
    try {
      const fromPartner = await pageAt(`${partner}/`)
      expect(await postFromPage(fromPartner, `${server.origin}/data`, 'cors')).toBe('read 200')
      expect(await submitForm(fromPartner, `${server.origin}/data`)).toBe(200)
      const fromApp = await pageAt(`${pageServer.origins.app}/`)
      expect(await postFromPage(fromApp, `${server.origin}/data`, 'cors')).toBe('read 200')
      // A page on the API's own origin (its /data document) posting to itself.
      const same = await pageAt(`${server.origin}/data`)
      expect(await postFromPage(same, `${server.origin}/data`, 'same-origin')).toBe('read 200')
      expect(await submitForm(same, `${server.origin}/data`)).toBe(200)
      await server.settled()
      expect(statuses(server, 'POST')).toEqual([200, 200, 200, 200, 200])
      expect(server.rejections).not.toContain('cross-origin-request-refused')
    } finally {
      await server.close()
    }
  })
})

// A WebSocket server on node:http, as `ws` or socket.io run one: the handshake arrives in the
// server's 'upgrade' event, where @cors/express runs first (the recipe of its README).
async function startWebSocketServer(options: CorsOptions) {
  const handshakes: { origin: string; status: number }[] = []
  const rejections: string[] = []
  const sockets = new Set<Socket>()
  const protect = expressCors({ ...(options as object), onReject: (r) => rejections.push(r.reason) })
  const server = createServer((_req, res) => res.end('ok'))
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    sockets.add(socket)
    const origin = req.headers.origin ?? '(none)'
    const res = new ServerResponse(req)
    res.assignSocket(socket)
    res.shouldKeepAlive = false
    res.on('finish', () => {
      handshakes.push({ origin, status: res.statusCode })
      socket.destroySoon()
    })
    protect(req, res, () => {
      res.detachSocket(socket)
      handshakes.push({ origin, status: 101 })
      const accept = createHash('sha1')
        .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
        .digest('base64')
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      )
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://api.example.test:${port}/ws`,
    handshakes,
    rejections,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}

function openWebSocket(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url)
        ws.onopen = () => {
          resolve('open')
          ws.close()
        }
        ws.onerror = () => resolve('error')
      }),
    url,
  )
}

describe('@cors/express on a node:http upgrade: WebSockets in Chromium', () => {
  it('a WebSocket from a disallowed origin is refused (403); from an allowed origin it opens', async () => {
    const origins: PageOrigins = pageServer.origins
    const server = await startWebSocketServer({ origin: [origins.app, partner], crossOriginProtection: true })
    try {
      expect(await openWebSocket(await pageAt(`${attacker}/`), server.url)).toBe('error')
      expect(await openWebSocket(await pageAt(`${evil}/`), server.url)).toBe('error')
      expect(await openWebSocket(await pageAt(`${partner}/`), server.url)).toBe('open')
      expect(await openWebSocket(await pageAt(`${origins.app}/`), server.url)).toBe('open')
      expect(server.handshakes).toEqual([
        { origin: attacker, status: 403 },
        { origin: evil, status: 403 },
        { origin: partner, status: 101 },
        { origin: origins.app, status: 101 },
      ])
      expect(server.rejections.filter((r) => r === 'cross-origin-request-refused')).toHaveLength(2)
    } finally {
      await server.close()
    }
  })

  it('without it, the same WebSocket from a disallowed origin opens (CORS never covers WebSockets)', async () => {
    const server = await startWebSocketServer({ origin: [pageServer.origins.app] })
    try {
      expect(await openWebSocket(await pageAt(`${attacker}/`), server.url)).toBe('open')
      expect(server.handshakes).toEqual([{ origin: attacker, status: 101 }])
    } finally {
      await server.close()
    }
  })
})

describe('the playground demo: a cross-site form post with the option off and on', () => {
  it('reaches the handler with the option off, and is refused (403) with it on', async () => {
    const demo = await startProtectionDemo()
    try {
      const page = await pageAt(demo.url)
      for (const [api, status] of [
        ['off', 200],
        ['on', 403],
      ] as const) {
        const answered = page.waitForResponse(`${demo.apis[api]}/transfer`)
        await page.click(`#${api}-submit`)
        expect((await answered).status()).toBe(status)
      }
      expect(demo.transfers('off')).toBe(1)
      expect(demo.transfers('on')).toBe(0)
      const frame = page.frame({ name: 'off-result' })!
      await expect.poll(() => frame.textContent('body')).toContain('The handler ran')
    } finally {
      await demo.close()
    }
  })
})

// @cors/websocket as its README shows it for `ws`: `verifyClient: guard.verifyClient`, the same
// allow-list as the HTTP adapters, on a real WebSocketServer. Browsers apply no CORS to WebSockets, so
// this guard is the only thing between a page on another site and the socket.
async function startGuardedWs(options: CorsOptions) {
  const rejections: string[] = []
  const guard = websocketGuard({ ...(options as object), onReject: (r) => rejections.push(r.reason) })
  const server = createServer((_req, res) => res.end('ok'))
  const wss = new WebSocketServer({ server, verifyClient: guard.verifyClient })
  wss.on('connection', (ws) => ws.on('error', () => {}))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://api.example.test:${port}/ws`,
    rejections,
    close: async () => {
      wss.close()
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

describe('@cors/websocket on a ws server: WebSockets in Chromium', () => {
  it('refuses a WebSocket from another site and from a same-site origin not allowed; allowed origins open', async () => {
    const { app } = pageServer.origins
    const server = await startGuardedWs({ origin: [app, partner] })
    try {
      expect(await openWebSocket(await pageAt(`${attacker}/`), server.url)).toBe('error')
      expect(await openWebSocket(await pageAt(`${evil}/`), server.url)).toBe('error')
      expect(await openWebSocket(await pageAt(`${partner}/`), server.url)).toBe('open')
      expect(await openWebSocket(await pageAt(`${app}/`), server.url)).toBe('open')
      expect(server.rejections).toHaveLength(2)
    } finally {
      await server.close()
    }
  })
})
