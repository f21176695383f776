// Lambda HTTP events built the way each AWS service documents them, from one HTTP request given as
// its header lines; and results read back the way each service turns them into an HTTP response.
// Used by the package's suites and by the local HTTP -> event bridge in examples/lambda.
// Shapes: API Gateway "Input format of a Lambda function for proxy integration" (REST, 1.0), "Working
// with AWS Lambda proxy integrations for HTTP APIs" (2.0), Lambda "Invoking Lambda function URLs"
// (request and response payloads), ELB "Lambda functions as targets" (with and without multi-value
// headers); typed with @types/aws-lambda.
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEvent,
} from 'aws-lambda'

/** One HTTP request: header lines in the order and case the client sent them. */
export interface HttpRequest {
  readonly method: string
  readonly path: string
  /** The query string without `?`, `''` when none. */
  readonly query?: string
  readonly headers: readonly (readonly [string, string])[]
  readonly body?: string
  readonly sourceIp?: string
}

/** The event kinds: which AWS service invokes the function, and how. */
export const eventKinds = ['rest', 'http-api', 'function-url', 'alb', 'alb-multi-value'] as const
export type EventKind = (typeof eventKinds)[number]

const accountId = '123456789012'
const requestTime = '07/Dec/2026:15:00:00 +0000'
const requestTimeEpoch = 1796655600000

// Repeated query parameters, as the 1.0 and ALB events carry them (first and all values).
function queryParameters(query: string): [Record<string, string>, Record<string, string[]>] {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [name, value] of new URLSearchParams(query)) {
    single[name] = value
    multi[name] = Object.hasOwn(multi, name) ? [...multi[name]!, value] : [value]
  }
  return [single, multi]
}

// Header names in the case the client sent; the single-value record keeps the last line.
function headerMaps(
  request: HttpRequest,
  lower: boolean,
): [Record<string, string>, Record<string, string[]>] {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [sent, value] of request.headers) {
    const name = lower ? sent.toLowerCase() : sent
    single[name] = value
    multi[name] = Object.hasOwn(multi, name) ? [...multi[name]!, value] : [value]
  }
  return [single, multi]
}

const hostOf = (request: HttpRequest, fallback: string): string =>
  request.headers.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? fallback

/** API Gateway REST API, Lambda proxy integration (payload 1.0): both header maps, names as sent. */
export function restEvent(request: HttpRequest): APIGatewayProxyEvent {
  const [headers, multiValueHeaders] = headerMaps(request, false)
  const [query, multiQuery] = queryParameters(request.query ?? '')
  const hasQuery = (request.query ?? '') !== ''
  const domainName = hostOf(request, 'abcdef1234.execute-api.us-east-1.amazonaws.com')
  return {
    resource: '/{proxy+}',
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: { proxy: request.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId,
      apiId: 'abcdef1234',
      authorizer: null,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? '',
      extendedRequestId: 'request-id',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp ?? '192.0.2.1',
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/prod${request.path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTime,
      requestTimeEpoch,
      resourceId: 'abc123',
      resourcePath: '/{proxy+}',
      stage: 'prod',
    },
    body: request.body ?? null,
    isBase64Encoded: false,
  }
}

/**
 * API Gateway HTTP API (payload 2.0) and Function URLs: names in lower case, repeated lines joined
 * with commas, cookies apart.
 */
function v2Event(request: HttpRequest, domainName: string, routeKey: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {}
  const cookies: string[] = []
  for (const [sent, value] of request.headers) {
    const name = sent.toLowerCase()
    if (name === 'cookie') cookies.push(...value.split(/;\s*/).filter((cookie) => cookie !== ''))
    else headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value
  }
  const queryStringParameters: Record<string, string> = {}
  for (const [name, value] of new URLSearchParams(request.query ?? ''))
    queryStringParameters[name] = Object.hasOwn(queryStringParameters, name)
      ? `${queryStringParameters[name]},${value}`
      : value
  const host = headers.host ?? domainName
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: request.query ?? '',
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...((request.query ?? '') !== '' && { queryStringParameters }),
    requestContext: {
      accountId: routeKey === '$default' && domainName.includes('lambda-url') ? 'anonymous' : accountId,
      apiId: host.split('.')[0] ?? '',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? '',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '192.0.2.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage: '$default',
      time: requestTime,
      timeEpoch: requestTimeEpoch,
    },
    ...(request.body !== undefined && { body: request.body }),
    isBase64Encoded: false,
  }
}

