import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCors, toCorsRequest } from '@cors/core'

// The API the README's examples talk to (http://127.0.0.1:3001 in the text, any free port here): a
// @cors/core policy behind node:http, as a user's server would run it.

/** The README's page origins, and the local names they get in tests (a page on a public host may not reach loopback). */
export const readmeOrigins = {
  'http://localhost:5173': 'http://localhost:5173',
  'https://app.example.com': 'http://app.localhost',
  'https://partner.example.org': 'http://partner.localhost',
  'https://evil.example': 'http://evil.localhost',
} as const

/** Starts the README's API on a free loopback port. */
export async function startReadmeApi(): Promise<{ server: Server; port: number }> {
  const policy = createCors({
    origin: [
      'http://localhost:5173',
      readmeOrigins['https://app.example.com'],
      readmeOrigins['https://partner.example.org'],
    ],
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Content-Type'],
    maxAge: 600,
    onReject: () => {},
  })
  const server = createServer(async (req, res) => {
    const decision = await policy.decide(
      toCorsRequest(req.method ?? 'GET', (name) => req.headers[name] as string | undefined),
    )
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value)
    if (decision.kind === 'preflight' && decision.respond) {
      res.writeHead(decision.status).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, port: (server.address() as AddressInfo).port }
}
