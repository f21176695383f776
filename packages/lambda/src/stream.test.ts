import { Readable } from 'node:stream'
import type { LambdaFunctionURLEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { installAwsLambda, invokeStreaming } from '../test/awslambda.ts'
import { functionUrlEvent, lambdaContext } from '../test/events.ts'
import { withCorsStreaming } from './index.ts'

const app = 'https://app.example.com'
const get = functionUrlEvent({ method: 'GET', path: '/feed', headers: [['origin', app]] })
const preflight = functionUrlEvent({
  method: 'OPTIONS',
  path: '/feed',
  headers: [
    ['origin', app],
    ['access-control-request-method', 'POST'],
  ],
})

describe('withCorsStreaming (Function URL, RESPONSE_STREAM)', () => {
  let uninstall: () => void
  beforeAll(() => {
    uninstall = installAwsLambda()
  })
  afterAll(() => uninstall())

  it('streams the body after metadata that carries the CORS headers', async () => {
    const handler = withCorsStreaming(
      async (_event: LambdaFunctionURLEvent) => ({
        statusCode: 200,
        headers: { 'content-type': 'text/plain', vary: 'Accept-Encoding' },
        cookies: ['seen=1'],
        body: Readable.from(['one ', 'two ', 'three']),
      }),
      { origin: [app], exposedHeaders: ['x-total'] },
    )
    const sent = await invokeStreaming(handler, get, lambdaContext)
    expect(sent.contentType).toBe('application/vnd.awslambda.http-integration-response')
    expect(sent.metadata).toEqual({
      statusCode: 200,
      headers: {
        'content-type': 'text/plain',
        vary: 'Accept-Encoding, Origin',
        'access-control-allow-origin': app,
        'access-control-expose-headers': 'x-total',
      },
      cookies: ['seen=1'],
    })
    expect(sent.body).toBe('one two three')
  })

  it('answers a preflight without calling the handler, metadata and an empty body', async () => {
    const handler = vi.fn(async () => ({ statusCode: 200, body: 'never' }))
    const sent = await invokeStreaming(
      withCorsStreaming(handler, { origin: [app] }),
      preflight,
      lambdaContext,
    )
    expect(handler).not.toHaveBeenCalled()
    expect(sent.metadata).toMatchObject({ statusCode: 204, headers: { 'access-control-allow-origin': app } })
    expect(sent.body).toBe('')
  })

  it('sends a web ReadableStream or a string body too', async () => {
    const web = withCorsStreaming(async () => ({ body: ReadableStream.from(['a', 'b']) as never }), {
      origin: [app],
    })
    expect((await invokeStreaming(web, get, lambdaContext)).body).toBe('ab')
    const text = withCorsStreaming(async () => ({ statusCode: 201, body: 'done' }), { origin: [app] })
    const sent = await invokeStreaming(text, get, lambdaContext)
    expect(sent).toMatchObject({ body: 'done', metadata: { statusCode: 201 } })
  })

  it('a thrown error before the first byte is a plain 500 with the CORS headers', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const handler = withCorsStreaming(
        async () => {
          throw new Error('boom')
        },
        { origin: [app] },
      )
      const sent = await invokeStreaming(handler, get, lambdaContext)
      expect(sent.metadata).toMatchObject({
        statusCode: 500,
        headers: { 'access-control-allow-origin': app },
      })
      expect(sent.body).toBe('Internal Server Error')
    } finally {
      log.mockRestore()
    }
  })
})

describe('withCorsStreaming outside Lambda', () => {
  it('says that it needs the runtime awslambda global', () => {
    expect(() => withCorsStreaming(async () => ({ body: '' }))).toThrow(/awslambda global/)
  })
})