/** API Gateway HTTP API, payload format 2.0, default route. */
export const httpApiEvent = (request: HttpRequest): APIGatewayProxyEventV2 =>
  v2Event(request, 'abcdef1234.execute-api.us-east-1.amazonaws.com', '$default')

/** Lambda Function URL (the 2.0 shape; `routeKey` and `stage` are `$default`). */
export const functionUrlEvent = (request: HttpRequest): LambdaFunctionURLEvent =>
  v2Event(request, 'abcdefghijklmnopqrstuvwxyz0123.lambda-url.us-east-1.on.aws', '$default')

/**
 * ALB target: lower-case names; without multi-value headers the load balancer keeps the last line of
 * a repeated header (and the last value of a query parameter), with them every line.
 */
export function albEvent(request: HttpRequest, multiValue: boolean): ALBEvent {
  const [headers, multiValueHeaders] = headerMaps(request, true)
  const [query, multiQuery] = queryParameters(request.query ?? '')
  return {
    requestContext: {
      elb: {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-target-group/6d0ecf831eec9f09',
      },
    },
    httpMethod: request.method,
    path: request.path,
    ...(multiValue
      ? { multiValueQueryStringParameters: multiQuery, multiValueHeaders }
      : { queryStringParameters: query, headers }),
    body: request.body ?? '',
    isBase64Encoded: false,
  }
}

/** The event of one kind for a request. */
export function eventFor(
  kind: EventKind,
  request: HttpRequest,
): APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent {
  switch (kind) {
    case 'rest':
      return restEvent(request)
    case 'http-api':
      return httpApiEvent(request)
    case 'function-url':
      return functionUrlEvent(request)
    case 'alb':
      return albEvent(request, false)
    case 'alb-multi-value':
      return albEvent(request, true)
  }
}

/** An HTTP response as the service sends it: header lines and the body as text. */
export interface HttpResponse {
  readonly status: number
  readonly headers: [string, string][]
  readonly body: string
}

type AnyResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | ALBResult

const lines = (record: Record<string, unknown> | undefined): [string, string][] =>
  Object.entries(record ?? {}).map(([name, value]) => [name, String(value)])

const multiLines = (record: Record<string, unknown[]> | undefined): [string, string][] =>
  Object.entries(record ?? {}).flatMap(([name, values]) =>
    values.map((value): [string, string] => [name, String(value)]),
  )

/**
 * The HTTP response a service makes of a result: REST APIs merge `headers` and `multiValueHeaders`
 * (for a name in both, only the multi-value lines); 2.0 sends `headers` and one `set-cookie` per
 * cookie; an ALB reads `multiValueHeaders` when multi-value headers are on, else `headers`.
 */
export function responseFor(kind: EventKind, result: AnyResult): HttpResponse {
  const body = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64').toString()
    : (result.body ?? '')
  const status = result.statusCode ?? 200
  if (kind === 'http-api' || kind === 'function-url') {
    const cookies = (result as APIGatewayProxyStructuredResultV2).cookies ?? []
    return {
      status,
      headers: [...lines(result.headers), ...cookies.map((c): [string, string] => ['set-cookie', c])],
      body,
    }
  }
  const { multiValueHeaders } = result as ALBResult
  if (kind === 'alb-multi-value') return { status, headers: multiLines(multiValueHeaders), body }
  if (kind === 'alb') return { status, headers: lines(result.headers), body }
  const multi = multiLines(multiValueHeaders)
  const inMulti = new Set(multi.map(([name]) => name.toLowerCase()))
  return {
    status,
    headers: [...lines(result.headers).filter(([name]) => !inMulti.has(name.toLowerCase())), ...multi],
    body,
  }
}

/** A Lambda context as the Node.js runtime passes it. */
export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'cors-example',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:cors-example',
  memoryLimitInMB: '128',
  awsRequestId: '8f5bb3a4-5c2e-4b7e-9a1f-0123456789ab',
  logGroupName: '/aws/lambda/cors-example',
  logStreamName: '2026/12/07/[$LATEST]0123456789abcdef0123456789abcdef',
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
}
