import type { RequestListener } from 'node:http'
import { type CorsRejectHook, type LambdaCorsContext, withCors } from '@cors/lambda'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { bridge } from './bridge.ts'

interface Todo {
  id: number
  title: string
}

/** Options for embedding the example, as the playground and the browser test do. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. @default a console.warn line */
  onReject?: CorsRejectHook<LambdaCorsContext<APIGatewayProxyEventV2>>
}

/** A small todo API as a Function URL / HTTP API (payload 2.0) handler, with a CORS policy. */
export function createHandler(
  options: AppOptions = {},
): (
  event: APIGatewayProxyEventV2,
  context: import('aws-lambda').Context,
) => Promise<APIGatewayProxyStructuredResultV2> {
  const todos: Todo[] = [{ id: 1, title: 'Try @cors/lambda' }]
  return withCors(
    async (event: APIGatewayProxyEventV2) => {
      const { method } = event.requestContext.http
      if (event.rawPath === '/todos' && method === 'GET')
        return {
          statusCode: 200,
          headers: { 'x-total-count': String(todos.length) },
          body: JSON.stringify(todos),
        }
      if (event.rawPath === '/todos' && method === 'POST') {
        const { title } = JSON.parse(event.body ?? '{}') as { title?: unknown }
        if (typeof title !== 'string')
          return { statusCode: 400, body: JSON.stringify({ error: 'title is required' }) }
        const todo = { id: todos.length + 1, title }
        todos.push(todo)
        return { statusCode: 201, body: JSON.stringify(todo) }
      }
      if (event.rawPath === '/error') throw new Error('something broke')
      return { statusCode: 404, body: JSON.stringify({ error: 'not found' }) }
    },
    {
      origin: ['http://localhost:5173', 'https://app.example.com'],
      credentials: true,
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders: ['X-Total-Count'],
      maxAge: 600,
      onReject:
        options.onReject ??
        ((rejection, { event }) =>
          console.warn(`CORS: ${rejection.message} (${event.requestContext.http.method} ${event.rawPath})`)),
    },
  )
}

/** The handler Lambda runs (a Function URL or an HTTP API route): `handler` in the function's settings. */
export const handler: ReturnType<typeof createHandler> = createHandler()

/** The handler behind a local HTTP server, as a Function URL would invoke it (see bridge.ts). */
export function createApp(options: AppOptions = {}): RequestListener {
  return bridge(createHandler(options), 'function-url')
}
