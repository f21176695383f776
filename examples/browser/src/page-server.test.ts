import { once } from 'node:events'
import { createServer, request as httpRequest, type Server } from 'node:http'
import { type AddressInfo, Server as NetServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { apiNames, type Playground, startPlayground } from './playground.ts'

// The playground's own API is a local tool that makes this machine send requests (the doctor): what
// a page on another site, a DNS-rebinding page or an <img> can make it do. Requests are sent raw
// (node:http), so every header is the test's, as an attacker's browser would send them.

let playground: Playground
let target: Server
let targetUrl: string
const reached: string[] = []
const listened: unknown[][] = []

beforeAll(async () => {
  // A local service the doctor could be aimed at: it counts what reaches it.
  target = createServer((req, res) => {
    reached.push(`${req.method} ${req.url}`)
    res.end('ok')
  })
  target.listen(0, '127.0.0.1')
  await once(target, 'listening')
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/admin`
  const listen = vi.spyOn(NetServer.prototype, 'listen')
  playground = await startPlayground({
    ports: { page: 0, otherPage: 0, ...Object.fromEntries(apiNames.map((name) => [name, 0])) },
  })
  listened.push(...listen.mock.calls)
  listen.mockRestore()
})

afterAll(async () => {
  await playground?.close()
  target?.close()
})

interface Sent {
  readonly status: number
  readonly body: string
}

function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string }) {
  const page = new URL(playground.urls.page)
  return new Promise<Sent>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: page.port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

const own = () => new URL(playground.urls.page).origin
const doctorBody = () =>
  JSON.stringify({ url: targetUrl, origin: 'http://localhost:8080', method: 'DELETE', headers: {} })

describe("the playground's page server", () => {
  it('listens on loopback only', () => {
    const hosts = listened.map((args) => args[1])
    expect(hosts.length).toBeGreaterThanOrEqual(apiNames.length + 2)
    expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']))
  })

  it('an <img>-style GET of /api/doctor does nothing', async () => {
    const query = new URLSearchParams({ url: targetUrl, origin: 'http://localhost:8080', method: 'DELETE' })
    const answer = await send(`/api/doctor?${query}`, {
      headers: {
        host: new URL(playground.urls.page).host,
        'sec-fetch-site': 'cross-site',
        'sec-fetch-dest': 'image',
      },
    })
    expect(answer.status).toBe(405)
    expect(reached).toEqual([])
  })

  it('refuses a cross-site POST (a form or a fetch from another site) with 403 before the route', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json']) {
      const answer = await send('/api/doctor', {
        method: 'POST',
        headers: {
          host: new URL(playground.urls.page).host,
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
          'content-type': type,
        },
        body: doctorBody(),
      })
      expect(answer.status).toBe(403)
    }
    // Without Sec-Fetch-Site (an older browser): the Origin is not the Host's.
    const old = await send('/api/doctor', {
      method: 'POST',
      headers: {
        host: new URL(playground.urls.page).host,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: doctorBody(),
    })
    expect(old.status).toBe(403)
    expect(reached).toEqual([])
  })

  it('refuses a Host that is not a loopback name (DNS rebinding), on every path', async () => {
    const port = new URL(playground.urls.page).port
    for (const path of ['/', '/api/config', '/api/decisions?rid=x']) {
      const answer = await send(path, { headers: { host: `rebind.evil.example:${port}` } })
      expect(answer.status).toBe(421)
    }
    const posted = await send('/api/doctor', {
      method: 'POST',
      headers: {
        host: `rebind.evil.example:${port}`,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      },
      body: doctorBody(),
    })
    expect(posted.status).toBe(421)
    // A loopback name on another port is not this server either.
    expect((await send('/', { headers: { host: 'localhost:1' } })).status).toBe(421)
    expect(reached).toEqual([])
  })

  it('answers the loopback names with its port', async () => {
    const port = new URL(playground.urls.page).port
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await send('/api/config', { headers: { host } })).status).toBe(200)
    }
  })

  it('takes a JSON body only', async () => {
    const answer = await send('/api/doctor', {
      method: 'POST',
      headers: { host: new URL(playground.urls.page).host, origin: own(), 'content-type': 'text/plain' },
      body: doctorBody(),
    })
    expect(answer.status).toBe(415)
    expect(reached).toEqual([])
  })

  it("diagnoses the page's own JSON POST", async () => {
    const answer = await send('/api/doctor', {
      method: 'POST',
      headers: {
        host: new URL(playground.urls.page).host,
        origin: own(),
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      },
      body: doctorBody(),
    })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body).diagnosis.verdict).toBe('blocked')
    expect(reached).toContain('OPTIONS /admin')
  })

  it("shows the server's logged reason beside the doctor's steps for an example API", async () => {
    const answer = await send('/api/doctor', {
      method: 'POST',
      headers: {
        host: new URL(playground.urls.page).host,
        origin: own(),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        url: `${playground.urls.apis.koa}/todos/1`,
        origin: 'http://localhost:8080',
        method: 'DELETE',
        headers: { authorization: 'Bearer x' },
      }),
    })
    expect(answer.status).toBe(200)
    const { server } = JSON.parse(answer.body) as { server: { preflight: boolean; reason: string }[] }
    expect(server).toEqual([
      expect.objectContaining({ preflight: true, status: 403, reason: 'origin-not-allowed' }),
    ])
  })

  it('serves the icon its pages name (no 404 in the console)', async () => {
    const host = new URL(playground.urls.page).host
    for (const path of ['/', '/runner.html']) {
      const html = (await send(path, { headers: { host } })).body
      const icon = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1]
      expect(icon).toBe('/favicon.svg')
    }
    const icon = await send('/favicon.svg', { headers: { host } })
    expect(icon.status).toBe(200)
    expect(icon.body).toMatch(/^<svg /)
  })
})
