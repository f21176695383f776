import { createCors } from '@cors/core'
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda'
import { describe, expect, it, vi } from 'vitest'
import { albEvent, eventFor, eventKinds, httpApiEvent, lambdaContext, restEvent } from '../test/events.ts'
import { CorsConfigError, type LambdaCorsContext, type LambdaCorsOptions, withCors } from './index.ts'

const app = 'https://app.example.com'
const get = (headers: [string, string][] = [['Origin', app]]) => ({ method: 'GET', path: '/items', headers })
const preflight = {
  method: 'OPTIONS',
  path: '/items',
  headers: [
    ['Origin', app],
    ['Access-Control-Request-Method', 'POST'],
    ['Access-Control-Request-Headers', 'content-type'],
  ] as [string, string][],
}

describe('withCors: results keep the event shape', () => {
  it('answers a REST (1.0) preflight in multiValueHeaders, without calling the handler', async () => {
    const handler = vi.fn(async (_event: APIGatewayProxyEvent) => ({ statusCode: 200, body: '' }))
    const result = await withCors(handler, { origin: [app], maxAge: 600 })(
      restEvent(preflight),
      lambdaContext,
    )
    expect(handler).not.toHaveBeenCalled()
    expect(result).toEqual({
      statusCode: 204,
      body: '',
      multiValueHeaders: {
        'access-control-allow-origin': [app],
        'access-control-allow-methods': ['GET, HEAD, PUT, PATCH, POST, DELETE'],
        'access-control-allow-headers': ['content-type'],
        'access-control-max-age': ['600'],
        vary: ['Origin, Access-Control-Request-Method, Access-Control-Request-Headers'],
      },
    })
  })

  it('answers an HTTP API (2.0) and a single-value ALB preflight in headers', async () => {
    for (const event of [httpApiEvent(preflight), albEvent(preflight, false)]) {
      const result = await withCors(async () => ({ statusCode: 200, body: '' }), { origin: [app] })(
        event as never,
        lambdaContext,
      )
      expect(result).toMatchObject({ statusCode: 204, headers: { 'access-control-allow-origin': app } })
      expect(result).not.toHaveProperty('multiValueHeaders')
    }
  })

  it('writes a multi-value ALB result in multiValueHeaders, where that ALB reads them', async () => {
    const handler = withCors(
      async (_event: ALBEvent) => ({
        statusCode: 200,
        multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
        body: 'ok',
      }),
      { origin: [app], exposedHeaders: ['x-total'] },
    )
    expect(await handler(albEvent(get(), true), lambdaContext)).toEqual({
      statusCode: 200,
      body: 'ok',
      multiValueHeaders: {
        'set-cookie': ['a=1', 'b=2'],
        'access-control-allow-origin': [app],
        'access-control-expose-headers': ['x-total'],
        vary: ['Origin'],
      },
    })
  })

  it('REST: replaces an Access-Control-* header the handler set in headers, and merges its Vary', async () => {
    const handler = withCors(
      async (_event: APIGatewayProxyEvent) => ({
        statusCode: 200,
        headers: {
          'Access-Control-Allow-Origin': '*',
          Vary: 'Accept-Encoding',
          'Content-Type': 'text/plain',
        },
        body: 'ok',
      }),
      { origin: [app] },
    )
    const result = await handler(restEvent(get()), lambdaContext)
    expect(result.headers).toEqual({ 'Content-Type': 'text/plain' })
    expect(result.multiValueHeaders).toEqual({
      'access-control-allow-origin': [app],
      vary: ['Accept-Encoding, Origin'],
    })
  })

  it('2.0: a result without statusCode is wrapped as API Gateway does (200, JSON), then decorated', async () => {
    const cases: [unknown, string][] = [
      ['hello', 'hello'],
      [{ items: [1, 2] }, '{"items":[1,2]}'],
      [{ body: 'no status' }, '{"body":"no status"}'],
    ]
    for (const [returned, body] of cases) {
      const handler = withCors(async (_event: APIGatewayProxyEventV2) => returned, { origin: [app] })
      expect(await handler(httpApiEvent(get()), lambdaContext)).toEqual({
        statusCode: 200,
        isBase64Encoded: false,
        body,
        headers: { 'content-type': 'application/json', 'access-control-allow-origin': app, vary: 'Origin' },
      })
    }
  })

  it('2.0: keeps cookies and the handler fields it does not own', async () => {
    const handler = withCors(
      async (_event: APIGatewayProxyEventV2) => ({
        statusCode: 201,
        cookies: ['id=1'],
        body: '{}',
        isBase64Encoded: false,
      }),
      { origin: [app] },
    )
    expect(await handler(httpApiEvent(get()), lambdaContext)).toMatchObject({
      statusCode: 201,
      cookies: ['id=1'],
    })
  })

  it('never changes the object the handler returned (a shared, frozen result is safe)', async () => {
    const shared = Object.freeze({ statusCode: 200, headers: Object.freeze({ vary: 'Accept' }), body: 'ok' })
    const handler = withCors(async (_event: APIGatewayProxyEventV2) => shared, { origin: [app] })
    const result = await handler(httpApiEvent(get()), lambdaContext)
    expect(result.headers).toEqual({ vary: 'Accept, Origin', 'access-control-allow-origin': app })
    expect(shared.headers).toEqual({ vary: 'Accept' })
  })
})

