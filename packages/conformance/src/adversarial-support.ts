import { type CorsRequest, toCorsRequest } from '@cors/core'
import { expect } from 'vitest'
import type { ConformanceRequest, ConformanceResponse } from './types.ts'

// Assertions and small tools shared by the adversarial suite.

export function corsHeaders(response: ConformanceResponse): Record<string, string> {
  return Object.fromEntries(
    Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-')),
  )
}

export function varyNames(response: ConformanceResponse): string[] {
  return (response.headers.vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
}

/** The response body, which every client must report for these tests. */
export function body(response: ConformanceResponse): string {
  expect(response.body, 'the client must report the response body').toBeTypeOf('string')
  return response.body!
}

/** Nothing about the policy: no Access-Control-* header at all. */
export function expectNothingDisclosed(response: ConformanceResponse): void {
  expect(corsHeaders(response), 'no Access-Control-* header').toEqual({})
}

/**
 * A rejected preflight: 403, empty body, no CORS header, the application never ran. `handlerCalled`
 * is one flag per client, so it means nothing while other requests are in flight on that client.
 */
export function expectRefusedPreflight(response: ConformanceResponse, alone = true): void {
  expect(response.status, 'status').toBe(403)
  expectNothingDisclosed(response)
  expect(body(response), 'empty body').toBe('')
  if (alone) expect(response.handlerCalled, 'handler called').toBe(false)
}

/** Vary holds exactly these names, each once, in any order and case. */
export function expectVary(response: ConformanceResponse, names: readonly string[]): void {
  expect(varyNames(response).sort(), `Vary is "${response.headers.vary ?? ''}"`).toEqual([...names].sort())
}

/** How many bytes the header lines of a request take on the wire (plus room for Host and the like). */
export function headerBytes(request: ConformanceRequest): number {
  let bytes = 256
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    for (const line of typeof value === 'string' ? [value] : value) bytes += name.length + line.length + 4
  }
  return bytes
}

export function corsRequest(request: ConformanceRequest): CorsRequest {
  return toCorsRequest(request.method, (name) => request.headers?.[name])
}

/** Every header value a response may carry: visible ASCII, tabs and spaces. */
export const visibleValue = /^[\t\x20-\x7e]*$/

export const gc = (): (() => void) => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined)
    throw new Error(
      'the adversarial suite needs global.gc: set test.execArgv: ["--expose-gc"] in vitest.config.ts',
    )
  return collect
}

/** Runs the garbage collector until the heap settles, letting finalizers and weak references clear. */
export async function collectGarbage(): Promise<number> {
  const collect = gc()
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    collect()
  }
  return process.memoryUsage().heapUsed
}

/** A deterministic pseudo-random source, so a failing run can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
