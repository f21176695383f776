import type { CDPSession } from 'playwright-core'
import type { Har, HarEntry, HarHeader } from '../src/har-types.ts'

// A HAR as DevTools' "Save all as HAR" writes it, built from the DevTools protocol events of a page:
// preflights as their own entries (resource type "preflight"), the headers as sent and received
// (the *ExtraInfo events, which carry them for blocked responses too), one entry per redirect hop,
// and `_error` on failed requests (status 0 when no response came). Playwright's recordHar has none of this for blocked requests.

interface Hop {
  url: string
  method: string
  type: string
  requestHeaders: HarHeader[] | null
  status: number
  responseHeaders: HarHeader[] | null
  error?: string
}

const list = (headers: Record<string, string>): HarHeader[] =>
  Object.entries(headers).flatMap(([name, value]) => value.split('\n').map((line) => ({ name, value: line })))

/** Starts recording a page's requests; `har()` returns what was recorded so far. */
export async function recordDevToolsHar(cdp: CDPSession): Promise<{ har: () => Har }> {
  const order: Hop[] = []
  const hops = new Map<string, Hop[]>()
  const current = (id: string) => hops.get(id)?.at(-1)
  cdp.on('Network.requestWillBeSent', (event) => {
    const previous = current(event.requestId)
    if (previous !== undefined && event.redirectResponse !== undefined) {
      previous.status = event.redirectResponse.status
      previous.responseHeaders ??= list(event.redirectResponse.headers)
    }
    const hop: Hop = {
      url: event.request.url,
      method: event.request.method,
      type: (event.type ?? 'Other').toLowerCase(),
      requestHeaders: null,
      status: 0,
      responseHeaders: null,
    }
    hops.set(event.requestId, [...(hops.get(event.requestId) ?? []), hop])
    order.push(hop)
  })
  // Extra info may come before or after requestWillBeSent: each fills the first hop still missing it.
  const pending = new Map<string, { request: HarHeader[][]; response: [number, HarHeader[]][] }>()
  const settle = (id: string) => {
    const waiting = pending.get(id)
    for (const hop of hops.get(id) ?? []) {
      if (hop.requestHeaders === null && waiting?.request.length)
        hop.requestHeaders = waiting.request.shift()!
      if (hop.responseHeaders === null && waiting?.response.length) {
        const [status, headers] = waiting.response.shift()!
        hop.status = status
        hop.responseHeaders = headers
      }
    }
  }
  const wait = (id: string) => pending.get(id) ?? pending.set(id, { request: [], response: [] }).get(id)!
  cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
    wait(event.requestId).request.push(list(event.headers))
    settle(event.requestId)
  })
  cdp.on('Network.responseReceivedExtraInfo', (event) => {
    wait(event.requestId).response.push([event.statusCode, list(event.headers)])
    settle(event.requestId)
  })
  cdp.on('Network.responseReceived', (event) => {
    settle(event.requestId)
    const hop = current(event.requestId)
    if (hop !== undefined) hop.type = event.type.toLowerCase()
  })
  cdp.on('Network.loadingFailed', (event) => {
    settle(event.requestId)
    const hop = current(event.requestId)
    if (hop !== undefined) hop.error = event.errorText
  })
  await cdp.send('Network.enable')
  const entry = (hop: Hop): HarEntry => ({
    request: { method: hop.method, url: hop.url, headers: hop.requestHeaders ?? [] },
    // A response the browser refused to hand over keeps its status and headers, as DevTools shows them.
    response: {
      status: hop.status,
      headers: hop.responseHeaders ?? [],
      ...(hop.error === undefined ? {} : { _error: hop.error }),
    },
    _resourceType: hop.type,
  })
  return { har: () => ({ log: { entries: order.map(entry) } }) }
}
