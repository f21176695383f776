import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keepCorsVary } from './instrumentation.ts'

// What Next does to a page's response after the proxy: the proxy's headers set first, then the page
// renderer's res.setHeader('Vary', …) (next/dist/build/templates/app-page.js).
function page(res: ServerResponse, proxyVary: string | undefined, renderer: string): void {
  if (proxyVary !== undefined) res.setHeader('Vary', proxyVary)
  res.setHeader('Vary', renderer)
  res.end('page')
}

describe('keepCorsVary (instrumentation.ts)', () => {
  let url = ''
  const server = createServer((req, res) => {
    const proxy = req.headers['x-proxy-vary']
    page(res, typeof proxy === 'string' ? proxy : undefined, 'rsc, next-router-state-tree')
  })
  beforeAll(async () => {
    keepCorsVary()
    keepCorsVary() // a second call changes nothing
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(() => {
    server.close()
  })

  it("keeps the CORS names the proxy put in Vary when Next's renderer sets it", async () => {
    const response = await fetch(url, { headers: { 'x-proxy-vary': 'Origin' } })
    expect(response.headers.get('vary')).toBe('Origin, rsc, next-router-state-tree')
    const preflightVary = await fetch(url, {
      headers: { 'x-proxy-vary': 'Origin, Access-Control-Request-Method, Accept-Language' },
    })
    expect(preflightVary.headers.get('vary')).toBe(
      'Origin, Access-Control-Request-Method, rsc, next-router-state-tree',
    )
  })

  it('replaces Vary as before when no CORS name is in it', async () => {
    expect((await fetch(url)).headers.get('vary')).toBe('rsc, next-router-state-tree')
    const other = await fetch(url, { headers: { 'x-proxy-vary': 'Accept-Language' } })
    expect(other.headers.get('vary')).toBe('rsc, next-router-state-tree')
  })
})
