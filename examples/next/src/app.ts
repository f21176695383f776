import { existsSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CorsRejectHook } from '@cors/next'
import next from 'next'
import type { NextRequest } from 'next/server'
import { onRefusal } from '../lib/refusals.ts'

// This example embedded in another Node process, as the playground (examples/browser) runs it: the
// app `next build` made, served in-process through Next's custom-server API (`next()`, `prepare()`,
// `getRequestHandler()`), with the policy's refusals handed to `onReject`.
//
// What Next changes in the process it shares (Next 16.5, all as `next start` does in its own):
// - NODE_ENV: when it is unset, `prepare()` sets it to `production` for the whole process
//   (server/lib/router-server.js). A test runner's `test` is kept; either way Next serves the
//   production build.
// - global fetch: loading a route wraps it (server/lib/patch-fetch.js); outside a Next request the
//   wrapper calls the original fetch, so other code in the process sees no difference.
// - ServerResponse.prototype.setHeader: instrumentation.ts's keepCorsVary() makes setHeader('Vary')
//   keep the CORS names already in Vary, on every server in the process; nothing else changes.
// - console methods: wrapped to dim logs during its own prerenders; a pass-through elsewhere (a spy
//   set on console.error before prepare() keeps recording through the wrapper).
// - an `uncaughtException` listener and an `unhandledRejection` one, which log.
// It leaves the global Response, Request and Headers alone (the playground test checks that h3's
// error and 404 answers still work beside it).

const dir = fileURLToPath(new URL('..', import.meta.url))

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the proxy's policy rejects, with the reason. */
  onReject?: CorsRejectHook<NextRequest>
}

/** The built app, ready to answer requests. */
export interface App {
  /** A `node:http` request listener: `createServer(app.handle)`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>
  /** Stops passing refusals to `onReject` and shuts Next's request handling down. */
  close(): Promise<void>
}

/**
 * Loads the app `next build` made (`npm run build -w @cors-examples/next`) into this process. Its
 * routes and proxy.ts are the ones `next start` serves; `onReject` receives the refusals of the
 * policy in lib/cors.ts, through lib/refusals.ts.
 *
 * @example
 * const app = await createApp({ onReject: (rejection) => console.log(rejection.reason) })
 * createServer(app.handle).listen(3006, '127.0.0.1')
 */
export async function createApp(options: AppOptions = {}): Promise<App> {
  if (!existsSync(join(dir, '.next/BUILD_ID'))) {
    throw new Error(
      'examples/next has not been built: run `npm run build -w @cors-examples/next` (`npm start` and `npm test` at the root build it first)',
    )
  }
  const app = next({ dev: false, dir })
  await app.prepare()
  const handle = app.getRequestHandler()
  // Registered once prepare() has succeeded: a failed start leaves no listener behind.
  const stopListening = options.onReject === undefined ? () => {} : onRefusal(options.onReject)
  return {
    handle: (req, res) => handle(req, res),
    close: async () => {
      stopListening()
      await app.close()
    },
  }
}
