import { readFileSync } from 'node:fs'
import Koa from 'koa'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { type CorsConfigError, cors } from './index.ts'

// Issue 18.14: the bypass example the README shows for this adapter's request works as written: a
// cross-site POST to the webhook path passes, the same POST elsewhere is refused. (The hint it
// replaced, new URL(request.url), throws where request.url is a path.)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }

describe('@cors/koa: bypass as the README shows it', () => {
  it('exempts the webhook path and nothing else', async () => {
    expect(readme).toContain("crossOriginProtection: { bypass: (ctx) => ctx.path.startsWith('/webhooks/') }")
    const app = new Koa()
    app.use(
      cors({
        origin: ['https://app.example.com'],
        crossOriginProtection: { bypass: (ctx) => ctx.path.startsWith('/webhooks/') },
      }),
    )
    app.use((ctx) => {
      ctx.body = 'ok'
    })
    const server = app.callback()
    expect((await supertest(server).post('/webhooks/stripe?id=1').set(crossSite)).status).toBe(200)
    expect((await supertest(server).post('/account').set(crossSite)).status).toBe(403)
  })

  it("the core's hint for a bypass that is not a function works as written here", async () => {
    let hint = ''
    try {
      cors({ origin: ['https://app.example.com'], crossOriginProtection: { bypass: 'webhooks' as never } })
    } catch (error) {
      hint = (error as CorsConfigError).issues.find(
        (issue) => issue.option === 'crossOriginProtection.bypass',
      )!.hint
    }
    const code = /^e\.g\. bypass: (.+?) with Express, Koa or Fastify/.exec(hint)?.[1]
    expect(code).toBeDefined()
    const bypass = new Function(`return ${code}`)() as (request: { url?: string | undefined }) => boolean
    const app = new Koa()
    app.use(cors({ origin: ['https://app.example.com'], crossOriginProtection: { bypass } }))
    app.use((ctx) => {
      ctx.body = 'ok'
    })
    const server = app.callback()
    expect((await supertest(server).post('/webhooks/stripe').set(crossSite)).status).toBe(200)
    expect((await supertest(server).post('/account').set(crossSite)).status).toBe(403)
  })
})
