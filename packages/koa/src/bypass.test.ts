import { describeBypass } from '@cors/conformance'
import Koa, { type Context } from 'koa'
import { send } from '../test/app.ts'
import { cors } from './index.ts'

// The README's bypass and the core hint's code, run as written (see describeBypass).
describeBypass<Context>('@cors/koa', {
  readme: new URL('../README.md', import.meta.url),
  line: "crossOriginProtection: { bypass: (ctx) => ctx.path.startsWith('/webhooks/') }",
  bypass: (ctx) => ctx.path.startsWith('/webhooks/'),
  serve: (options) => {
    const app = new Koa()
    app.use(cors(options))
    app.use((ctx) => {
      ctx.body = 'ok'
    })
    return async (url, headers) => (await send(app, 'POST', url, headers)).status
  },
  construct: (options) => cors(options),
})
