import { beforeAll, describe, expect, it } from 'vitest'
import { groups } from './cases.ts'
import type { ConformanceClient, ConformanceResponse, ConformanceWant, MakeClient } from './types.ts'

function varyNames(response: ConformanceResponse): string[] {
  const value = response.headers.vary ?? ''
  return value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
}

/** Asserts the composed response against one row of the table. */
export function expectConformance(response: ConformanceResponse, want: ConformanceWant): void {
  expect(response.status, 'status').toBe(want.status)
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    expect(response.headers[name], `header ${name}`).toBe(value)
  }
  for (const name of want.absentHeaders ?? []) {
    expect(response.headers[name], `header ${name} must be absent`).toBeUndefined()
  }
  if (want.noCorsHeaders === true) {
    const cors = Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))
    expect(cors, 'no Access-Control-* header').toEqual([])
  }
  const vary = varyNames(response)
  for (const name of want.vary ?? []) {
    expect(
      vary.filter((n) => n === name).length,
      `Vary must hold ${name} exactly once (got "${response.headers.vary}")`,
    ).toBe(1)
  }
  for (const name of want.varyAbsent ?? []) {
    expect(vary, `Vary must not hold ${name}`).not.toContain(name)
  }
  expect(response.handlerCalled, 'handler called').toBe(want.handlerCalled)
}

/**
 * Runs the whole conformance table against one adapter. `makeClient(options)` builds the
 * application described in `types.ts` around the policy and returns a function that sends one
 * request through the framework's own request API.
 */
export function describeConformance(adapter: string, makeClient: MakeClient): void {
  describe(`${adapter}: conformance`, () => {
    for (const group of groups) {
      describe(group.name, () => {
        let client: ConformanceClient
        beforeAll(async () => {
          client = await makeClient(group.options)
        })
        for (const c of group.cases) {
          it(c.name, async () => {
            expectConformance(await client(c.request), c.want)
          })
        }
      })
    }
  })
}
