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
  /** The headers `requestWillBeSent` shows (DevTools' "provisional headers"), for a hop never sent. */
  provisional: HarHeader[]
  /** The answer `requestWillBeSent` (redirectResponse) or `responseReceived` carried, if any. */
  answer?: Answer
  error?: string
}

type Answer = readonly [status: number, headers: HarHeader[]]

const list = (headers: Record<string, string>): HarHeader[] =>
  Object.entries(headers).flatMap(([name, value]) => value.split('\n').map((line) => ({ name, value: line })))

/**
 * Starts recording a page's requests; `har()` returns what was recorded so far. The events of one
 * request come on two channels in no fixed order (the *ExtraInfo events may come before or after
 * requestWillBeSent, responseReceived or a redirect's next requestWillBeSent), so nothing is paired
 * as the events come: `har()` gives the n-th hop of a requestId the n-th ExtraInfo of each kind.
 */
export async function recordDevToolsHar(cdp: CDPSession): Promise<{ har: () => Har }> {
  const order: { id: string; hop: Hop }[] = []
  const hops = new Map<string, Hop[]>()
  const sent = new Map<string, HarHeader[][]>()
  const received = new Map<string, Answer[]>()
  const push = <T>(map: Map<string, T[]>, id: string, item: T) => map.set(id, [...(map.get(id) ?? []), item])
  const current = (id: string) => hops.get(id)?.at(-1)
  cdp.on('Network.requestWillBeSent', (event) => {
    const previous = current(event.requestId)
    if (previous !== undefined && event.redirectResponse !== undefined)
      previous.answer = [event.redirectResponse.status, list(event.redirectResponse.headers)]
    const hop: Hop = {
      url: event.request.url,
      method: event.request.method,
      type: (event.type ?? 'Other').toLowerCase(),
      provisional: list(event.request.headers),
    }
    push(hops, event.requestId, hop)
    order.push({ id: event.requestId, hop })
  })
  cdp.on('Network.requestWillBeSentExtraInfo', (event) => push(sent, event.requestId, list(event.headers)))
  cdp.on('Network.responseReceivedExtraInfo', (event) =>
    push(received, event.requestId, [event.statusCode, list(event.headers)] as const),
  )
  cdp.on('Network.responseReceived', (event) => {
    const hop = current(event.requestId)
    if (hop === undefined) return
    hop.type = event.type.toLowerCase()
    hop.answer = [event.response.status, list(event.response.headers)]
  })
  cdp.on('Network.loadingFailed', (event) => {
    const hop = current(event.requestId)
    if (hop !== undefined) hop.error = event.errorText
  })
  await cdp.send('Network.enable')
  const entry = ({ id, hop }: { id: string; hop: Hop }): HarEntry => {
    const position = hops.get(id)!.indexOf(hop)
    // A response the browser refused to hand over keeps its status and headers, as DevTools shows them.
    const [status, headers] = received.get(id)?.[position] ?? hop.answer ?? [0, []]
    return {
      request: { method: hop.method, url: hop.url, headers: sent.get(id)?.[position] ?? hop.provisional },
      response: { status, headers, ...(hop.error === undefined ? {} : { _error: hop.error }) },
      _resourceType: hop.type,
    }
  }
  return { har: () => ({ log: { entries: order.map(entry) } }) }
}
