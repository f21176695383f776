import type { Writable } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import type { CorsOptions, CorsPolicy } from '@cors/core'
import type { Context, StreamifyHandler } from 'aws-lambda'
import type { LambdaHttpEvent } from './event.ts'
import { decideEvent, internalError, type LambdaCorsContext, splitOptions } from './policy.ts'
import { decorate, type PlainResult } from './result.ts'

/**
 * What a streaming handler returns: the status, headers and cookies Lambda sends first, then the
 * body, written as it comes (a string, bytes, a Node `Readable`, a web `ReadableStream`, any async
 * iterable of chunks).
 */
export interface LambdaStreamingResult {
  statusCode?: number | undefined
  headers?: Record<string, string | number | boolean> | undefined
  cookies?: string[] | undefined
  body?: string | Uint8Array | AsyncIterable<string | Uint8Array> | undefined
}

/** Options of `withCorsStreaming`: the core options, plus `onError` returning a streaming result. */
export type LambdaStreamingCorsOptions<E extends LambdaHttpEvent = LambdaHttpEvent> = CorsOptions<
  LambdaCorsContext<E>
> & {
  /** As in `withCors`: turns a thrown error (before any byte is sent) into a result. */
  onError?: (
    error: unknown,
    request: LambdaCorsContext<E>,
  ) => LambdaStreamingResult | Promise<LambdaStreamingResult>
}

type Handler<E> = (event: E, context: Context) => LambdaStreamingResult | Promise<LambdaStreamingResult>

// The runtime's global, as AWS documents it (see @types/aws-lambda); absent outside Lambda.
const runtime = (): typeof awslambda => {
  const found = (globalThis as { awslambda?: typeof awslambda }).awslambda
  if (found !== undefined) return found
  throw new Error(
    '@cors/lambda: withCorsStreaming needs the awslambda global that the Lambda Node.js runtime provides ' +
      '(streamifyResponse, HttpResponseStream); outside Lambda, define one for your tests',
  )
}

/**
 * A streaming Lambda handler (response streaming, `InvokeMode: RESPONSE_STREAM`) with a CORS policy:
 * returns `awslambda.streamifyResponse(...)`, so export it as the handler. Preflights are answered
 * without calling your handler; your handler returns the status, headers and a body to stream, and
 * the decision's headers are in the metadata Lambda sends before the first byte. A thrown error
 * before that is a plain `500` with the CORS headers; an error while the body streams ends the
 * stream (the status was sent already).
 *
 * @example
 * export const handler = withCorsStreaming(
 *   async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: Readable.from(['a', 'b']) }),
 *   { origin: 'https://app.example.com' },
 * )
 */
export function withCorsStreaming<E extends LambdaHttpEvent>(
  handler: Handler<E>,
  options: LambdaStreamingCorsOptions<E> | CorsPolicy<LambdaCorsContext<E>> = {},
): StreamifyHandler<E, void> {
  const [policy, onError] = splitOptions<
    LambdaCorsContext<E>,
    NonNullable<LambdaStreamingCorsOptions<E>['onError']>
  >(options, 'withCorsStreaming')
  const lambda = runtime()
  return lambda.streamifyResponse<E, void>(async (event, responseStream, context) => {
    const request: LambdaCorsContext<E> = { event, context }
    const pending = decideEvent(policy, request)
    const decision = pending instanceof Promise ? await pending : pending
    let result: LambdaStreamingResult
    if (decision.respond) result = { statusCode: decision.status }
    else {
      try {
        result = await handler(event, context)
      } catch (error) {
        result = onError === undefined ? internalError(error, 'single') : await onError(error, request)
      }
    }
    const { body, cookies, ...head } = result
    const { statusCode, headers } = decorate(head as PlainResult, 'single', decision)
    const metadata = { statusCode: statusCode ?? 200, headers: headers ?? {}, ...(cookies && { cookies }) }
    await send(lambda.HttpResponseStream.from(responseStream, metadata), body)
  })
}

async function send(out: Writable, body: LambdaStreamingResult['body']): Promise<void> {
  const whole = body === undefined || typeof body === 'string' || body instanceof Uint8Array
  // The runtime sends the status and headers just before the first write: one is made even for an
  // empty body, or the client would get the defaults.
  out.write(whole ? (body ?? '') : '')
  if (!whole) return pipeline(body, out)
  out.end()
  await finished(out)
}
