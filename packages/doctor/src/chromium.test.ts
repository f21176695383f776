import { chromiumAdapters } from '@cors/conformance/adapters'
import type { CorsOptions } from '@cors/core'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adapters, type LoggedServer, startMistakes, startPages } from '../test/chromium-servers.ts'
import { policies, type Row, rows } from '../test/chromium-table.ts'
import { diagnose } from './diagnose.ts'

// Agreement with the real browser: every row runs as fetch() in a page in Chromium and through
// diagnose() against the same server. The verdict, whether a preflight went out and the headers the
// page can read must be the same; any difference is a doctor bug.

const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

let browser: Browser
let pages: LoggedServer
const servers: Partial<Record<Row['server'], LoggedServer>> = {}
const tabs = new Map<'allowed' | 'refused', Page>()
const origins = { allowed: '', refused: '' }

beforeAll(async () => {
  pages = await startPages()
  const port = new URL(pages.url).port
  origins.allowed = `http://localhost:${port}`
  origins.refused = `http://127.0.0.1:${port}`
  for (const [name, options] of Object.entries(policies(origins.allowed)) as [
    keyof typeof adapters,
    CorsOptions,
  ][]) {
    servers[name] = await adapters[name]({ ...options, onReject: () => {} } as CorsOptions)
  }
  servers.mistakes = await startMistakes(() => servers.koa!.url)
  browser = await chromium.launch({ executablePath, args, timeout: 30_000 })
  const context = await browser.newContext()
  for (const from of ['allowed', 'refused'] as const) {
    const page = await context.newPage()
    await page.goto(`${origins[from]}/`)
    tabs.set(from, page)
  }
}, 60_000)

afterAll(async () => {
  await browser?.close()
  for (const server of [pages, ...Object.values(servers)]) await server?.close()
})

interface Seen {
  readonly verdict: 'allowed' | 'blocked'
  readonly status: number | null
  readonly readableHeaders: readonly string[]
}

function inPage(page: Page, url: string, row: Row): Promise<Seen> {
  const init = {
    method: row.method ?? 'GET',
    headers: row.headers ?? [],
    credentials: row.credentials === true,
  }
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, {
          method: init.method,
          headers: init.headers as [string, string][],
          credentials: init.credentials ? 'include' : 'same-origin',
        })
        await response.arrayBuffer()
        return {
          verdict: 'allowed',
          status: response.status,
          readableHeaders: [...response.headers.keys()],
        } as const
      } catch {
        return { verdict: 'blocked', status: null, readableHeaders: [] } as const
      }
    },
    { url, init },
  )
}

const label = (row: Row, index: number) =>
  `${index + 1}. ${row.server}${row.mistake ? `/${row.mistake}` : ''} ${row.method ?? 'GET'} from ${row.from ?? 'allowed'}${row.credentials ? ' with credentials' : ''}${row.headers ? ` ${row.headers.map(([n, v]) => `${n}: ${v.length > 20 ? `${v.slice(0, 20)}…(${v.length})` : v}`).join('; ')}` : ''}`

describe('doctor and Chromium agree', () => {
  it('covers at least 60 requests, on every adapter of the list', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60)
    expect(new Set(rows.map((row) => row.server))).toEqual(
      new Set([...chromiumAdapters.map((adapter) => adapter.name), 'mistakes']),
    )
  })

  it.each(rows.map((row, index) => [label(row, index), row, index] as const))(
    '%s',
    async (_label, row, index) => {
      const server = servers[row.server]!
      const path = `/${row.mistake ?? 'data'}/row-${index}`
      const url = `${server.url}${path}`
      const from = row.from ?? 'allowed'
      const seen = await inPage(tabs.get(from)!, url, row)
      const preflightSent = server.log.includes(`OPTIONS ${path}`)
      const diagnosis = await diagnose(url, {
        origin: origins[from],
        method: row.method ?? 'GET',
        headers: row.headers ?? [],
        credentials: row.credentials === true,
      })
      const doctor = {
        verdict: diagnosis.verdict,
        preflightSent: diagnosis.preflight !== null,
        status: diagnosis.verdict === 'allowed' ? (diagnosis.response?.status ?? null) : null,
        readableHeaders: diagnosis.readableHeaders,
      }
      const failure =
        diagnosis.failure === null ? '' : `${diagnosis.failure.check}: ${diagnosis.failure.message}`
      expect(doctor, failure).toEqual({ ...seen, preflightSent })
    },
  )
})

describe('the core debug option, in Chromium', () => {
  it.each([
    [
      { headers: [['X-Foo', '1']] },
      'header-not-allowed',
      /Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response/,
    ],
    [
      { method: 'DELETE' },
      'method-not-allowed',
      /Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response/,
    ],
  ] as const)('names the failing check in the console: %j', async (request, check, console) => {
    const server = await adapters.hono({
      origin: [origins.allowed],
      methods: ['GET', 'PUT'],
      allowedHeaders: ['Content-Type'],
      debug: true,
      onReject: () => {},
    } as CorsOptions)
    const page = tabs.get('allowed')!
    const messages: string[] = []
    const listen = (message: { text(): string }) => messages.push(message.text())
    page.on('console', listen)
    try {
      const row: Row = { server: 'hono', ...request }
      const url = `${server.url}/debug`
      expect((await inPage(page, url, row)).verdict).toBe('blocked')
      await expect.poll(() => messages.join('\n')).toMatch(console)
      const diagnosis = await diagnose(url, { origin: origins.allowed, ...request })
      expect(diagnosis.failure?.check).toBe(check)
    } finally {
      page.off('console', listen)
      await server.close()
    }
  })
})
