import { readFileSync } from 'node:fs'
import { type AdapterName, adapters, playgroundAdapters } from '@cors/conformance/adapters'
import { describe, expect, it } from 'vitest'

// Counts and names in descriptions come from the one adapter list, so adding an adapter fails here
// until the texts say it.

const root = new URL('../../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')
const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']
const playgroundCount = words[playgroundAdapters.length]!
const counted = /\b(one|two|three|four|five|six|seven|eight|nine|ten) (example APIs|adapters)\b/g

// What the root description calls each adapter: a Record, so a new adapter fails to compile here.
const named: Record<AdapterName, string> = {
  fastify: 'Fastify',
  koa: 'Koa',
  hono: 'Hono',
  fetch: 'Web Fetch',
  express: 'Express',
  next: 'Next.js',
  lambda: 'AWS Lambda',
  h3: 'h3',
  elysia: 'Elysia',
  websocket: 'WebSocket',
}

describe('descriptions follow the adapter list', () => {
  it("the playground's package description and the playground image's alt text count its adapters", () => {
    const description = JSON.parse(read('examples/browser/package.json')).description as string
    const alt = /!\[([^\]]*)\]\(docs\/playground\.png\)/.exec(read('README.md'))?.[1] ?? ''
    for (const text of [description, alt]) {
      const counts = [...text.matchAll(counted)].map((match) => match[1])
      expect(counts).toEqual([playgroundCount])
    }
  })

  it('the root package description names every adapter', () => {
    const description = JSON.parse(read('package.json')).description as string
    for (const adapter of adapters) expect(description).toContain(named[adapter.name])
  })
})
