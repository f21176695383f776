import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expected, origin } from './expected.ts'

// The core, @cors/fetch and @cors/hono claim Deno and Bun: both runtimes come from the npm registry
// (the `deno` and `bun` packages ship their binaries), serve real handlers on loopback and are asked
// over HTTP. The packages are resolved from the workspace's node_modules, as built.
const fixture = resolve(import.meta.dirname, '../fixtures/runtime-smoke.mjs')
const bin = (name: string) => resolve(import.meta.dirname, '../../../node_modules/.bin', name)
const run = (command: string, args: string[]): string =>
  execFileSync(command, args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })

const runtimes = [
  ['deno', ['run', '--allow-net', '--allow-read', '--allow-env', fixture]],
  ['bun', [fixture]],
] as const

describe.each(runtimes)('%s', (name, args) => {
  it('serves @cors/fetch and @cors/hono with the same answers as Node', () => {
    const result = JSON.parse(run(bin(name), [...args]))
    expect(result.runtime).toMatch(new RegExp(`^${name} \\d`))
    expect(result.core).toEqual({ kind: 'actual', allowOrigin: origin })
    expect(result.fetch).toEqual(expected('from fetch'))
    expect(result.hono).toEqual(expected('from hono'))
  })
})

describe('deno check', () => {
  it('type-checks the core sources as they are, with Deno’s own libraries (no Node types)', () => {
    expect(() =>
      run(bin('deno'), ['check', '--quiet', resolve(import.meta.dirname, '../../core/src/index.ts')]),
    ).not.toThrow()
  })
})
