import { once } from 'node:events'
import { createServer, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cors } from './index.ts'

// Issue 18.5: the writeHead wrapper reads its arguments as Node's ServerResponse.writeHead does. Each
// form is sent by a plain node:http response and by one a policy decided; apart from the policy's own
// headers (Access-Control-*, Vary), the client must receive the same status, headers and body.

const origin = 'https://app.example.com'
const forms: Record<string, (res: ServerResponse) => void> = {
  'an object': (res) => res.writeHead(200, { 'x-frame-options': 'DENY', 'content-length': 2 }),
  'a status message and an object': (res) => res.writeHead(200, 'Fine', { 'x-frame-options': 'DENY' }),
  'undefined, then an object': (res) => res.writeHead(200, undefined, { 'x-frame-options': 'DENY' }),
  'null, then an object': (res) => res.writeHead(200, null as never, { 'x-frame-options': 'DENY' }),
  'an object after setHeader': (res) => {
    res.setHeader('x-set', 'before')
    res.writeHead(200, { 'x-frame-options': 'DENY', 'x-set': 'after' })
  },
  '[name, value] pairs': (res) =>
    res.writeHead(200, [
      ['x-frame-options', 'DENY'],
      ['x-twice', '1'],
      ['x-twice', '2'],
    ] as never),
  'a flat list': (res) => res.writeHead(200, ['x-frame-options', 'DENY', 'x-twice', '1', 'x-twice', '2']),
  'a flat list after setHeader replaces': (res) => {
    res.setHeader('content-length', '5')
    res.writeHead(200, ['content-length', '2', 'x-frame-options', 'DENY'])
  },
  'a flat list with an odd length (refused)': (res) => {
    res.setHeader('x-set', 'before')
    res.writeHead(200, ['x-frame-options'])
  },
  '[name, value] pairs after setHeader (refused)': (res) => {
    res.setHeader('x-set', 'before')
    res.writeHead(200, [['x-frame-options', 'DENY']] as never)
  },
  'a status only': (res) => res.writeHead(204),
}

type Handler = (res: ServerResponse, form: (res: ServerResponse) => void) => void
const answer: Handler = (res, form) => {
  try {
    form(res)
    res.end(res.statusCode === 204 ? undefined : 'ok')
  } catch (error) {
    res.statusCode = 500
    res.end(`${(error as { code?: string }).code}`)
  }
}

interface Received {
  readonly status: number
  readonly message: string
  readonly headers: string[]
  readonly body: string
}

const policyOwned = /^(access-control-|vary$|date$|connection$|keep-alive$)/i
let plain: Server
let decided: Server

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

function get(server: Server, path: string): Promise<Received> {
  return new Promise((resolve, reject) => {
    const port = (server.address() as AddressInfo).port
    request({ host: '127.0.0.1', port, path, headers: { origin } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => {
        const headers: string[] = []
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          if (!policyOwned.test(res.rawHeaders[i]!))
            headers.push(`${res.rawHeaders[i]!.toLowerCase()}: ${res.rawHeaders[i + 1]}`)
        resolve({ status: res.statusCode!, message: res.statusMessage!, headers, body })
      })
    })
      .on('error', reject)
      .end()
  })
}

beforeAll(async () => {
  const form = (url = '/') => forms[decodeURIComponent(url.slice(1))]!
  plain = createServer((req, res) => answer(res, form(req.url)))
  const middleware = cors({ origin })
  decided = createServer((req, res) => middleware(req, res, () => answer(res, form(req.url))))
  await Promise.all([listen(plain), listen(decided)])
})

afterAll(() => {
  plain.close()
  decided.close()
})

describe('writeHead on a response a policy decided reads its arguments as Node does', () => {
  it.each(Object.keys(forms))('%s', async (name) => {
    const path = `/${encodeURIComponent(name)}`
    const [expected, received] = await Promise.all([get(plain, path), get(decided, path)])
    expect(received).toEqual(expected)
    if (expected.status === 200) expect(expected.headers.length).toBeGreaterThan(0)
  })

  it('the policy still writes its headers with every form', async () => {
    for (const name of Object.keys(forms).filter((form) => !form.includes('refused'))) {
      const response = await new Promise<Record<string, unknown>>((resolve) => {
        const port = (decided.address() as AddressInfo).port
        request(
          { host: '127.0.0.1', port, path: `/${encodeURIComponent(name)}`, headers: { origin } },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.headers))
          },
        ).end()
      })
      expect(response['access-control-allow-origin']).toBe(origin)
      expect(response.vary).toBe('Origin')
    }
  })
})