describe('withCors: errors', () => {
  it.each(eventKinds)('%s: a thrown error is a plain 500 with the CORS headers, logged', async (kind) => {
    const boom = new Error('boom')
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const handler = withCors(
        async () => {
          throw boom
        },
        { origin: [app] },
      )
      const result = (await handler(eventFor(kind, get()) as never, lambdaContext)) as {
        statusCode: number
        headers?: Record<string, unknown>
        multiValueHeaders?: Record<string, unknown[]>
        body: string
      }
      expect(result.statusCode).toBe(500)
      expect(result.body).toBe('Internal Server Error')
      const headers = result.multiValueHeaders ?? result.headers
      expect(headers?.['access-control-allow-origin']).toEqual(result.multiValueHeaders ? [app] : app)
      expect(log).toHaveBeenCalledWith(boom)
    } finally {
      log.mockRestore()
    }
  })

  it('onError replaces the 500 and receives { event, context }; re-throwing fails the invocation', async () => {
    const boom = new Error('boom')
    const throwing = async (_event: APIGatewayProxyEventV2): Promise<never> => {
      throw boom
    }
    const seen: LambdaCorsContext<APIGatewayProxyEventV2>[] = []
    const teapot = withCors(throwing, {
      origin: [app],
      onError: (_error, request) => {
        seen.push(request)
        return { statusCode: 418, body: 'tea' }
      },
    })
    const event = httpApiEvent(get())
    expect(await teapot(event, lambdaContext)).toMatchObject({
      statusCode: 418,
      headers: { 'access-control-allow-origin': app },
    })
    expect(seen).toEqual([{ event, context: lambdaContext }])
    const rethrow = withCors(throwing, {
      onError: (error) => {
        throw error
      },
    })
    await expect(rethrow(event, lambdaContext)).rejects.toBe(boom)
  })
})

describe('withCors: the policy', () => {
  it('validates the options when it is called, not on the first event', () => {
    expect(() =>
      withCors(async () => ({ statusCode: 200, body: '' }), { origin: '*', credentials: true } as never),
    ).toThrow(CorsConfigError)
    expect(() =>
      withCors(async () => ({ statusCode: 200, body: '' }), 'https://app.example.com' as never),
    ).toThrow(CorsConfigError)
    expect(() =>
      withCors(async () => ({ statusCode: 200, body: '' }), {
        onError: 'log',
      } as unknown as LambdaCorsOptions),
    ).toThrow(TypeError)
  })

  it('gives origin functions and onReject { event, context }', async () => {
    const rejected: string[] = []
    const handler = withCors(async (_event: APIGatewayProxyEvent) => ({ statusCode: 200, body: '' }), {
      origin: (origin, { event, context }) =>
        origin === app && event.requestContext.stage === 'prod' && context.functionName === 'cors-example',
      onReject: (rejection, { event }) => rejected.push(`${rejection.reason} ${event.path}`),
    })
    const allowed = await handler(restEvent(get()), lambdaContext)
    expect(allowed.multiValueHeaders?.['access-control-allow-origin']).toEqual([app])
    await handler(restEvent(get([['Origin', 'https://evil.example']])), lambdaContext)
    expect(rejected).toEqual(['origin-not-allowed /items'])
  })

  it('accepts a policy from createCors, shared by two handlers and updated at run time', async () => {
    const policy = createCors<LambdaCorsContext<APIGatewayProxyEventV2>>({ origin: 'https://a.example' })
    const one = withCors(async (_event: APIGatewayProxyEventV2) => 'one', policy)
    const two = withCors(async (_event: APIGatewayProxyEventV2) => 'two', policy)
    const from = (origin: string) => httpApiEvent(get([['origin', origin]]))
    expect((await one(from('https://a.example'), lambdaContext)).headers).toHaveProperty(
      'access-control-allow-origin',
    )
    policy.update({ origin: 'https://b.example' })
    expect((await two(from('https://a.example'), lambdaContext)).headers).not.toHaveProperty(
      'access-control-allow-origin',
    )
  })

  it('passes a non-preflight OPTIONS event to the handler', async () => {
    const handler = vi.fn(async (_event: APIGatewayProxyEvent) => ({ statusCode: 200, body: 'options' }))
    const result = await withCors(handler, { origin: [app] })(
      restEvent({ method: 'OPTIONS', path: '/', headers: [['Origin', app]] }),
      lambdaContext,
    )
    expect(handler).toHaveBeenCalledOnce()
    expect(result.body).toBe('options')
  })
})
