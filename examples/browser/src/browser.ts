import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

/** The system Chromium the suite drives (Debian's `chromium` package); `CHROMIUM_PATH` overrides it. */
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
 * Starts the system Chromium with a fresh profile. `hostRules` become `--host-resolver-rules`, e.g.
 * `MAP *.example.test 127.0.0.1`, so pages get realistic origins while every server stays on loopback.
 * A browser that is missing or does not start fails the run, with CI=true or not: a skipped browser
 * suite proves nothing.
 */
export async function launchChromium(hostRules: string): Promise<LaunchedBrowser> {
  const where = process.env['CI'] === 'true' ? ' (CI=true: the browser suite must run)' : ''
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium was not found at ${chromiumPath}${where}: ${install}.`)
  }
  const profile = await mkdtemp(join(tmpdir(), 'cors-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [...flags, `--host-resolver-rules=${hostRules}`],
      timeout: 30_000,
    })
  } catch (error) {
    await rm(profile, { recursive: true, force: true })
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(
      `Chromium at ${chromiumPath} did not start${where}: ${reason}\nIf it is broken, ${install}.`,
    )
  }
  return {
    context,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
