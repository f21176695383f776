import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cors } from './index.ts'

// Issue 18.14: the bypass example the README shows for this adapter's request works as written: a
// cross-site POST to the webhook path passes, the same POST elsewhere is refused. (The hint it
// replaced, new URL(request.url), throws where request.url is a path.)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }

describe('@cors/hono: bypass as the README shows it', () => {
  it('exempts the webhook path and nothing else', async () => {
    expect(readme).toContain("crossOriginProtection: { bypass: (c) => c.req.path.startsWith('/webhooks/') }")
    const app = new Hono()
    app.use(
      '*',
      cors({
        origin: ['https://app.example.com'],
        crossOriginProtection: { bypass: (c) => c.req.path.startsWith('/webhooks/') },
      }),
    )
    app.post('*', (c) => c.text('ok'))
    const post = (path: string) => app.request(path, { method: 'POST', headers: crossSite })
    expect((await post('/webhooks/stripe?id=1')).status).toBe(200)
    expect((await post('/account')).status).toBe(403)
  })
})
