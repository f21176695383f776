import { playgroundAdapters } from '@cors/conformance/adapters'
import type { LoggedRequest } from './decision-log.ts'
import {
  type ApiName,
  apiNames,
  defaultPorts,
  examplesPageOrigin,
  type PlaygroundPorts,
  startPlayground,
} from './playground.ts'

// `npm start`: the playground on its default ports (each can be moved with an environment variable),
// until Ctrl-C.

const env: Record<keyof PlaygroundPorts, string> = {
  page: 'PAGE_PORT',
  otherPage: 'OTHER_PAGE_PORT',
  ...(Object.fromEntries(playgroundAdapters.map((adapter) => [adapter.name, adapter.env])) as Record<
    ApiName,
    string
  >),
}

function portsFromEnv(): PlaygroundPorts {
  const ports = { ...defaultPorts }
  for (const key of Object.keys(env) as (keyof PlaygroundPorts)[]) {
    const value = process.env[env[key]]
    if (value === undefined || value === '') continue
    const port = Number(value)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`${env[key]}=${value} is not a port number`)
      process.exit(1)
    }
    ports[key] = port
  }
  return ports
}

function line(request: LoggedRequest): string {
  const what = request.preflight ? `preflight for ${request.requestMethod}` : request.method
  const why =
    request.reason === 'allowed' || request.reason === 'no-origin' ? request.reason : request.message
  return `${request.api.padEnd(7)} ${what} ${request.url} -> ${request.status} (${why})`
}

const ports = portsFromEnv()
let playground: Awaited<ReturnType<typeof startPlayground>>
try {
  playground = await startPlayground({ ports, onRequest: (request) => console.log(line(request)) })
} catch (error) {
  const code = (error as { code?: unknown }).code
  console.error(code === 'EADDRINUSE' ? `A port is already in use: ${(error as Error).message}` : error)
  console.error(`Ports can be moved with ${Object.values(env).join(', ')}.`)
  process.exit(1)
}

const { urls } = playground
console.log(`
CORS playground: open ${urls.page}
  the same page on another origin (not allowed): ${urls.otherPage}
  example APIs: ${apiNames.map((name) => `${name} ${urls.apis[name]}`).join(', ')}
  a cross-site form post with crossOriginProtection off and on: ${urls.protection}
Press Ctrl-C to stop.
`)
if (`${new URL(urls.page).origin}` !== examplesPageOrigin) {
  console.warn(
    `Note: the example policies allow ${examplesPageOrigin} (examples/next: any port of localhost), not ${new URL(urls.page).origin}.`,
  )
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('\nStopping the playground.')
    void playground.close().then(() => process.exit(0))
  })
}
