import type { CorsRejectHook, CorsRejection } from '@cors/next'
import type { NextRequest } from 'next/server'

// How a custom server listens to the proxy's refusals. `next build` compiles proxy.ts, and this file
// with it, into a bundle of its own, so a module-level list here would not be the one the custom
// server's copy of this file sees. Next 16 runs that bundle on the Node.js runtime in the server's
// own process, so both copies meet on one process-wide global, keyed by a registered symbol.

/** Receives each request the policy refuses, with the reason, as the policy's `onReject` would. */
export type RefusalListener = CorsRejectHook<NextRequest>

const key = Symbol.for('@cors-examples/next: refusal listeners')

function listeners(): Set<RefusalListener> {
  const global = globalThis as { [key]?: Set<RefusalListener> }
  global[key] ??= new Set()
  return global[key]
}

/** The policy's `onReject` (lib/cors.ts): hands a refusal to every listener in this process. */
export function reportRefusal(rejection: CorsRejection, request: NextRequest): void {
  for (const listener of listeners()) listener(rejection, request)
}

/** Adds a listener; returns the function that removes it. */
export function onRefusal(listener: RefusalListener): () => void {
  listeners().add(listener)
  return () => {
    listeners().delete(listener)
  }
}
