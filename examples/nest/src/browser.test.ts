// End to end in Chromium: the README snippets run as they are (main-express.ts, main-consumer.ts with
// app.module.ts, main-fastify.ts, each in its own process), called from a page on another origin.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import {
  type Browser,
  fetchFromPage as call,
  launchChromiumBrowser,
  type Page,
} from '@cors/conformance/chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const mains = ['main-express.ts', 'main-consumer.ts', 'main-fastify.ts'] as const

// Starts one main file with PORT=0 and the page's origin allowed; resolves with its port.
async function start(file: string, origin: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    env: { ...process.env, PORT: '0', CORS_ORIGINS: origin, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Nest logs the errors the tests provoke on stderr: kept, and shown only if the app does not start.
  let errors = ''
  child.stderr!.on('data', (chunk) => {
    errors += String(chunk)
  })
  let out = ''
  for await (const chunk of child.stdout!) {
    out += String(chunk)
    const found = /listening on http:\/\/[^\s]*:(\d+)/.exec(out)
    if (found) return { port: Number(found[1]), child }
  }
  throw new Error(`${file} exited before listening:\n${out}\n${errors}`)
}

describe.each(mains)('NestJS, %s, in Chromium', (file) => {
  let browser: Browser
  let pages: Server
  let pagePort: number
  let api: { port: number; child: ChildProcess }
  const pageAt = async (name: string): Promise<Page> => {
    const page = await browser.newPage()
    await page.goto(`http://${name}.example.test:${pagePort}/`)
    return page
  }
  const base = () => `http://api.example.test:${api.port}`

  beforeAll(async () => {
    pages = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>'),
    )
    pages.listen(0, '127.0.0.1')
    await once(pages, 'listening')
    pagePort = (pages.address() as AddressInfo).port
    api = await start(file, `http://app.example.test:${pagePort}`)
    browser = await launchChromiumBrowser('MAP *.example.test 127.0.0.1')
  })
  afterAll(async () => {
    await browser?.close()
    api?.child.kill()
    pages?.close()
  })

  it('a preflighted POST with credentials is answered, then the page reads the created todo', async () => {
    const page = await pageAt('app')
    const seen = await call(page, `${base()}/todos`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'from the browser' }),
    })
    expect(seen.status).toBe(201)
    expect(JSON.parse(seen.body!)).toMatchObject({ title: 'from the browser' })
    await page.close()
  })

  it('the list is readable, and X-Total-Count is not (the policy exposes no header)', async () => {
    const page = await pageAt('app')
    const seen = await call(page, `${base()}/todos`, { credentials: 'include' })
    expect(seen.status).toBe(200)
    // The headers the page can read: the safelisted Content-Type, not the unexposed count.
    expect(seen.headers).toHaveProperty('content-type')
    expect(seen.headers).not.toHaveProperty('x-total-count')
    await page.close()
  })

  it("Nest's own 500 and 404 reach the page with the CORS headers", async () => {
    const page = await pageAt('app')
    expect(await call(page, `${base()}/todos/error`, { credentials: 'include' })).toMatchObject({
      status: 500,
    })
    expect(await call(page, `${base()}/nowhere`, { credentials: 'include' })).toMatchObject({ status: 404 })
    await page.close()
  })

  it('a page on an origin the policy does not list cannot read the response', async () => {
    const page = await pageAt('evil')
    expect((await call(page, `${base()}/todos`)).error).toMatch(/TypeError/)
    await page.close()
  })
})
