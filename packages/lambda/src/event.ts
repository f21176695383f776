import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda'

/**
 * The HTTP events `withCors` reads: API Gateway REST (payload 1.0, also HTTP APIs set to 1.0), HTTP
 * APIs (payload 2.0), Lambda Function URLs (the 2.0 shape: `LambdaFunctionURLEvent` is
 * `APIGatewayProxyEventV2`), and ALB targets (with or without multi-value headers).
 */
export type LambdaHttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent

/** The result API Gateway, the Function URL or the ALB receives for an event of type `E`. */
export type LambdaResult<E extends LambdaHttpEvent> = E extends ALBEvent
  ? ALBResult
  : E extends APIGatewayProxyEventV2
    ? APIGatewayProxyStructuredResultV2
    : APIGatewayProxyResult

/**
 * What a handler may return for an event of type `E`: the result, or for 2.0 events anything API
 * Gateway and Function URLs accept without a `statusCode` (a string or a JSON value, sent as `200`).
 */
export type LambdaHandlerResult<E extends LambdaHttpEvent> = E extends APIGatewayProxyEventV2
  ? APIGatewayProxyResultV2<unknown>
  : LambdaResult<E>

/**
 * Where an event keeps its headers, which is also where its result must put them: 2.0 events and
 * single-value ALB events use `headers` (one value per name); 1.0 events and multi-value ALB events
 * use `multiValueHeaders` (every line of a repeated header).
 */
export type EventShape = 'single' | 'multi'

type HeaderValue = string | readonly string[] | undefined

interface AnyEvent {
  readonly version?: unknown
  readonly httpMethod?: unknown
  readonly requestContext?: { readonly http?: { readonly method?: unknown } } | null
  readonly headers?: Readonly<Record<string, HeaderValue>> | null
  readonly multiValueHeaders?: Readonly<Record<string, HeaderValue>> | null
}

/** The shape of the headers: `multi` whenever the event carries `multiValueHeaders`. */
export function shapeOf(event: LambdaHttpEvent): EventShape {
  const { multiValueHeaders } = event as AnyEvent
  return typeof multiValueHeaders === 'object' && multiValueHeaders !== null ? 'multi' : 'single'
}

/** The request method: `requestContext.http.method` in 2.0 events, `httpMethod` in the others. */
export function methodOf(event: LambdaHttpEvent): string {
  const { version, httpMethod, requestContext } = event as AnyEvent
  const method = version === '2.0' ? requestContext?.http?.method : httpMethod
  return typeof method === 'string' ? method : ''
}

/**
 * A header getter over the event. 1.0 and ALB events keep header names as the client sent them, so
 * they are matched without regard to case, and repeated lines come from `multiValueHeaders` when the
 * event has it (never the single `headers` value, which holds only the last line). 2.0 events have
 * lower-case names, and repeated lines already joined with commas by API Gateway or the Function URL.
 */
export function headerReader(event: LambdaHttpEvent): (name: string) => HeaderValue {
  const { version, headers, multiValueHeaders } = event as AnyEvent
  if (version === '2.0')
    return (name) => (headers != null && Object.hasOwn(headers, name) ? headers[name] : undefined)
  const record = multiValueHeaders ?? headers
  return (name) => (record == null ? undefined : lookup(record, name))
}

// Every key that names the header, in any case (a client may send `Origin` and `origin`).
function lookup(record: Readonly<Record<string, HeaderValue>>, name: string): HeaderValue {
  let found: string[] | undefined
  for (const key of Object.keys(record)) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue
    const value = record[key]
    if (value === undefined) continue
    found = (found ?? []).concat(value)
  }
  return found
}
