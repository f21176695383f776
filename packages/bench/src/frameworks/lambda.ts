/**
 * @cors/lambda next to no CORS, a hand-written minimum and `@middy/http-cors` (with `@middy/core`),
 * on a Function URL / HTTP API (2.0) handler serving GET /data.
 *
 * Lambda has no server of its own, so two measures:
 * - `lambda` (a `Framework`): each variant behind the local HTTP -> event bridge of examples/lambda,
 *   for the load benchmark; the bridge's cost is the same in every variant.
 * - `measureInProcess()`: the handler called directly with prebuilt events, as the Lambda runtime
 *   calls it; what a CORS layer adds to each invocation, in nanoseconds. Run it with
 *   `npx tsx src/frameworks/lambda.ts` (prints a markdown table).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { withCors } from '@cors/lambda'
import middy from '@middy/core'
import httpCors from '@middy/http-cors'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda'
import { bridge } from '../../../../examples/lambda/src/bridge.ts'
import { functionUrlEvent, lambdaContext } from '../../../lambda/test/events.ts'
import {
  corsOptions,
  handWritten,
  type Kind,
  kinds,
  path,
  payloadJson,
  requests,
  totalCount,
} from '../policy.ts'
import { type Figures, fastestLoops, printInProcess, verifyKinds } from './in-process.ts'
import { type Framework, type Listening, type Variant, variants } from './types.ts'

type Result = APIGatewayProxyStructuredResultV2
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<Result>

// The application: GET /data answers the list; anything else 404.
async function dataHandler(event: APIGatewayProxyEventV2): Promise<Result> {
  const { method } = event.requestContext.http
  if (method !== 'GET' || event.rawPath !== path) return { statusCode: 404, body: '' }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-total-count': totalCount },
    body: payloadJson,
  }
}

// The hand-written minimum: preflights answered at once, static headers added to the result.
async function handWrittenCors(event: APIGatewayProxyEventV2): Promise<Result> {
  const origin = event.headers.origin
  if (origin === undefined || !handWritten.allowed.has(origin)) {
    const result = await dataHandler(event)
    return { ...result, headers: { ...result.headers, vary: 'Origin' } }
  }
  if (
    event.requestContext.http.method === 'OPTIONS' &&
    event.headers['access-control-request-method'] !== undefined
  )
    return { statusCode: 204, headers: { ...handWritten.preflight, 'access-control-allow-origin': origin } }
  const result = await dataHandler(event)
  return {
    ...result,
    headers: { ...result.headers, ...handWritten.actual, 'access-control-allow-origin': origin },
  }
}

// @middy/http-cors as its documentation wires it, with preflights answered before the handler.
function peerCors(): Handler {
  return middy(dataHandler).use(
    httpCors({
      origins: [...corsOptions.origin],
      credentials: true,
      methods: corsOptions.methods.join(','),
      headers: corsOptions.allowedHeaders.join(','),
      exposeHeaders: corsOptions.exposedHeaders.join(','),
      maxAge: corsOptions.maxAge,
      disableBeforePreflightResponse: false,
    }),
  ) as unknown as Handler
}

/** The four variants as Lambda handlers. */
export const handlers: Record<Variant, () => Handler> = {
  none: () => dataHandler,
  'hand-written': () => handWrittenCors,
  peer: peerCors,
  ours: () => withCors(dataHandler, corsOptions),
}

function serve(handler: Handler, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = createServer(bridge(handler, 'function-url'))
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    )
  })
}

export const lambda: Framework = {
  name: 'lambda',
  start: {
    none: (port) => serve(handlers.none(), port),
    'hand-written': (port) => serve(handlers['hand-written'](), port),
    peer: (port) => serve(handlers.peer(), port),
    ours: (port) => serve(handlers.ours(), port),
  },
}

/** The Function URL event of one request kind, built once. */
export const events: Record<Kind, APIGatewayProxyEventV2> = Object.fromEntries(
  kinds.map((kind) => [
    kind,
    functionUrlEvent({
      method: requests[kind].method,
      path,
      headers: [['host', 'abc123.lambda-url.us-east-1.on.aws'], ...Object.entries(requests[kind].headers)],
    }),
  ]),
) as Record<Kind, APIGatewayProxyEventV2>

/** The policy's checks on one variant's result (the same as the load benchmark's, via policy.ts). */
export async function verifyInProcess(variant: Variant): Promise<string[]> {
  const handler = handlers[variant]()
  return verifyKinds(async (kind) => {
    const result = await handler(events[kind], lambdaContext)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(result.headers ?? {}))
      headers[name.toLowerCase()] = String(value)
    return { status: result.statusCode ?? 200, headers, body: result.body ?? '' }
  }, variant === 'none')
}

/**
 * Nanoseconds per invocation, per variant and request kind: the fastest of `rounds` timed loops of
 * `calls` invocations each, after a warm-up (on a shared machine the slower loops measure the other
 * processes); the variants take turns within each round.
 */
export async function measureInProcess(rounds = 7, calls = 20_000): Promise<Figures> {
  const built = Object.fromEntries(variants.map((variant) => [variant, handlers[variant]()])) as Record<
    Variant,
    Handler
  >
  return fastestLoops(rounds, calls, (variant, kind) => {
    const handler = built[variant]
    const event = events[kind]
    return () => handler(event, lambdaContext)
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await printInProcess(verifyInProcess, measureInProcess)
