// The README's shared-policy blocks run as written: `createCors` from '@cors/fetch' (no separate
// @cors/core), the policy passed to withCorsRoutes in a route file. Only the names the route block's
// hidden context declares (`policy`, `listTodos`) are given by the test. Every block is also
// type-checked with the repository's strict settings by @cors/smoke.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { extractBlocks } from '../../smoke/src/readme-blocks.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
// Inside this package, so '@cors/fetch' resolves as in an application that installed it.
const out = join(root, 'packages/fetch/node_modules/.readme-run')

function block(contains: string): string {
  const found = extractBlocks(root, join(root, 'packages/fetch/README.md')).find((b) =>
    b.code.includes(contains),
  )
  if (found === undefined) throw new Error(`packages/fetch/README.md: no TypeScript block with ${contains}`)
  return found.code
}

type Route = (request: Request) => Promise<Response>

describe('README: one policy shared through createCors', () => {
  it('runs the lib/cors.ts and route blocks as written', async () => {
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'cors.ts'), block('// lib/cors.ts'))
    const route = `import { policy } from './cors.ts'\nconst listTodos = async () => [{ id: 1 }]\n${block('}, policy)')}`
    writeFileSync(join(out, 'route.ts'), route)
    const { GET, OPTIONS } = (await import(join(out, 'route.ts'))) as { GET: Route; OPTIONS: Route }

    const preflight = await OPTIONS(
      new Request('http://api.test/api/todos', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
      }),
    )
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
    expect(preflight.headers.get('vary')).toContain('Origin')

    const read = await GET(
      new Request('http://api.test/api/todos', { headers: { origin: 'https://app.example.com' } }),
    )
    expect(await read.json()).toEqual([{ id: 1 }])
    expect(read.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    const other = await GET(
      new Request('http://api.test/api/todos', { headers: { origin: 'https://evil.example' } }),
    )
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})
