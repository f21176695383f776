import type { AddressInfo } from 'node:net'
import { cors as ours } from '@cors/express'
import peer from 'cors'
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import { corsOptions, handWritten, path, payload, peerOptions, totalCount } from '../policy.ts'
import type { Framework, Listening } from './types.ts'

// The application: GET /data; anything else falls through to Express's 404.
function dataRoute(_req: Request, res: Response): void {
  res.set('x-total-count', totalCount)
  res.json(payload)
}

// The hand-written minimum: static headers for a known origin, preflights answered at once (also
// what nest-express.ts mounts with Nest's app.use).
export function handWrittenCors(req: Request, res: Response, next: NextFunction): void {
  const origin = req.headers.origin
  if (origin === undefined || !handWritten.allowed.has(origin)) {
    res.setHeader('vary', 'Origin')
    next()
    return
  }
  res.setHeader('access-control-allow-origin', origin)
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    for (const [name, value] of Object.entries(handWritten.preflight)) res.setHeader(name, value)
    res.statusCode = 204
    res.end()
    return
  }
  for (const [name, value] of Object.entries(handWritten.actual)) res.setHeader(name, value)
  next()
}

// The cors package, as its README shows it: an array of origins (it echoes the one that matches).
const peerCors = (): RequestHandler => peer(peerOptions)

function listen(port: number, cors?: RequestHandler): Promise<Listening> {
  const app = express()
  if (cors !== undefined) app.use(cors)
  app.get(path, dataRoute)
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1')
    server.once('error', reject)
    server.once('listening', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    )
  })
}

export const express5: Framework = {
  name: 'express',
  start: {
    none: (port) => listen(port),
    'hand-written': (port) => listen(port, handWrittenCors),
    peer: (port) => listen(port, peerCors()),
    ours: (port) => listen(port, ours(corsOptions)),
  },
}
