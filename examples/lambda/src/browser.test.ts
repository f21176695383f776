// End to end in Chromium: a page on one origin calls a Lambda handler on another, through the local
// HTTP -> event bridge, once per event kind. What is checked is what the browser lets the page read.
import { once } from 'node:events'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type Browser,
  fetchFromPage as call,
  launchChromiumBrowser,
  type Page,
} from '@cors/conformance/chromium'
import { type LambdaHttpEvent, withCors } from '@cors/lambda'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { conformanceApp } from '../../../packages/lambda/test/app.ts'
import { eventKinds } from '../../../packages/lambda/test/events.ts'
import { bridge, type EventKind } from './bridge.ts'

const host = 'MAP *.example.test 127.0.0.1'

async function listen(
  listener: RequestListener,
  log: string[] = [],
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    log.push(req.method ?? '')
    listener(req, res)
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, port: (server.address() as AddressInfo).port }
}

describe('@cors/lambda in Chromium, through the HTTP -> event bridge', () => {
  let browser: Browser
  let pages: { server: Server; port: number }
  const servers: Server[] = []
  const pageAt = async (name: string): Promise<Page> => {
    const page = await browser.newPage()
    await page.goto(`http://${name}.example.test:${pages.port}/`)
    return page
  }

  beforeAll(async () => {
    pages = await listen((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>'),
    )
    browser = await launchChromiumBrowser(host)
  })
  afterAll(async () => {
    await browser?.close()
    for (const server of [pages.server, ...servers]) server.close()
  })

  async function api(kind: EventKind, extraHeaders: [string, string][] = []) {
    let calls = 0
    const handler = withCors(
      conformanceApp(kind, () => {
        calls++
      }) as (event: LambdaHttpEvent) => Promise<never>,
      {
        origin: [`http://app.example.test:${pages.port}`],
        credentials: true,
        allowedHeaders: ['x-requested-with', 'content-type'],
        exposedHeaders: ['x-total'],
        onReject: () => {},
      },
    )
    const received: string[] = []
    const { server, port } = await listen(bridge(handler, kind, extraHeaders), received)
    servers.push(server)
    return { base: `http://api.example.test:${port}`, calls: () => calls, received }
  }

  describe.each(eventKinds)('%s events', (kind) => {
    it('a preflighted PUT from an allowed page: answered without the handler, then read', async () => {
      const { base, calls, received } = await api(kind)
      const page = await pageAt('app')
      const seen = await call(page, `${base}/ok`, {
        method: 'PUT',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'fetch' },
        body: '{}',
      })
      expect(seen).toMatchObject({ status: 200, body: 'ok' })
      expect(received).toEqual(['OPTIONS', 'PUT'])
      expect(calls()).toBe(1)
      await page.close()
    })

    it('an error thrown by the handler reaches the page as a readable 500, not a CORS error', async () => {
      const { base } = await api(kind)
      const page = await pageAt('app')
      const log = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        const seen = await call(page, `${base}/throw`, { credentials: 'include' })
        expect(seen).toMatchObject({ status: 500, body: 'Internal Server Error' })
        expect(log).toHaveBeenCalledOnce()
      } finally {
        log.mockRestore()
      }
      await page.close()
    })

    it('a page on an origin the policy does not list cannot read the response', async () => {
      const { base, calls } = await api(kind)
      const page = await pageAt('evil')
      expect((await call(page, `${base}/ok`)).error).toMatch(/TypeError/)
      expect(calls()).toBe(1)
      await page.close()
    })
  })

  it("with the platform's own CORS setting on as well, two Allow-Origin values fail in the browser", async () => {
    // What a Function URL with its CORS configuration set adds to every response of the function.
    const { base } = await api('function-url', [['access-control-allow-origin', '*']])
    const page = await pageAt('app')
    const messages: string[] = []
    page.on('console', (message) => messages.push(message.text()))
    expect((await call(page, `${base}/get-only`)).error).toMatch(/TypeError/)
    expect(messages.join('\n')).toMatch(/multiple values/)
    await page.close()
  })
})
