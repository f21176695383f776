import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Browser, launchChromiumBrowser, type Page } from '@cors/conformance/chromium'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

// The two apps `next start` serves (test/global-setup.ts), driven by the system Chromium from pages
// on realistic origins: every *.test host resolves to 127.0.0.1, so app.example.test (allowed by the
// example's policy) and evil.test (another site) are both this file's page server.

let browser: Browser
let pages: Server
let app: string
let evil: string
const api16 = `http://api.example.test:${inject('next16')}`
const api15 = `http://api.example.test:${inject('next15')}`

beforeAll(async () => {
  pages = createServer((_, res) => res.end('<!doctype html><title>page</title><p>a page</p>'))
  pages.listen(0, '127.0.0.1')
  await once(pages, 'listening')
  const { port } = pages.address() as AddressInfo
  app = `http://app.example.test:${port}`
  evil = `http://evil.test:${port}`
  browser = await launchChromiumBrowser('MAP *.test 127.0.0.1')
})

afterAll(async () => {
  await browser?.close()
  pages?.close()
})

interface Read {
  status?: number
  body?: string
  total?: string | null
  redirected?: boolean
  error?: string
}

/** `fetch` from a page on `origin`, as its script would: the status and body, or the error a page sees. */
async function fetchFrom(origin: string, url: string, init: RequestInit = {}): Promise<Read> {
  const page = await browser.newPage()
  try {
    await page.goto(`${origin}/`)
    return await page.evaluate(
      async ([url, init]) => {
        try {
          const response = await fetch(url, init)
          const read = { status: response.status, total: response.headers.get('x-total-count') }
          return { ...read, redirected: response.redirected, body: await response.text() }
        } catch (error) {
          return { error: String(error) }
        }
      },
      [url, init] as const,
    )
  } finally {
    await page.close()
  }
}

const json = (body: unknown, credentials: RequestCredentials = 'include'): RequestInit => ({
  method: 'POST',
  credentials,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

describe('Next 16 (proxy.ts) in Chromium', () => {
  it('a preflighted POST to a POST-only route (no OPTIONS export) succeeds', async () => {
    const read = await fetchFrom(app, `${api16}/api/upload`, json({ a: 1 }))
    expect(read).toMatchObject({ status: 201, body: '{"received":7}' })
  })

  it("the page reads a route's thrown error as a 500 and Next's 404 page as a 404, not as CORS errors", async () => {
    expect(await fetchFrom(app, `${api16}/api/boom`, { credentials: 'include' })).toMatchObject({
      status: 500,
    })
    expect(await fetchFrom(app, `${api16}/no/such/page`, { credentials: 'include' })).toMatchObject({
      status: 404,
    })
  })

  it('the proxy composed with app logic: redirect followed, rewrite read, auth refusal readable', async () => {
    const redirected = await fetchFrom(app, `${api16}/old/todos`, { credentials: 'include' })
    expect(redirected).toMatchObject({ status: 200, redirected: true, total: '1' })
    expect(await fetchFrom(app, `${api16}/api/v1/todos`)).toMatchObject({ status: 200, total: '1' })
    expect(await fetchFrom(app, `${api16}/api/private`)).toMatchObject({ status: 401 })
    const authorized = await fetchFrom(app, `${api16}/api/private`, {
      headers: { authorization: 'Bearer t' },
    })
    expect(authorized).toMatchObject({ status: 200, body: '{"secret":42}' })
  })

  it('a route file with withCorsRoutes (outside the matcher): preflighted POST, and its thrown error as a 500', async () => {
    expect(await fetchFrom(app, `${api16}/direct/items`, json({ name: 'pen' }))).toMatchObject({
      status: 201,
    })
    expect(await fetchFrom(app, `${api16}/direct/items`, json({}))).toMatchObject({ status: 500 })
  })

  it('a page on another site cannot read, and its preflight is refused', async () => {
    expect((await fetchFrom(evil, `${api16}/api/todos`)).error).toContain('TypeError')
    expect((await fetchFrom(evil, `${api16}/api/upload`, json({ a: 1 }))).error).toContain('TypeError')
  })
})

/** Submits a form from a page on `origin` to `action`; resolves with the status the post was answered with. */
async function postForm(page: Page, origin: string, action: string): Promise<number> {
  await page.goto(`${origin}/`)
  // The refusal is a 403 with an empty body: Chromium shows its own error page, so the response is
  // awaited rather than the navigation.
  const answered = page.waitForResponse((response) => response.request().method() === 'POST')
  await page.evaluate((action) => {
    const form = document.createElement('form')
    form.method = 'POST'
    form.action = action
    const note = document.createElement('input')
    note.name = 'note'
    note.value = 'from another site'
    form.append(note)
    document.body.append(form)
    form.submit()
  }, action)
  return (await answered).status()
}

describe('crossOriginProtection in Chromium (Next 16)', () => {
  it("refuses another site's form post to the Server Action's page and to a route handler", async () => {
    for (const action of [`${api16}/`, `${api16}/api/todos`]) {
      const page = await browser.newPage()
      try {
        expect(await postForm(page, evil, action), action).toBe(403)
      } finally {
        await page.close()
      }
    }
  })

  it("lets the app's own page run its Server Action (same origin)", async () => {
    const page = await browser.newPage()
    try {
      await page.goto(`${api16}/`)
      const action = page.waitForResponse(
        (response) => response.request().headers()['next-action'] !== undefined,
      )
      await page.click('button[type=submit]')
      expect((await action).status()).toBe(200)
    } finally {
      await page.close()
    }
  })
})

describe('Next 15 (middleware.ts) in Chromium', () => {
  it('a preflighted POST to a POST-only route succeeds and the exposed header is readable', async () => {
    // This policy has no credentials: the page sends none.
    const read = await fetchFrom(app, `${api15}/api/hello`, json('hi', 'omit'))
    expect(read).toMatchObject({ status: 200, body: '{"hello":"\\"hi\\""}', total: '1' })
    expect((await fetchFrom(evil, `${api15}/api/hello`, json('hi', 'omit'))).error).toContain('TypeError')
  })
})
