import { createApp } from './app.ts'

const port = Number(process.env.PORT ?? 3008)
// On Bun, Elysia serves with Bun.serve; on Node it needs the @elysiajs/node adapter.
const adapter = 'Bun' in globalThis ? undefined : (await import('@elysiajs/node')).node()
const app = createApp(adapter === undefined ? {} : { adapter })

app.listen({ port, hostname: '127.0.0.1' }, async (server) => {
  // @elysiajs/node calls back before Node has bound the port: its srvx server's ready() settles
  // once it has (or rejects, e.g. when the port is taken). Bun calls back once it listens.
  const raw = (server as unknown as { raw?: { ready?: () => Promise<unknown> } }).raw
  await raw?.ready?.()
  console.log(`@cors/elysia example listening on http://127.0.0.1:${port}`)
})
