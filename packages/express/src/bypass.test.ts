import { readFileSync } from 'node:fs'
import express from 'express'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { type CorsConfigError, cors, type ExpressCorsOptions } from './index.ts'

// Issue 18.14: the bypass example the README shows for this adapter's request works as written: a
// cross-site POST to the webhook path passes, the same POST elsewhere is refused. (The hint it
// replaced, new URL(request.url), throws where request.url is a path.)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }

describe('@cors/express: bypass as the README shows it', () => {
  it('exempts the webhook path and nothing else, mounted at the root and under a prefix', async () => {
    expect(readme).toContain(
      "crossOriginProtection: { bypass: (req) => (req.url ?? '').startsWith('/webhooks/') }",
    )
    const options: ExpressCorsOptions = {
      origin: ['https://app.example.com'],
      crossOriginProtection: { bypass: (req) => (req.url ?? '').startsWith('/webhooks/') },
    }
    for (const prefix of ['', '/api']) {
      const app = express()
      app.use(prefix || '/', cors(options))
      app.post(`${prefix}/webhooks/stripe`, (_req, res) => void res.send('ok'))
      app.post(`${prefix}/account`, (_req, res) => void res.send('ok'))
      expect((await supertest(app).post(`${prefix}/webhooks/stripe?id=1`).set(crossSite)).status).toBe(200)
      expect((await supertest(app).post(`${prefix}/account`).set(crossSite)).status).toBe(403)
    }
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
    const app = express()
    app.use(cors({ origin: ['https://app.example.com'], crossOriginProtection: { bypass } }))
    app.post(['/webhooks/stripe', '/account'], (_req, res) => void res.send('ok'))
    expect((await supertest(app).post('/webhooks/stripe').set(crossSite)).status).toBe(200)
    expect((await supertest(app).post('/account').set(crossSite)).status).toBe(403)
  })
})
