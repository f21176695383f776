import type { CorsOptions, CorsRejection } from '@cors/core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { describeProtectionAdversarial } from './adversarial-protection.ts'
import { expectConformance } from './describe.ts'
import {
  type ProtectionGroup,
  protectedRequest,
  protectionConstructionErrors,
  protectionGroups,
  refusedByProtection,
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

    it('hooks whose promises reject crash nothing and change no response', async () => {
      await expectHooksSettled(makeClient)
    })

    describeProtectionAdversarial(makeClient, transport)
  })
}

// Issue 18.1: an async bypass, onShadow or onReject that rejected became an unhandled rejection, which
// ends Node. Each is caught and written to console.error; the responses are the policy's alone.
let runs = 0
async function expectHooksSettled(makeClient: MakeClient): Promise<void> {
  // Each failure is written once per hook and message in a process: messages of their own per run.
  const run = ++runs
  const unhandled: unknown[] = []
  const record = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', record)
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  try {
    const client = await makeClient({
      origin: ['https://app.example.com'],
      crossOriginProtection: {
        bypass: () => Promise.reject(new Error(`webhook store down ${run}`)) as never,
      },
      onReject: async () => {
        throw new Error(`log store down ${run}`)
      },
      shadow: { origin: ['https://partner.example'], crossOriginProtection: true },
      onShadow: async () => {
        throw new Error(`shadow log down ${run}`)
      },
    })
    const refused = await client(
      protectedRequest('POST', { origin: 'https://evil.example', site: 'cross-site' }),
    )
    expectConformance(refused, refusedByProtection)
    const read = await client(
      protectedRequest('GET', { origin: 'https://app.example.com', site: 'cross-site' }),
    )
    expect(read.status).toBe(200)
    expect(read.headers['access-control-allow-origin']).toBe('https://app.example.com')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(unhandled).toEqual([])
    const lines = error.mock.calls.map(([line]) => String(line)).join('\n')
    for (const text of ['webhook store down', 'log store down', 'shadow log down'])
      expect(lines).toContain(`${text} ${run}`)
  } finally {
    process.off('unhandledRejection', record)
    error.mockRestore()
  }
}
