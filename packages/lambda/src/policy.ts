import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  createCors,
  isCorsPolicy,
  isPlainObject,
  toCorsRequest,
} from '@cors/core'
import type { Context } from 'aws-lambda'
import {
  type EventShape,
  headerReader,
  type LambdaHandlerResult,
  type LambdaHttpEvent,
  methodOf,
} from './event.ts'
import { type PlainResult, plainResult } from './result.ts'

/** What the policy's hooks (`origin` functions, `onReject`, `bypass`) and `onError` receive. */
export interface LambdaCorsContext<E extends LambdaHttpEvent = LambdaHttpEvent> {
  readonly event: E
  readonly context: Context
}

/** Options of `withCors`: every core option (the hooks receive `{ event, context }`), plus `onError`. */
export type LambdaCorsOptions<E extends LambdaHttpEvent = LambdaHttpEvent> = CorsOptions<
  LambdaCorsContext<E>
> & {
  /**
   * Turns an error thrown by the handler into a result, which then gets the CORS headers like any
   * other (return a result, or re-throw). By default the error is written to `console.error` and
   * answered with a plain `500` carrying the CORS headers, so the page sees the 500 and not a
   * misleading "CORS error".
   */
  onError?: (
    error: unknown,
    request: LambdaCorsContext<E>,
  ) => LambdaHandlerResult<E> | Promise<LambdaHandlerResult<E>>
}

type OnError = (error: unknown, request: never) => unknown

/**
 * The policy and `onError`: this adapter's own option is taken out (read once) before the rest goes
 * to the core, which refuses options that are not a plain object and validates the others.
 */
export function splitOptions<Hooks, H extends OnError>(
  options: object,
  name: string,
): [CorsPolicy<Hooks>, H | undefined] {
  if (isCorsPolicy(options) || !isPlainObject(options))
    return [createCors<Hooks>(options as CorsOptions<Hooks>), undefined]
  const { onError, ...cors } = options as { onError?: unknown }
  if (onError !== undefined && typeof onError !== 'function')
    throw new TypeError(
      `@cors/lambda: onError must be a function (error, { event, context }) => result (in ${name})`,
    )
  return [createCors<Hooks>(cors as CorsOptions<Hooks>), onError as H | undefined]
}

/** The decision for an event; only an async origin function makes it a promise. */
export function decideEvent<E extends LambdaHttpEvent>(
  policy: CorsPolicy<LambdaCorsContext<E>>,
  request: LambdaCorsContext<E>,
): CorsDecision | Promise<CorsDecision> {
  return policy.decide(toCorsRequest(methodOf(request.event), headerReader(request.event)), request)
}

/** The default answer to a thrown error: logged with `console.error`, and a plain `500`. */
export function internalError(error: unknown, shape: EventShape): PlainResult {
  console.error(error)
  return plainResult(shape, 500, 'Internal Server Error', 'text/plain; charset=utf-8')
}
