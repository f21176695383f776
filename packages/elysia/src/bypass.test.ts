import { readFileSync } from 'node:fs'
import { Elysia } from 'elysia'
import { describe, expect, it } from 'vitest'
import { cors } from './index.ts'

// Issue 18.14: the bypass example the README shows for this adapter's request works as written: a
// cross-site POST to the webhook path passes, the same POST elsewhere is refused. (The hint it
// replaced, new URL(request.url), throws where request.url is a path.)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }

describe('@cors/elysia: bypass as the README shows it', () => {
  it('exempts the webhook path and nothing else', async () => {
    expect(readme).toContain(
      "bypass: ({ request }) => new URL(request.url).pathname.startsWith('/webhooks/')",
    )
    const app = new Elysia()
      .use(
        cors({
          origin: ['https://app.example.com'],
          crossOriginProtection: {
            bypass: ({ request }) => new URL(request.url).pathname.startsWith('/webhooks/'),
          },
        }),
      )
      .post('/webhooks/stripe', () => 'ok')
      .post('/account', () => 'ok')
    const post = (path: string) =>
      app.handle(new Request(`http://api.test${path}`, { method: 'POST', headers: crossSite }))
    expect((await post('/webhooks/stripe?id=1')).status).toBe(200)
    expect((await post('/account')).status).toBe(403)
  })
})
