import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cors } from '@cors/express'
import express from 'express'

// The playground's cross-origin protection demo: the same tiny "bank" API twice, with the same CORS
// policy (only https://app.example.com may read), once without crossOriginProtection and once with
// it, and a page on another site (http://localhost:<port>, cross-site to the APIs on 127.0.0.1) whose
// two HTML forms post a transfer to each. CORS lets the first one through to the handler; the
// protection refuses the second with 403 before the handler runs.

export type DemoApi = 'off' | 'on'

export interface ProtectionDemo {
  /** The attacker's page, on its own site. */
  readonly url: string
  readonly apis: Readonly<Record<DemoApi, string>>
  /** How many transfers each API's handler recorded. */
  transfers(api: DemoApi): number
  close(): Promise<void>
}

const host = '127.0.0.1'

async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, host)
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

function bank(protection: boolean, onTransfer: () => number) {
  const app = express()
  app.use(cors({ origin: ['https://app.example.com'], crossOriginProtection: protection }))
  app.use(express.urlencoded({ extended: false }))
  app.post('/transfer', (req, res) => {
    const count = onTransfer()
    const amount = String((req.body as { amount?: unknown }).amount ?? '?')
    res
      .type('html')
      .send(
        `<p style="font:14px system-ui;color:#b00">The handler ran: transfer of ${amount.replace(/\W/g, '')} recorded (#${count}).</p>`,
      )
  })
  return app
}

function page(apis: Readonly<Record<DemoApi, string>>): string {
  const form = (api: DemoApi, title: string) => `
  <section>
    <h2>${title}</h2>
    <form method="post" action="${apis[api]}/transfer" target="${api}-result" id="${api}-form">
      <input type="hidden" name="amount" value="1000">
      <button type="submit" id="${api}-submit">Post the form to ${apis[api]}</button>
    </form>
    <iframe name="${api}-result" title="answer of ${api}"></iframe>
  </section>`
  return `<!doctype html>
<meta charset="utf-8">
<title>Cross-origin protection</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem }
  section { display: inline-block; width: 28rem; vertical-align: top; margin-right: 1rem }
  iframe { width: 100%; height: 8rem; border: 1px solid #ccc }
</style>
<h1>A cross-site form post, with and without <code>crossOriginProtection</code></h1>
<p>This page is on another site. Both APIs have the same CORS policy: only
<code>https://app.example.com</code> may read their responses. CORS never stops a form post, so
without the option the handler runs. With <code>crossOriginProtection: true</code> the browser's
<code>Sec-Fetch-Site: cross-site</code> and <code>Origin</code> get the post refused with 403 before
the handler runs.</p>
${form('off', 'crossOriginProtection off (the default)')}
${form('on', 'crossOriginProtection: true')}
`
}

/** Starts the two APIs (on free ports) and the attacker's page on `port` (0: a free one). */
export async function startProtectionDemo(port = 0): Promise<ProtectionDemo> {
  const counts: Record<DemoApi, number> = { off: 0, on: 0 }
  const servers = [
    createServer(bank(false, () => ++counts.off)),
    createServer(bank(true, () => ++counts.on)),
    createServer(),
  ] as const
  const apis = {
    off: `http://${host}:${await listen(servers[0], 0)}`,
    on: `http://${host}:${await listen(servers[1], 0)}`,
  }
  const html = page(apis)
  const csp = `default-src 'none'; style-src 'unsafe-inline'; form-action ${apis.off} ${apis.on}; frame-src ${apis.off} ${apis.on}`
  servers[2].on('request', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp })
    res.end(html)
  })
  const pagePort = await listen(servers[2], port)
  return {
    url: `http://localhost:${pagePort}/`,
    apis,
    transfers: (api) => counts[api],
    close: async () => {
      await Promise.all(
        servers.map(async (server) => {
          server.closeAllConnections()
          server.close()
          await once(server, 'close')
        }),
      )
    },
  }
}
