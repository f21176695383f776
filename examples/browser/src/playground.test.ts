import { once } from 'node:events'
import { mkdir } from 'node:fs/promises'
import { type AddressInfo, createServer as createNetServer } from 'node:net'
import { playgroundAdapters } from '@cors/conformance/adapters'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest'
import { type LaunchedBrowser, launchChromium } from './browser.ts'
import { apiNames, examplesPageOrigin, type Playground, startPlayground } from './playground.ts'

// The playground as a person uses it: open the page, send one request, run the matrix, read the
// results off the page. The example policies allow http://localhost:5173, so the browser maps that
// origin to the free port the page server got (the real 5173 may be a running `npm start`).

const screenshot = new URL('../test-results/playground.png', import.meta.url)

let playground: Playground
let browser: LaunchedBrowser
let page: Page
const pageErrors: Error[] = []
let logged: MockInstance<typeof console.error>

beforeAll(async () => {
  // The hono and next examples log the error their /error route throws: expected here, checked below.
  // Kept in a variable: Next wraps console.error in turn, with a wrapper that calls this spy.
  logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  playground = await startPlayground({
    ports: { page: 0, otherPage: 0, ...Object.fromEntries(apiNames.map((name) => [name, 0])) },
    pageOrigin: examplesPageOrigin,
  })
  const { host } = new URL(examplesPageOrigin)
  browser = await launchChromium(`MAP ${host} 127.0.0.1:${playground.ports.page}`)
  page = await browser.context.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(playground.urls.page)
  await page.locator('#status[data-ready="true"]').waitFor()
})

afterAll(async () => {
  await browser?.close()
  await playground?.close()
  vi.restoreAllMocks()
})

describe('the playground page', () => {
  it('lists every adapter API of the list, and both page origins', async () => {
    expect(apiNames).toEqual(playgroundAdapters.map((adapter) => adapter.name))
    expect(await page.locator('#adapter-names').textContent()).toBe(
      playgroundAdapters.map((adapter) => adapter.npm).join(', '),
    )
    const apis = page.locator('select[name="api"] option')
    expect(
      await apis.evaluateAll((options) => options.map((option) => option.getAttribute('value'))),
    ).toEqual([...apiNames])
    expect(await page.locator('select[name="page"] option').allTextContents()).toEqual([
      'http://localhost:5173 (allowed)',
      `${new URL(playground.urls.otherPage).origin} (not allowed)`,
    ])
  })

  it('sends one request from the allowed origin and shows what the page could read', async () => {
    await page.selectOption('select[name="api"]', 'koa')
    await page.click('#request-form button[type="submit"]')
    const verdict = page.locator('#result .verdict')
    await verdict.waitFor()
    expect(await verdict.getAttribute('data-verdict')).toBe('read')
    expect(await verdict.textContent()).toBe('Read: the page got 200 OK')
    // X-Total-Count is exposed by the example policy; the body is the todo list.
    expect(await page.locator('#result table.headers th').allTextContents()).toContain('x-total-count')
    expect(await page.locator('#body').textContent()).toContain('Try @cors/koa')
    expect(await page.locator('#served tbody tr').getAttribute('data-reason')).toBe('allowed')
  })

  it('sends a DELETE from the other origin and shows the refused preflight with the server reason', async () => {
    await page.selectOption('select[name="api"]', 'hono')
    await page.selectOption('select[name="page"]', new URL(playground.urls.otherPage).origin)
    await page.selectOption('select[name="method"]', 'DELETE')
    await page.fill('input[name="path"]', '/todos/1')
    await page.fill('textarea[name="headers"]', 'Authorization: Bearer demo-token')
    await page.click('#request-form button[type="submit"]')
    const verdict = page.locator('#result .verdict[data-verdict="blocked"]')
    await verdict.waitFor()
    expect(await verdict.textContent()).toBe('Blocked: fetch() rejected with TypeError: Failed to fetch')
    expect(await page.locator('#explanation').textContent()).toBe(
      'The server refused the preflight (403, origin-not-allowed), so the browser never sent the DELETE.',
    )
    const served = page.locator('#served tbody tr')
    expect(await served.count()).toBe(1)
    expect(await served.getAttribute('data-reason')).toBe('origin-not-allowed')
    expect(await served.locator('td').first().textContent()).toBe('preflight (OPTIONS) for DELETE')
  })

  it('runs the matrix: every adapter gives the browser the expected verdict', async () => {
    await page.click('#run-all')
    await page.locator('#matrix[data-state="done"]').waitFor({ timeout: 60_000 })
    const cells = await page.locator('#matrix td.cell').evaluateAll((tds) =>
      tds.map((td) => ({
        scenario: td.parentElement?.getAttribute('data-scenario'),
        api: td.getAttribute('data-api'),
        verdict: td.getAttribute('data-verdict'),
        reason: td.getAttribute('data-reason'),
        status: td.getAttribute('data-status'),
        match: td.getAttribute('data-match'),
      })),
    )
    const rows = await page.locator('#matrix tbody tr').count()
    expect(cells).toHaveLength(rows * apiNames.length)
    expect(cells.filter((cell) => cell.match !== 'true')).toEqual([])
    expect(await page.locator('#matrix-summary').textContent()).toBe(
      `${cells.length} of ${cells.length} results as expected.`,
    )

    const row = (id: string) => cells.filter((cell) => cell.scenario === id)
    for (const cell of row('read'))
      expect(cell).toMatchObject({ verdict: 'read', status: '200', reason: 'allowed' })
    for (const cell of row('other-origin'))
      expect(cell).toMatchObject({ verdict: 'blocked', reason: 'origin-not-allowed' })
    for (const cell of row('lower-case-patch'))
      expect(cell).toMatchObject({ verdict: 'blocked', reason: 'method-not-allowed' })
    for (const cell of row('header-not-allowed'))
      expect(cell).toMatchObject({ verdict: 'blocked', reason: 'header-not-allowed' })
    for (const cell of row('error')) expect(cell).toMatchObject({ verdict: 'read', status: '500' })
    expect(row('json-post').map((cell) => cell.status)).toEqual(apiNames.map(() => '201'))
    // The simple POST from another origin: the handler runs and only the read is blocked, except on
    // Next, whose policy's crossOriginProtection answers 403 first; the page says why.
    expect(Object.fromEntries(row('simple-post-other').map((cell) => [cell.api, cell.reason]))).toEqual(
      Object.fromEntries(
        apiNames.map((name) => [
          name,
          name === 'next' ? 'cross-origin-request-refused' : 'origin-not-allowed',
        ]),
      ),
    )
    const expected = page.locator('#matrix tr[data-scenario="simple-post-other"] td.expected')
    expect(await expected.getAttribute('data-reason')).toBe('origin-not-allowed')
    expect(await expected.locator('.exception').allTextContents()).toEqual([
      'next: blocked: cross-origin-request-refused, because its policy turns on crossOriginProtection: a POST from an origin it does not allow gets 403 before the handler runs',
    ])
    // Every other row expects the same of every API.
    expect(await page.locator('#matrix td.expected .exception').count()).toBe(1)

    await mkdir(new URL('.', screenshot), { recursive: true })
    await page.screenshot({ path: screenshot.pathname, fullPage: true })
  })

  it('gives every API its real error and 404 status, whichever servers share the process', async () => {
    // @hono/node-server replaces the global Response unless told not to; h3 2 then sent its own
    // error and 404 answers as a 200 "[object Response]".
    for (const name of apiNames) {
      const api = playground.urls.apis[name]
      const error = await fetch(new URL('/error', api), { headers: { origin: examplesPageOrigin } })
      const missing = await fetch(new URL('/no-such-path', api), { headers: { origin: examplesPageOrigin } })
      expect([name, error.status, missing.status]).toEqual([name, 500, 404])
      expect(error.headers.get('access-control-allow-origin'), name).toBe(examplesPageOrigin)
    }
  })

  it('raised no error in the page, and the servers logged only the /error route', () => {
    expect(pageErrors).toEqual([])
    expect(logged.mock.calls.length).toBeGreaterThan(0)
    for (const args of logged.mock.calls) {
      // Next writes its own mark first (`console.error(' ⨯', error)`); the others, the error alone.
      const error = args.at(-1)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toBe('something broke')
    }
  })
})

