import type { CorsOptions, CorsRejection } from '@cors/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { describeProtectionAdversarial } from './adversarial-protection.ts'
import { expectConformance } from './describe.ts'
import {
  type ProtectionGroup,
  protectedRequest,
  protectionConstructionErrors,
  protectionGroups,
} from './protection-cases.ts'
import type { AdversarialTransport, ConformanceClient, MakeClient } from './types.ts'

/** Builds the application around a policy, recording every rejection the policy reports. */
export async function buildRecorded(
  makeClient: MakeClient,
  options: CorsOptions,
): Promise<{ client: ConformanceClient; rejections: CorsRejection[] }> {
  const rejections: CorsRejection[] = []
  const client = await makeClient({ ...options, onReject: (rejection) => rejections.push(rejection) })
  return { client, rejections }
}

function describeGroup(group: ProtectionGroup, makeClient: MakeClient): void {
  describe(group.name, () => {
    let built: Awaited<ReturnType<typeof buildRecorded>>
    beforeAll(async () => {
      built = await buildRecorded(makeClient, group.options)
    })
    for (const c of group.cases) {
      it(c.name, async () => {
        built.rejections.length = 0
        const response = await built.client(c.request)
        expectConformance(response, c.want)
        const refusals = built.rejections.filter((r) => r.reason === 'cross-origin-request-refused')
        if (c.want.status === 403 && c.request.method !== 'OPTIONS') {
          expect(response.body ?? '', 'empty body').toBe('')
          expect(refusals, 'onReject told once').toHaveLength(1)
        }
        if (c.reported !== undefined) {
          expect(refusals, 'onReject told once').toHaveLength(1)
          for (const text of c.reported) expect(refusals[0]!.message).toContain(text)
        }
        if (c.want.status !== 403 && c.reported === undefined) expect(refusals).toEqual([])
      })
    }
  })
}

/**
 * Runs the `crossOriginProtection` table against one adapter (methods × Sec-Fetch-Site × Origin ×
 * Host, upgrades, reportOnly, bypass, construction errors), then its adversarial part. `makeClient`
 * builds the conformance app of `types.ts` (only `/ok` is used: every method answers 200 `ok`) and
 * must send the request's `host` header as given.
 */
export function describeProtection(
  adapter: string,
  makeClient: MakeClient,
  transport: AdversarialTransport = {},
): void {
  describe(`${adapter}: cross-origin protection`, () => {
    for (const group of protectionGroups) describeGroup(group, makeClient)

    describe('construction', () => {
      it.each(protectionConstructionErrors)(
        'refuses $name, with a fix',
        async ({ options, option, code }) => {
          let error: unknown
          try {
            await makeClient(options)
          } catch (caught) {
            error = caught
          }
          expect(error, 'construction must fail').toMatchObject({ name: 'CorsConfigError' })
          const { issues } = error as { issues: readonly { code: string; option: string; hint: string }[] }
          const issue = issues.find((i) => i.option === option)
          expect(issue).toMatchObject({ code })
          expect(issue!.hint).not.toBe('')
        },
      )
    })

    it('bypass receives the native request object of the framework', async () => {
      const seen: unknown[] = []
      const client = await makeClient({
        origin: ['https://app.example.com'],
        crossOriginProtection: {
          bypass: (context) => {
            seen.push(context)
            return false
          },
        },
      })
      const response = await client(
        protectedRequest('POST', { origin: 'https://evil.example', site: 'cross-site' }),
      )
      expect(response.status).toBe(403)
      expect(seen).toHaveLength(1)
      expect(typeof seen[0]).toBe('object')
      expect(seen[0]).not.toBeNull()
    })

    describeProtectionAdversarial(makeClient, transport)
  })
}
