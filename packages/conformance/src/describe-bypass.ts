import { readFileSync } from 'node:fs'
import type { CorsOptions } from '@cors/core'
import { describe, expect, it } from 'vitest'

/** Sends a POST with these headers to a URL of the app and gives the response's status. */
export type PostStatus = (url: string, headers: Readonly<Record<string, string>>) => Promise<number>

/** The request shape the core's hint assumes: Express's `req`, Koa's `ctx`, Fastify's `request`. */
export interface UrlRequest {
  readonly url?: string | undefined
}

/** What `describeBypass` needs from an adapter whose request carries the path in `url`. */
export interface BypassHarness<Context extends UrlRequest> {
  /** The adapter's README, e.g. `new URL('../README.md', import.meta.url)`. */
  readonly readme: URL
  /** The README's `crossOriginProtection: { bypass: ... }` line, white space folded to single spaces. */
  readonly line: string
  /** The same bypass as code, so the line above is checked to work as written. */
  readonly bypass: (context: Context) => boolean
  /** Mount prefixes to serve the middleware under ('' is the root). @default [''] */
  readonly prefixes?: readonly string[]
  /**
   * An app with the adapter built from `options`, mounted at `prefix` (or the root for ''), whose
   * routes answer 200 to a POST to `${prefix}/webhooks/stripe` and `${prefix}/account`.
   */
  readonly serve: (options: CorsOptions<Context>, prefix: string) => PostStatus | Promise<PostStatus>
  /** Builds the adapter with these options (in an app where it only throws on registration). */
  readonly construct: (options: CorsOptions<Context>) => unknown
}

const origin = ['https://app.example.com']
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }

// The code of the core's hint for a bypass that is not a function, from a real CorsConfigError.
async function hintCode<Context extends UrlRequest>(harness: BypassHarness<Context>): Promise<string> {
  let hint = ''
  try {
    await harness.construct({ origin, crossOriginProtection: { bypass: 'webhooks' as never } })
  } catch (error) {
    const { issues } = error as { issues: readonly { option: string; hint: string }[] }
    hint = issues.find((issue) => issue.option === 'crossOriginProtection.bypass')!.hint
  }
  const code = /^e\.g\. bypass: (.+?) with Express, Koa or Fastify/.exec(hint)?.[1]
  expect(code, `the hint shows code: ${hint}`).toBeDefined()
  return code!
}

// A cross-site POST to the webhook path passes, the same POST to /account is refused.
async function expectWebhookOnly<Context extends UrlRequest>(
  harness: BypassHarness<Context>,
  bypass: (context: Context) => boolean,
  webhookUrl: string,
): Promise<void> {
  for (const prefix of harness.prefixes ?? ['']) {
    const post = await harness.serve({ origin, crossOriginProtection: { bypass } }, prefix)
    expect(await post(`${prefix}${webhookUrl}`, crossSite), `${prefix}${webhookUrl}`).toBe(200)
    expect(await post(`${prefix}/account`, crossSite), `${prefix}/account`).toBe(403)
  }
}

/**
 * Issue 18.14: the bypass example the adapter's README shows for its request works as written (a
 * cross-site POST to the webhook path passes, the same POST elsewhere is refused), and so does the
 * code the core's CorsConfigError hint shows for a bypass that is not a function. (The hint it
 * replaced, new URL(request.url), throws where request.url is a path.) For Express, Koa and Fastify,
 * whose request carries the path in `url`.
 */
export function describeBypass<Context extends UrlRequest>(
  adapter: string,
  harness: BypassHarness<Context>,
): void {
  const mounts = (harness.prefixes ?? ['']).map((prefix) => prefix || '/').join(' and ')
  describe(`${adapter}: bypass as the README shows it`, () => {
    it(`exempts the webhook path and nothing else, mounted at ${mounts}`, async () => {
      const readme = readFileSync(harness.readme, 'utf8').replace(/\s+/g, ' ')
      expect(readme).toContain(harness.line)
      await expectWebhookOnly(harness, harness.bypass, '/webhooks/stripe?id=1')
    })

    it("the core's hint for a bypass that is not a function works as written here", async () => {
      const code = await hintCode(harness)
      const bypass = new Function(`return ${code}`)() as (request: UrlRequest) => boolean
      await expectWebhookOnly(harness, bypass, '/webhooks/stripe')
    })
  })
}
