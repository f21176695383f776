// The runner: a hidden frame of the playground on each page origin. The playground page posts it a
// request; it runs fetch() from its own origin (so the browser applies CORS to that origin) and posts
// back what the page could see. It takes orders only from the playground's own origins.

const config = fetch('/api/config').then((response) => response.json())

async function run(url, init) {
  const started = performance.now()
  const ms = () => Math.round(performance.now() - started)
  try {
    const response = await fetch(url, init)
    const body = await response.text()
    return {
      read: true,
      status: response.status,
      statusText: response.statusText,
      // Only the headers the browser lets JavaScript read: the safelisted ones and those exposed.
      headers: [...response.headers],
      body: body.length > 2000 ? `${body.slice(0, 2000)}...` : body,
      ms: ms(),
    }
  } catch (error) {
    // A CORS failure is a network error: fetch() rejects with a TypeError that says nothing more.
    return { read: false, error: String(error), ms: ms() }
  }
}

window.addEventListener('message', async (event) => {
  const { pages } = await config
  if (!pages.some((page) => page.origin === event.origin)) return
  const message = event.data
  if (message?.type !== 'fetch' || event.source === null) return
  const result = await run(message.url, message.init)
  event.source.postMessage({ type: 'result', id: message.id, result }, { targetOrigin: event.origin })
})

// Carries no data, so any parent may hear it.
window.parent.postMessage({ type: 'ready' }, '*')
