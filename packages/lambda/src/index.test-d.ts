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
import { describe, expectTypeOf, it } from 'vitest'
import { type LambdaCorsOptions, type LambdaHttpEvent, withCors } from './index.ts'

describe('withCors types', () => {
  it('returns the result type of the event kind the handler takes', () => {
    const rest = withCors(async (_event: APIGatewayProxyEvent) => ({ statusCode: 200, body: '{}' }))
    expectTypeOf(rest).toEqualTypeOf<
      (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>
    >()
    const http = withCors(async (_event: APIGatewayProxyEventV2) => 'plain text is fine in 2.0')
    expectTypeOf(http).returns.resolves.toEqualTypeOf<APIGatewayProxyStructuredResultV2>()
    const url = withCors(async (_event: LambdaFunctionURLEvent) => ({ items: [] }))
    expectTypeOf(url).parameters.toEqualTypeOf<[LambdaFunctionURLEvent, Context]>()
    const alb = withCors(async (_event: ALBEvent) => ({ statusCode: 200, multiValueHeaders: { a: ['1'] } }))
    expectTypeOf(alb).returns.resolves.toEqualTypeOf<ALBResult>()
  })

  it('takes an unannotated handler over every event kind', () => {
    const any = withCors(async (event) => {
      expectTypeOf(event).toEqualTypeOf<LambdaHttpEvent>()
      return { statusCode: 200, body: '{}' }
    })
    expectTypeOf(any).parameters.toEqualTypeOf<[LambdaHttpEvent, Context]>()
  })

  it('gives the hooks and onError { event, context } of the handler event type', () => {
    const options: LambdaCorsOptions<APIGatewayProxyEventV2> = {
      origin: (origin, { event, context }) => {
        expectTypeOf(origin).toBeString()
        expectTypeOf(event).toEqualTypeOf<APIGatewayProxyEventV2>()
        expectTypeOf(context).toEqualTypeOf<Context>()
        return true
      },
      onReject: (rejection, { event }) => {
        expectTypeOf(rejection.reason).not.toEqualTypeOf<'allowed'>()
        expectTypeOf(event.rawPath).toBeString()
      },
      onError: (error) => {
        expectTypeOf(error).toBeUnknown()
        return { statusCode: 500, body: 'failed' }
      },
    }
    withCors(async (_event: APIGatewayProxyEventV2) => 'ok', options)
  })

  it('refuses common mistakes', () => {
    const rest = async (_event: APIGatewayProxyEvent) => ({ statusCode: 200, body: '' })
    // @ts-expect-error credentials need an explicit origin
    withCors(rest, { credentials: true })
    // @ts-expect-error unknown option (hono/cors spelling)
    withCors(rest, { allowHeaders: ['X-Foo'] })
    // @ts-expect-error a REST (1.0) handler must return a result with statusCode and body
    withCors(async (_event: APIGatewayProxyEvent) => 'ok')
  })
})
