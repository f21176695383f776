import { describeProtection } from '@cors/conformance'
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { makeClient } from '../test/app.ts'
import { eventKinds, lambdaContext, restEvent } from '../test/events.ts'
import { withCors } from './index.ts'

// Not the single-value ALB kind: its adversarial rows send two Origin lines, and that ALB keeps only
// the last before Lambda runs (see repeated-headers.test.ts).
for (const kind of eventKinds)
  if (kind !== 'alb') describeProtection(`@cors/lambda (${kind})`, makeClient(kind))

describe('@cors/lambda: cross-origin protection', () => {
  const app = 'https://app.example.com'
  const post = (headers: [string, string][]) =>
    restEvent({ method: 'POST', path: '/orders', headers: [['Host', 'api.example.com'], ...headers] })

  it('compares the Origin with the Host header as the client sent it (any case), never X-Forwarded-Host', async () => {
    const handler = withCors(async () => ({ statusCode: 201, body: '' }), {
      origin: [app],
      crossOriginProtection: true,
    })
    const sameHost = await handler(post([['Origin', 'https://api.example.com']]), lambdaContext)
    expect(sameHost.statusCode).toBe(201)
    const forwarded = await handler(
      post([
        ['Origin', 'https://evil.example'],
        ['X-Forwarded-Host', 'evil.example'],
      ]),
      lambdaContext,
    )
    expect(forwarded.statusCode).toBe(403)
  })

  it('bypass receives { event, context }', async () => {
    const handler = withCors(async (_event: APIGatewayProxyEvent) => ({ statusCode: 200, body: 'ok' }), {
      origin: [app],
      crossOriginProtection: {
        bypass: ({ event, context }) => event.path.startsWith('/webhooks/') && context.functionName !== '',
      },
    })
    const from = (path: string) =>
      restEvent({
        method: 'POST',
        path,
        headers: [
          ['Origin', 'https://evil.example'],
          ['Sec-Fetch-Site', 'cross-site'],
        ],
      })
    expect((await handler(from('/webhooks/github'), lambdaContext)).statusCode).toBe(200)
    expect((await handler(from('/account'), lambdaContext)).statusCode).toBe(403)
  })
})
