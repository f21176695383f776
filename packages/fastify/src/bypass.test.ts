import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { type CorsConfigError, cors } from './index.ts'

// Issue 18.14: the bypass example the README shows for this adapter's request works as written: a
// cross-site POST to the webhook path passes, the same POST elsewhere is refused. (The hint it
// replaced, new URL(request.url), throws where request.url is a path.)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }

describe('@cors/fastify: bypass as the README shows it', () => {
  it('exempts the webhook path and nothing else', async () => {
    expect(readme).toContain(
      "crossOriginProtection: { bypass: (request) => request.url.startsWith('/webhooks/') }",
    )
    const app = Fastify()
    await app.register(cors, {
      origin: ['https://app.example.com'],
      crossOriginProtection: { bypass: (request) => request.url.startsWith('/webhooks/') },
    })
    app.post('/webhooks/stripe', async () => 'ok')
    app.post('/account', async () => 'ok')
    const post = (url: string) => app.inject({ method: 'POST', url, headers: crossSite })
    expect((await post('/webhooks/stripe?id=1')).statusCode).toBe(200)
    expect((await post('/account')).statusCode).toBe(403)
  })

  it("the core's hint for a bypass that is not a function works as written here", async () => {
    let hint = ''
    try {
      await Fastify().register(cors, {
        origin: ['https://app.example.com'],
        crossOriginProtection: { bypass: 'webhooks' as never },
      })
    } catch (error) {
      hint = (error as CorsConfigError).issues.find(
        (issue) => issue.option === 'crossOriginProtection.bypass',
      )!.hint
    }
    const code = /^e\.g\. bypass: (.+?) with Express, Koa or Fastify/.exec(hint)?.[1]
    expect(code).toBeDefined()
    const bypass = new Function(`return ${code}`)() as (request: { url?: string | undefined }) => boolean
    const app = Fastify()
    await app.register(cors, { origin: ['https://app.example.com'], crossOriginProtection: { bypass } })
    app.post('/webhooks/stripe', async () => 'ok')
    app.post('/account', async () => 'ok')
    const post = (url: string) => app.inject({ method: 'POST', url, headers: crossSite })
    expect((await post('/webhooks/stripe')).statusCode).toBe(200)
    expect((await post('/account')).statusCode).toBe(403)
  })
})
