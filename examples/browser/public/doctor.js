// @cors/doctor in the playground: the browser's checks step by step, computed on this page's own
// server (/api/doctor), next to each result and in a form that diagnoses any URL.

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value))
  element.append(...children.filter((child) => child !== undefined && child !== null))
  return element
}

/**
 * Asks the page server to diagnose a request: `{ diagnosis, text, server? }` or `{ error }`. The
 * route takes a JSON POST only (see src/page-server.ts); `server` is what an example API logged for
 * the doctor's requests.
 */
export async function askDoctor({ url, origin, method, headers, credentials }) {
  const response = await fetch('/api/doctor', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, origin, method, headers: headers ?? {}, credentials: Boolean(credentials) }),
  })
  return response.headers.get('content-type') === 'application/json'
    ? response.json()
    : { error: `${response.status}: ${await response.text()}` }
}

/** What the server logged for the doctor's requests, when the URL is one of the example APIs. */
function serverSide(entries) {
  if (entries === undefined) return null
  const rows = entries.map((entry) =>
    el(
      'li',
      { 'data-reason': entry.reason },
      el('code', {}, entry.preflight ? 'preflight (OPTIONS)' : entry.method),
      ` ${entry.status ?? 'no answer'}: `,
      el('strong', {}, entry.reason),
      ` ${entry.message}`,
    ),
  )
  return el(
    'div',
    { class: 'doctor-server' },
    el('h4', {}, "The server's logged reason"),
    rows.length === 0 ? el('p', { class: 'muted' }, 'No request reached the server.') : el('ul', {}, ...rows),
  )
}

/**
 * The doctor's steps, verdict and fix as a panel, and beside them what the server logged for the
 * doctor's requests (unless `withServer` is false: the caller shows the server's side itself).
 */
export function doctorPanel(answer, withServer = true) {
  if (answer.error !== undefined) {
    return el(
      'div',
      { class: 'doctor', 'data-verdict': 'error' },
      el('p', { class: 'doctor-verdict blocked' }, answer.error),
    )
  }
  const { diagnosis } = answer
  const steps = diagnosis.steps.map((step) =>
    el(
      'li',
      { 'data-check': step.check, 'data-ok': step.ok, class: step.ok ? 'ok' : 'fail' },
      el('code', {}, step.stage),
      ` ${step.message}`,
    ),
  )
  const verdict =
    diagnosis.failure === null
      ? el(
          'p',
          { class: 'doctor-verdict read' },
          `Allowed; readable headers: ${diagnosis.readableHeaders.join(', ') || 'none'}`,
        )
      : el(
          'p',
          { class: 'doctor-verdict blocked', 'data-check': diagnosis.failure.check },
          `Blocked: ${diagnosis.failure.check}`,
          // The name DevTools gives the same failure (Network.CorsError), when it is a CORS error there.
          diagnosis.failure.chromeError
            ? el('span', { class: 'muted' }, ` (DevTools: ${diagnosis.failure.chromeError})`)
            : null,
        )
  const fix =
    diagnosis.failure === null
      ? null
      : el('p', { class: 'fix' }, el('strong', {}, 'Fix: '), diagnosis.failure.fix)
  const browser = el('div', {}, el('ol', {}, ...steps), verdict, fix)
  const server = withServer ? serverSide(answer.server) : null
  return el(
    'div',
    { class: server === null ? 'doctor' : 'doctor columns side-by-side', 'data-verdict': diagnosis.verdict },
    browser,
    server,
  )
}

/** Adds the doctor's view of one playground result beside the server's reason. */
export async function attachDoctor(container, { url, origin, method, headers, credentials, serverReason }) {
  const target = new URL(url)
  target.searchParams.delete('rid') // keep the doctor's requests out of this result's decision log
  const answer = await askDoctor({ url: target.href, origin, method, headers, credentials })
  const server = el(
    'div',
    {},
    el('h4', {}, 'The server (its reason)'),
    el('p', { class: 'server-reason' }, serverReason),
  )
  const browser = el('div', {}, el('h4', {}, 'The browser (@cors/doctor)'), doctorPanel(answer, false))
  container.append(
    el('h3', {}, 'Why, from both sides'),
    el('div', { class: 'columns side-by-side', id: 'doctor-explained' }, browser, server),
  )
}

const form = document.querySelector('#doctor-form')
const result = document.querySelector('#doctor-result')
form?.addEventListener('submit', async (event) => {
  event.preventDefault()
  const headers = {}
  for (const line of form.headers.value.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
  }
  result.replaceChildren(el('p', { class: 'muted' }, 'Diagnosing...'))
  const answer = await askDoctor({
    url: form.url.value,
    origin: form.origin.value,
    method: form.method.value,
    headers,
    credentials: form.credentials.checked,
  })
  result.replaceChildren(
    doctorPanel(answer),
    answer.text === undefined ? '' : el('pre', { class: 'doctor-text' }, answer.text),
  )
})
