/**
 * @module
 * The one way the repository's suites start Chromium: the system browser (never a downloaded one),
 * headless, quiet, with a clear error when it is missing. Every Chromium suite imports it from
 * `@cors/conformance/chromium`, so a flag or an error message changes in one place.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

// The launcher's own Playwright types, for suites that hold what it returns: one copy of the types
// whichever playwright-core version a workspace would otherwise resolve.
export type { Browser, BrowserContext, Page } from 'playwright-core'

/** The system Chromium the suites drive (Debian's `chromium` package); `CHROMIUM_PATH` overrides it. */
export const chromiumPath: string = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

// Flags that keep a headless Chromium quiet and offline apart from the test servers. Playwright adds
// --headless itself. QUIC is off so every request goes over the TCP servers the tests count on.
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface LaunchedBrowser {
  readonly context: BrowserContext
  close(): Promise<void>
}

const install =
  'install it with `apt-get install chromium` (Debian, Ubuntu) or point CHROMIUM_PATH at a Chromium or Chrome binary; the suite never downloads a browser'

/**
 * Checks the binary, then runs `open` with the flags (and `hostRules` as `--host-resolver-rules`).
 * A browser that is missing or does not start fails the run, with CI=true or not: a skipped browser
 * suite proves nothing.
 */
async function start<T>(hostRules: string | undefined, open: (args: string[]) => Promise<T>): Promise<T> {
  const where = process.env['CI'] === 'true' ? ' (CI=true: the browser suite must run)' : ''
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium was not found at ${chromiumPath}${where}: ${install}.`)
  }
  const args = hostRules === undefined ? flags : [...flags, `--host-resolver-rules=${hostRules}`]
  try {
    return await open(args)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(
      `Chromium at ${chromiumPath} did not start${where}: ${reason}\nIf it is broken, ${install}.`,
    )
  }
}

/**
 * Starts the system Chromium with a fresh profile, as one persistent context. `hostRules` become
 * `--host-resolver-rules`, e.g. `MAP *.example.test 127.0.0.1`, so pages get realistic origins while
 * every server stays on loopback.
 *
 * @example
 * const browser = await launchChromium('MAP *.example.test 127.0.0.1')
 * const page = await browser.context.newPage()
 */
export async function launchChromium(hostRules: string): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'cors-chromium-'))
  let context: BrowserContext
  try {
    context = await start(hostRules, (args) =>
      chromium.launchPersistentContext(profile, {
        executablePath: chromiumPath,
        headless: true,
        args,
        timeout: 30_000,
      }),
    )
  } catch (error) {
    await rm(profile, { recursive: true, force: true })
    throw error
  }
  return {
    context,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

/**
 * The same browser as a plain `Browser`, for suites that want a fresh context per page
 * (`browser.newPage()`) or contexts of their own (`browser.newContext({ recordHar })`). Without
 * `hostRules`, host names resolve as usual (localhost and 127.0.0.1 are then two origins).
 *
 * @example
 * const browser = await launchChromiumBrowser('MAP *.test 127.0.0.1')
 * const page = await browser.newPage()
 */
export function launchChromiumBrowser(hostRules?: string): Promise<Browser> {
  return start(hostRules, (args) =>
    chromium.launch({ executablePath: chromiumPath, headless: true, args, timeout: 30_000 }),
  )
}

/** What a page's `fetch()` gave it: the response it may read, or how the call failed. */
export interface PageFetch {
  readonly status?: number
  readonly body?: string
  /** The headers the page can read: the CORS-safelisted ones and those the response exposes. */
  readonly headers?: Readonly<Record<string, string>>
  /** The error `fetch()` rejected with: a CORS failure is a `TypeError`, nothing more. */
  readonly error?: string
}

/**
 * Calls `fetch(url, init)` from inside the page, as the page's own script would, so the browser's
 * CORS checks decide what comes back.
 *
 * @example
 * const seen = await fetchFromPage(page, 'http://api.example.test:8080/todos', { credentials: 'include' })
 * expect(seen.error).toMatch(/TypeError/)
 */
export function fetchFromPage(page: Page, url: string, init: RequestInit = {}): Promise<PageFetch> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, init)
        const headers = Object.fromEntries(response.headers)
        return { status: response.status, body: await response.text(), headers }
      } catch (error) {
        return { error: String(error) }
      }
    },
    { url, init },
  )
}
