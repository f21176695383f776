import { describeBypass } from '@cors/conformance'
import Fastify, { type FastifyRequest } from 'fastify'
import { cors } from './index.ts'

// The README's bypass and the core hint's code, run as written (see describeBypass). Fastify checks
// the options when the plugin is registered, so that is where the hint's error comes from.
describeBypass<FastifyRequest>('@cors/fastify', {
  readme: new URL('../README.md', import.meta.url),
  line: "crossOriginProtection: { bypass: (request) => request.url.startsWith('/webhooks/') }",
  bypass: (request) => request.url.startsWith('/webhooks/'),
  serve: async (options) => {
    const app = Fastify()
    await app.register(cors, options)
    app.post('/webhooks/stripe', async () => 'ok')
    app.post('/account', async () => 'ok')
    return async (url, headers) => (await app.inject({ method: 'POST', url, headers })).statusCode
  },
  construct: (options) => Fastify().register(cors, options),
})
