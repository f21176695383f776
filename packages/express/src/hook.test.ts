import { createServer, IncomingMessage, ServerResponse } from 'node:http'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { cors } from './index.ts'

const origin = 'https://app.example.com'
const evil = 'https://evil.example'

function request(headers: Record<string, string>): IncomingMessage {
  const req = new IncomingMessage(null as never)
  req.method = 'GET'
  req.url = '/'
  req.headers = headers
  return req
}

// The policy is enforced when the head is written through one hook on the response's class: no
// response gets an own writeHead (which would change its shape and cost every request).
describe('the writeHead hook', () => {
  const middleware = cors({ origin: [origin] })

  it('leaves each response without an own writeHead and enforces the policy at send time', () => {
    const req = request({ origin: evil })
    const res = new ServerResponse(req)
    middleware(req, res, () => {
      res.setHeader('access-control-allow-origin', '*')
      res.setHeader('vary', 'Accept-Encoding')
      res.end('ok')
    })
    expect(Object.hasOwn(res, 'writeHead')).toBe(false)
    expect(res.getHeader('access-control-allow-origin')).toBeUndefined()
    expect(res.getHeader('vary')).toBe('Accept-Encoding, Origin')
  })

  it('enforces the policy on a response class with its own writeHead, which ends in the base one', () => {
    const seen: number[] = []
    class Logged extends ServerResponse {}
    Logged.prototype.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      seen.push(args[0] as number)
      return Reflect.apply(ServerResponse.prototype.writeHead, this, args)
    } as ServerResponse['writeHead']
    const req = request({ origin: evil })
    const res = new Logged(req)
    middleware(req, res, () => {
      res.setHeader('access-control-allow-origin', '*')
      res.writeHead(200, { 'access-control-allow-credentials': 'true' })
      res.end()
    })
    expect(seen).toEqual([200])
    expect(res.getHeader('access-control-allow-origin')).toBeUndefined()
    expect(res.getHeader('access-control-allow-credentials')).toBeUndefined()
  })

  it('does nothing to the responses of a server no policy runs on', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, 'Fine', { 'access-control-allow-origin': '*', vary: 'Cookie' })
      res.end()
    })
    const response = await supertest(server).get('/').set('origin', evil)
    expect(response.status).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBe('*')
    expect(response.headers.vary).toBe('Cookie')
  })
})
