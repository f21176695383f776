// A local HTTP -> Lambda event bridge: each request a real client (a browser) sends is turned into the
// event the chosen AWS service would build (header lines in the order and case they arrived), the
// handler is invoked in-process, and its result written back as that service would send it. Not an
// emulator of API Gateway's features (routes, authorizers, its own CORS setting): only the payloads.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { Context } from 'aws-lambda'
import {
  type EventKind,
  eventFor,
  type HttpRequest,
  lambdaContext,
  responseFor,
} from '../../../packages/lambda/test/events.ts'

export type { EventKind } from '../../../packages/lambda/test/events.ts'

// biome-ignore lint/suspicious/noExplicitAny: any Lambda HTTP handler, whatever its event and result types
type AnyHandler = (event: any, context: Context) => Promise<any>

async function readRequest(req: IncomingMessage): Promise<HttpRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers: [string, string][] = []
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!])
  const url = new URL(req.url ?? '/', 'http://bridge')
  const body = Buffer.concat(chunks).toString()
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    ...(body !== '' && { body }),
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  }
}

/**
 * A `node:http` listener that invokes `handler` with events of one kind. `extraHeaders` are added to
 * every response after the handler's, as a Function URL's or API Gateway's own CORS setting would add
 * its `Access-Control-*` headers (to show what two answers look like to a browser).
 */
export function bridge(
  handler: AnyHandler,
  kind: EventKind,
  extraHeaders: [string, string][] = [],
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const result = await handler(eventFor(kind, await readRequest(req)), lambdaContext)
        const response = responseFor(kind, result)
        const lines = new Map<string, string[]>()
        for (const [name, value] of [...response.headers, ...extraHeaders])
          lines.set(name.toLowerCase(), [...(lines.get(name.toLowerCase()) ?? []), value])
        for (const [name, values] of lines) res.setHeader(name, values)
        res.writeHead(response.status).end(req.method === 'HEAD' ? undefined : response.body)
      } catch (error) {
        // The invocation failed (the handler threw past withCors): API Gateway answers 502.
        console.error(error)
        res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Internal server error"}')
      }
    })()
  }
}
