/**
 * @module
 * `@cors/lambda`: Fetch-standard CORS for AWS Lambda HTTP handlers behind API Gateway REST APIs
 * (payload 1.0), HTTP APIs (2.0), Function URLs and Application Load Balancers. The policy is
 * validated and compiled once, when `withCors` is called.
 */

import type { CorsPolicy } from '@cors/core'
import type { Context } from 'aws-lambda'
import { type LambdaHandlerResult, type LambdaHttpEvent, type LambdaResult, shapeOf } from './event.ts'
import {
  decideEvent,
  internalError,
  type LambdaCorsContext,
  type LambdaCorsOptions,
  splitOptions,
} from './policy.ts'
import { answer, decorate, type PlainResult, structuredV2 } from './result.ts'

// The core's error, validator and public types: the same set in every adapter.
export * from '@cors/core/reexport'
export type { LambdaHandlerResult, LambdaHttpEvent, LambdaResult } from './event.ts'
export type { LambdaCorsContext, LambdaCorsOptions } from './policy.ts'
export { type LambdaStreamingCorsOptions, type LambdaStreamingResult, withCorsStreaming } from './stream.ts'

/** A Lambda HTTP handler in the async form: `(event, context) => result`. */
export type LambdaHttpHandler<E extends LambdaHttpEvent> = (
  event: E,
  context: Context,
) => LambdaHandlerResult<E> | Promise<LambdaHandlerResult<E>>

/**
 * Wraps a Lambda HTTP handler with a CORS policy (options, or a policy from `createCors`). Preflights
 * are answered without calling the handler; whatever it returns, a thrown error included (a plain
 * `500`), gets the CORS headers, in the event's shape. Throws a `CorsConfigError` at once when the
 * options are invalid.
 *
 * @example
 * export const handler = withCors(async (event: APIGatewayProxyEventV2) => ({ statusCode: 200, body: '{}' }), {
 *   origin: 'https://app.example.com',
 * })
 */
export function withCors<E extends LambdaHttpEvent>(
  handler: LambdaHttpHandler<E>,
  options: LambdaCorsOptions<E> | CorsPolicy<LambdaCorsContext<E>> = {},
): (event: E, context: Context) => Promise<LambdaResult<E>> {
  const [policy, onError] = splitOptions<LambdaCorsContext<E>, NonNullable<LambdaCorsOptions<E>['onError']>>(
    options,
    'withCors',
  )
  return async (event, context) => {
    const request: LambdaCorsContext<E> = { event, context }
    const pending = decideEvent(policy, request)
    const decision = pending instanceof Promise ? await pending : pending
    const shape = shapeOf(event)
    if (decision.respond) return answer(shape, decision.status, decision) as unknown as LambdaResult<E>
    let result: unknown
    try {
      result = await handler(event, context)
    } catch (error) {
      result = onError === undefined ? internalError(error, shape) : await onError(error, request)
    }
    if ((event as { version?: unknown }).version === '2.0') result = structuredV2(result)
    // A 1.0 or ALB result that is not an object is the handler's bug, which API Gateway answers 502.
    else if (typeof result !== 'object' || result === null) return result as LambdaResult<E>
    return decorate(result as PlainResult, shape, decision) as unknown as LambdaResult<E>
  }
}
