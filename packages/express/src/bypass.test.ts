import type { IncomingMessage } from 'node:http'
import { describeBypass } from '@cors/conformance'
import express from 'express'
import { send } from '../test/app.ts'
import { cors } from './index.ts'

// The README's bypass and the core hint's code, run as written (see describeBypass), at the root and
// under a mount prefix: inside a mounted middleware req.url is relative to the mount.
describeBypass<IncomingMessage>('@cors/express', {
  readme: new URL('../README.md', import.meta.url),
  line: "crossOriginProtection: { bypass: (req) => (req.url ?? '').startsWith('/webhooks/') }",
  bypass: (req) => (req.url ?? '').startsWith('/webhooks/'),
  prefixes: ['', '/api'],
  serve: (options, prefix) => {
    const app = express()
    app.use(prefix || '/', cors(options))
    app.post([`${prefix}/webhooks/stripe`, `${prefix}/account`], (_req, res) => void res.send('ok'))
    return async (url, headers) => (await send(app, 'POST', url, headers)).status
  },
  construct: (options) => cors(options),
})
