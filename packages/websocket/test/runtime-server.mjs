// Runs on Bun or Deno (not Node): the README's Fetch-runtime recipe, guard.check(request) before the
// runtime's own upgrade, serving an echo on loopback. Prints its port as one JSON line, then serves
// until it is killed. The package is resolved from the workspace's node_modules, as built.
import { websocketGuard } from '@cors/websocket'

const guard = websocketGuard({ origin: ['https://app.example.com'] })
const echo = (text) => `echo:${text}`

if (globalThis.Bun) {
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request, server) {
      const refusal = await guard.check(request)
      if (refusal) return refusal
      if (server.upgrade(request)) return undefined
      return new Response('Upgrade required', { status: 426 })
    },
    websocket: { message: (ws, message) => ws.send(echo(message)) },
  })
  console.log(JSON.stringify({ runtime: `bun ${Bun.version}`, port: server.port }))
} else {
  Deno.serve(
    {
      hostname: '127.0.0.1',
      port: 0,
      onListen: ({ port }) => console.log(JSON.stringify({ runtime: `deno ${Deno.version.deno}`, port })),
    },
    async (request) => {
      const refusal = await guard.check(request)
      if (refusal) return refusal
      const { socket, response } = Deno.upgradeWebSocket(request)
      socket.onmessage = (event) => socket.send(echo(event.data))
      return response
    },
  )
}
