import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumAdapters, doctorExamples } from '@cors/conformance/adapters'
import { launchChromiumBrowser } from '@cors/conformance/chromium'
import type { CorsOptions } from '@cors/core'
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adapters, examples, type LoggedServer, startMistakes, startPages } from '../test/chromium-servers.ts'
import { policies, type Row, rows } from '../test/chromium-table.ts'
import { recordDevToolsHar } from '../test/devtools-har.ts'
import { diagnose } from './diagnose.ts'
import { explainMessage } from './explain-message.ts'
import { diagnoseHar } from './har.ts'
import type { Har } from './har-types.ts'
import type { Diagnosis, DoctorCheck, DoctorFailure } from './types.ts'

// Agreement with the real browser: every row runs as fetch() in a page in Chromium and through
// diagnose() against the same server. The verdict, whether a preflight went out and the headers the
// page can read must be the same; any difference is a doctor bug. The same run captures the console
// message Chromium prints for each blocked request (explainMessage must name the probe's check) and
// records a HAR of the whole context (diagnoseHar must reach Chromium's verdict, request by request).

let browser: Browser
let pages: LoggedServer
const servers: Partial<Record<Row['server'], LoggedServer>> = {}
const tabs = new Map<'allowed' | 'refused', Page>()
const origins = { allowed: '', refused: '' }
let context: BrowserContext
const harDirectory = mkdtempSync(join(tmpdir(), 'cors-doctor-har-'))
const harPath = join(harDirectory, 'agreement.har')
const consoleLines: string[] = []
/** The `Network.CorsError` DevTools reported for each blocked request, by the URL the page asked for. */
const devtoolsErrors = new Map<string, string>()
const devtoolsHars: (() => Har)[] = []
/** The probe's failure for each blocked row, by the URL the page asked for. */
const probeFailures = new Map<string, DoctorFailure>()
/** Chromium's verdict for each row, by the URL the page asked for. */
const chromiumVerdicts = new Map<string, 'allowed' | 'blocked'>()
const figures = {
  blocked: 0,
  devtoolsNames: 0,
  messagesExact: 0,
  messagesRefined: {} as Record<string, number>,
  harAgreed: 0,
  harNotRecorded: 0,
  devtoolsHarVerdicts: 0,
  devtoolsHarChecks: 0,
}

// What a console message cannot see and the probe can: the check the message names, for the
// probe's more precise one (a 403 behind "no Access-Control-Allow-Origin", `*` behind "not allowed").
const refines: Partial<Record<DoctorCheck, DoctorCheck>> = {
  'preflight-refused': 'allow-origin-missing',
  'authorization-not-covered': 'header-not-allowed',
  'header-wildcard-with-credentials': 'header-not-allowed',
  'method-wildcard-with-credentials': 'method-not-allowed',
}

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
  for (const { name } of doctorExamples) servers[name] = await examples[name]()
  servers.mistakes = await startMistakes(() => servers.koa!.url)
  // No host rules: the two page origins are localhost and 127.0.0.1, as they resolve.
  browser = await launchChromiumBrowser()
  context = await browser.newContext({ recordHar: { path: harPath, content: 'omit' } })
  for (const from of ['allowed', 'refused'] as const) {
    const page = await context.newPage()
    page.on('console', (message: ConsoleMessage) => consoleLines.push(message.text()))
    await listenToDevTools(page)
    await page.goto(`${origins[from]}/`)
    tabs.set(from, page)
  }
  // examples/next's next build, when its last one is stale (about 25 s on an idle machine).
}, 240_000)

/** What DevTools sees: each request's first URL, and the CORS error of those that failed. */
async function listenToDevTools(page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page)
  devtoolsHars.push((await recordDevToolsHar(cdp)).har)
  const asked = new Map<string, string>()
  cdp.on('Network.requestWillBeSent', (event) => {
    if (!asked.has(event.requestId)) asked.set(event.requestId, event.request.url)
  })
  cdp.on('Network.loadingFailed', (event) => {
    const url = asked.get(event.requestId)
    if (url !== undefined && event.corsErrorStatus !== undefined)
      devtoolsErrors.set(url, event.corsErrorStatus.corsError)
  })
}

afterAll(async () => {
  console.info(`doctor vs Chromium: ${JSON.stringify(figures)} of ${rows.length} rows`)
  rmSync(harDirectory, { recursive: true, force: true })
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
      new Set([...[...chromiumAdapters, ...doctorExamples].map((adapter) => adapter.name), 'mistakes']),
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
      chromiumVerdicts.set(url, seen.verdict)
      if (seen.verdict === 'blocked') await explainsTheConsole(url, diagnosis)
    },
  )
})

/** Chromium's console line for a blocked request names the check the probe found. */
async function explainsTheConsole(url: string, diagnosis: Diagnosis): Promise<void> {
  figures.blocked++
  const find = () =>
    consoleLines.find((line) => line.includes(`'${url}'`) && line.includes('blocked by CORS'))
  await expect.poll(find, { timeout: 5000 }).toBeDefined()
  const line = find()!
  const explained = explainMessage(line)
  const probe = diagnosis.failure!
  probeFailures.set(url, probe)
  // failure.chromeError is the name DevTools gives this very request's failure.
  await expect.poll(() => devtoolsErrors.get(url), { timeout: 5000 }).toBe(probe.chromeError)
  figures.devtoolsNames++
  expect(explained?.failure.stage, line).toBe(probe.stage)
  expect(explained?.failure.chromeError, line).toBe(probe.chromeError)
  if (explained?.failure.check === probe.check) figures.messagesExact++
  else {
    expect(refines[probe.check], `${line}\nprobe: ${probe.check}`).toBe(explained?.failure.check)
    figures.messagesRefined[probe.check] = (figures.messagesRefined[probe.check] ?? 0) + 1
  }
}

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
      expect(explainMessage(messages.find((line) => console.test(line))!)?.failure.check).toBe(check)
    } finally {
      page.off('console', listen)
      await server.close()
    }
  })
})

describe('a HAR recorded by Chromium', () => {
  it('gets the verdict Chromium reached, request by request', async () => {
    await context.close()
    const har = JSON.parse(readFileSync(harPath, 'utf8')) as Har
    const judged = new Map(diagnoseHar(har).requests.map((request) => [request.url, request]))
    expect(chromiumVerdicts.size).toBe(rows.length)
    for (const [url, verdict] of chromiumVerdicts) {
      const request = judged.get(url)
      expect(request?.verdict, `${url}: ${JSON.stringify(request?.failure)}`).toBe(verdict)
      figures.harAgreed++
      if (request?.failure?.check === 'response-not-recorded') figures.harNotRecorded++
    }
  })
})

describe('a HAR in DevTools form (built from the DevTools protocol events of the same run)', () => {
  it("gets the verdict Chromium reached and, for each blocked request, the probe's check", () => {
    const entries = devtoolsHars.flatMap((har) => har().log.entries)
    const judged = new Map(
      diagnoseHar({ log: { entries } }).requests.map((request) => [request.url, request]),
    )
    for (const [url, verdict] of chromiumVerdicts) {
      const request = judged.get(url)
      expect(request?.verdict, `${url}: ${JSON.stringify(request?.failure)}`).toBe(verdict)
      figures.devtoolsHarVerdicts++
      const probe = probeFailures.get(url)
      if (probe === undefined) continue
      expect({ stage: request?.failure?.stage, check: request?.failure?.check }, url).toEqual({
        stage: probe.stage,
        check: probe.check,
      })
      expect(request?.failure?.chromeError, url).toBe(devtoolsErrors.get(url))
      figures.devtoolsHarChecks++
    }
  })
})
