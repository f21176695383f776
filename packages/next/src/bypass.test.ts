import { readFileSync } from 'node:fs'
import { type NextFetchEvent, NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { cors, withCorsRoutes } from './index.ts'

// Issue 18.14: the bypass example the README shows for this adapter's request works as written: a
// cross-site POST to the webhook path passes, the same POST elsewhere is refused. (The hint it
// replaced, new URL(request.url), throws where request.url is a path.)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }
const event = { waitUntil() {} } as unknown as NextFetchEvent

describe('@cors/next: bypass as the README shows it', () => {
  it('exempts the webhook path and nothing else, in the proxy and in a route file', async () => {
    expect(readme).toContain(
      "crossOriginProtection: { bypass: (request) => request.nextUrl.pathname.startsWith('/webhooks/') }",
    )
    const options = {
      origin: ['https://app.example.com'],
      crossOriginProtection: {
        bypass: (request: NextRequest) => request.nextUrl.pathname.startsWith('/webhooks/'),
      },
    }
    const proxy = cors(options)
    const { POST } = withCorsRoutes({ POST: () => new Response('ok') }, options)
    const post = (path: string) =>
      new NextRequest(`http://api.test${path}`, { method: 'POST', headers: crossSite })
    for (const send of [(r: NextRequest) => proxy(r, event), (r: NextRequest) => POST(r)]) {
      expect((await send(post('/webhooks/stripe?id=1'))).status).toBe(200)
      expect((await send(post('/account'))).status).toBe(403)
    }
  })
})
