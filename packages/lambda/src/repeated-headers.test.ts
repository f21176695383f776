// Repeated request header lines, read the way each event kind carries them: REST (1.0) and
// multi-value ALB events list every line in multiValueHeaders (their single `headers` value is the
// last line only), HTTP APIs and Function URLs join the lines with commas, and an ALB without
// multi-value headers passes on the last line alone.
import { describe, expect, it } from 'vitest'
import { type EventKind, eventFor, type HttpRequest, lambdaContext, responseFor } from '../test/events.ts'
import { withCors } from './index.ts'

const app = 'https://app.example.com'
const evil = 'https://evil.example'
const policy = { origin: [app], allowedHeaders: ['x-ok'], credentials: true }

async function send(kind: EventKind, request: HttpRequest) {
  let called = false
  const handler = withCors(async () => {
    called = true
    return { statusCode: 200, body: 'ok' }
  }, policy)
  const event = eventFor(kind, request)
  const response = responseFor(kind, await handler(event as never, lambdaContext))
  const acao = response.headers.filter(([name]) => name.toLowerCase() === 'access-control-allow-origin')
  return { event, status: response.status, acao: acao.map(([, value]) => value), called }
}

const twoOrigins: HttpRequest = {
  method: 'GET',
  path: '/',
  headers: [
    ['Origin', evil],
    ['Origin', app],
  ],
}
const refusedFirstLine: HttpRequest = {
  method: 'OPTIONS',
  path: '/',
  headers: [
    ['Origin', app],
    ['Access-Control-Request-Method', 'PUT'],
    ['Access-Control-Request-Headers', 'x-secret'],
    ['Access-Control-Request-Headers', 'x-ok'],
  ],
}

describe.each(['rest', 'http-api', 'function-url', 'alb-multi-value'] as const)(
  '%s events carry every line',
  (kind) => {
    it('two Origin lines (the allowed one last) are not an allowed origin: no CORS header', async () => {
      const { event, status, acao, called } = await send(kind, twoOrigins)
      // What the single-value view of the event would say: only the last, allowed, line.
      if ('headers' in event && event.headers != null && kind === 'rest')
        expect(event.headers.Origin).toBe(app)
      expect(status).toBe(200)
      expect(called).toBe(true)
      expect(acao).toEqual([])
    })

    it('a refused first Access-Control-Request-Headers line refuses the preflight', async () => {
      const { status, acao, called } = await send(kind, refusedFirstLine)
      expect(status).toBe(403)
      expect(acao).toEqual([])
      expect(called).toBe(false)
    })
  },
)

describe('alb events without multi-value headers carry the last line only', () => {
  it('the event holds one Origin, the last one sent, and that is what the policy sees', async () => {
    const { event, acao } = await send('alb', twoOrigins)
    expect('headers' in event && event.headers).toMatchObject({ origin: app })
    expect(acao).toEqual([app])
  })

  it('a refused first Access-Control-Request-Headers line never reaches Lambda: turn on multi-value headers', async () => {
    const { event, status } = await send('alb', refusedFirstLine)
    expect('headers' in event && event.headers?.['access-control-request-headers']).toBe('x-ok')
    expect(status).toBe(204)
  })
})
