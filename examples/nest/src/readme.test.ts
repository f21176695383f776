// The NestJS blocks of the @cors/express and @cors/fastify READMEs are this example's code: every
// line of each block appears, in order, in the file the tests run (those files add only their own
// imports and a log line).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

// The TypeScript blocks of a README's "## NestJS" section.
function nestBlocks(readme: string): string[] {
  const text = read(readme)
  const start = text.indexOf('\n## NestJS\n')
  const section = text.slice(start, text.indexOf('\n## ', start + 1))
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)
}

const lines = (code: string) =>
  code
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')

// Whether the lines of `block` appear in `file` in the same order.
function contains(file: string, block: string): boolean {
  const have = lines(file)
  let at = 0
  for (const line of lines(block)) {
    at = have.indexOf(line, at)
    if (at === -1) return false
    at++
  }
  return true
}

describe('the README NestJS blocks are the code under test', () => {
  const express = nestBlocks('../../../packages/express/README.md')
  const fastify = nestBlocks('../../../packages/fastify/README.md')

  it.each([
    ['@cors/express, app.use', express[0], 'main-express.ts'],
    ['@cors/express, MiddlewareConsumer', express[1], 'app.module.ts'],
    ['@cors/fastify, app.register', fastify[0], 'main-fastify.ts'],
  ])('%s is %s', (_, block, file) => {
    expect(block).toBeDefined()
    expect(contains(read(`./${file}`), block!)).toBe(true)
  })

  it('each README has exactly those blocks', () => {
    expect([express.length, fastify.length]).toEqual([2, 1])
  })
})