describe('the doctor in the playground', () => {
  it('explains a result from both sides: the browser checks and the server reason', async () => {
    await page.selectOption('select[name="api"]', 'fastify')
    await page.selectOption('select[name="page"]', new URL(playground.urls.otherPage).origin)
    await page.selectOption('select[name="method"]', 'DELETE')
    await page.fill('input[name="path"]', '/todos/1')
    await page.fill('textarea[name="headers"]', '')
    await page.click('#request-form button[type="submit"]')
    const doctor = page.locator('#doctor-explained .doctor[data-verdict]')
    await doctor.waitFor()
    expect(await doctor.getAttribute('data-verdict')).toBe('blocked')
    expect(await doctor.locator('.doctor-verdict').getAttribute('data-check')).toBe('preflight-refused')
    expect(await page.locator('#doctor-explained .server-reason').textContent()).toMatch(
      /^origin-not-allowed: /,
    )
  })

  it('diagnoses a URL typed into the form, on the server', async () => {
    const form = page.locator('#doctor-form')
    await form.locator('input[name="url"]').fill(`${playground.urls.apis.koa}/todos`)
    await form.locator('input[name="origin"]').fill(examplesPageOrigin)
    await form.locator('input[name="method"]').fill('GET')
    await form.locator('textarea[name="headers"]').fill('')
    await form.locator('button[type="submit"]').click()
    const allowed = page.locator('#doctor-result .doctor[data-verdict="allowed"]')
    await allowed.waitFor()
    expect(await allowed.locator('.doctor-verdict').textContent()).toBe(
      'Allowed; readable headers: content-length, content-type, x-total-count',
    )
    // The server's logged reason beside the doctor's steps (the URL is one of the example APIs).
    expect(await allowed.locator('.doctor-server li').getAttribute('data-reason')).toBe('allowed')

    await form.locator('input[name="method"]').fill('PUT')
    await form.locator('textarea[name="headers"]').fill('X-Foo: 1')
    await form.locator('button[type="submit"]').click()
    const blocked = page.locator('#doctor-result .doctor[data-verdict="blocked"]')
    await blocked.waitFor()
    expect(await blocked.locator('li[data-check="preflight-needed"]').count()).toBe(1)
    expect(await blocked.locator('.doctor-server li').getAttribute('data-reason')).toBe('header-not-allowed')
    expect(await blocked.locator('.doctor-verdict').getAttribute('data-check')).toBe('preflight-refused')
    expect(await page.locator('#doctor-result pre.doctor-text').textContent()).toContain('Fix: ')

    const closed = createNetServer().listen(0, '127.0.0.1')
    await once(closed, 'listening')
    const { port } = closed.address() as AddressInfo
    closed.close()
    await once(closed, 'close')
    await form.locator('input[name="url"]').fill(`http://127.0.0.1:${port}/`)
    await form.locator('button[type="submit"]').click()
    const failed = page.locator('#doctor-result .doctor[data-verdict="error"]')
    await failed.waitFor()
    expect(await failed.textContent()).toContain('the connection was refused')
  })
})
