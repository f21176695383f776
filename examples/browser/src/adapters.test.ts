import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LaunchedBrowser, launchChromium } from './browser.ts'
import { type BrowserScenario, type PageFetch, scenarios } from './scenarios.ts'
import { adapters, type PageOrigins, startPageServer } from './servers.ts'

// The browser's verdict, per adapter: every scenario of scenarios.ts runs in Chromium against a real
// server of each framework, started with that scenario's policy.

/** What the page saw: the response it could read, or the TypeError of a blocked read. */
interface PageResult {
  readonly read: boolean
  readonly status?: number
  /** The headers JavaScript can read (lower-case names). */
  readonly headers?: Readonly<Record<string, string>>
  readonly error?: string
}

let browser: LaunchedBrowser
let pageServer: Awaited<ReturnType<typeof startPageServer>>
const pages = new Map<keyof PageOrigins, Page>()

beforeAll(async () => {
  pageServer = await startPageServer()
  browser = await launchChromium('MAP *.example.test 127.0.0.1')
  for (const [name, origin] of Object.entries(pageServer.origins) as [keyof PageOrigins, string][]) {
    const page = await browser.context.newPage()
    await page.goto(`${origin}/`)
    pages.set(name, page)
  }
})

afterAll(async () => {
  await browser?.close()
  await pageServer?.close()
})

/** Runs the same fetch() `times` times in the page, one after the other. */
function runInPage(page: Page, url: string, request: PageFetch, times: number): Promise<PageResult[]> {
  const { path: _path, ...init } = request
  return page.evaluate(
    async ({ url, init, times }) => {
      const results: PageResult[] = []
      for (let i = 0; i < times; i++) {
        try {
          const response = await fetch(url, init)
          await response.arrayBuffer()
          results.push({ read: true, status: response.status, headers: Object.fromEntries(response.headers) })
        } catch (error) {
          results.push({ read: false, error: String(error) })
        }
      }
      return results
    },
    { url, init, times },
  )
}

function check(scenario: BrowserScenario, result: PageResult): void {
  const { want } = scenario
  if (!want.read) {
    // A blocked read is a network error: fetch() rejects with a TypeError and nothing else.
    expect(result).toEqual({ read: false, error: expect.stringMatching(/^TypeError: /) })
    return
  }
  expect(result.read, result.error).toBe(true)
  if (want.status !== undefined) expect(result.status).toBe(want.status)
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    const seen = result.headers?.[name]
    if (value === null) expect(seen, `${name} should be hidden from the page`).toBeUndefined()
    else if (value instanceof RegExp) expect(seen).toMatch(value)
    else expect(seen).toBe(value)
  }
}

describe.each(adapters)('$name in Chromium', ({ start }) => {
  it.each(scenarios)('$name', async (scenario) => {
    const server = await start(scenario.policy(pageServer.origins))
    try {
      const page = pages.get(scenario.from)!
      const times = scenario.times ?? 1
      const results = await runInPage(page, server.origin + scenario.fetch.path, scenario.fetch, times)
      await server.settled()
      expect(results).toHaveLength(times)
      for (const result of results) check(scenario, result)
      for (const [request, count] of Object.entries(scenario.want.requests)) {
        const [method, path] = request.split(' ') as [string, string]
        expect(server.count(method, path), `${request} requests received`).toBe(count)
      }
      if (scenario.want.statuses !== undefined) {
        expect(server.exchanges.map((e) => e.status)).toEqual(scenario.want.statuses)
      }
      expect(server.rejections).toEqual(scenario.want.rejections ?? [])
    } finally {
      await server.close()
    }
  })
})
