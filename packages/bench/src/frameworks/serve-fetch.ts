import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Listening } from './types.ts'

/** Serves a Web Fetch handler on 127.0.0.1 with @hono/node-server (Hono's own way onto Node). */
export function serveFetch(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port }, (info: AddressInfo) =>
      resolve({
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    )
    server.once('error', reject)
  })
}
