// The CORS playground page. It never calls the APIs itself: a hidden runner frame on each page origin
// does (runner.js), so a request really comes from the origin picked in the form. Each request is
// tagged with ?rid=<id>; the server's decision for that id is then read from this page's own server.

import { attachDoctor } from './doctor.js'
import { expectation, scenarios } from './scenarios.js'

const config = await (await fetch('/api/config')).json()
const statusLine = document.querySelector('#status')
const form = document.querySelector('#request-form')
const resultBox = document.querySelector('#result')
const runAllButton = document.querySelector('#run-all')
const matrix = document.querySelector('#matrix')
const summary = document.querySelector('#matrix-summary')

const allowedPage = config.pages.find((page) => page.allowed) ?? config.pages[0]
const otherPage = config.pages.find((page) => !page.allowed) ?? config.pages[1]
const apiUrl = (name) => config.apis.find((api) => api.name === name).url
/** Whether the API's policy lets `page` read (the playground asked each API when it started). */
const allows = (api, page) => api.allows.includes(page.origin)

/** Builds an element; children are nodes or text (never parsed as HTML). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value))
  }
  element.append(...children.flat().filter((child) => child !== undefined && child !== null))
  return element
}

document
  .querySelector('#adapter-names')
  .append(...config.apis.flatMap((api, i) => [i === 0 ? '' : ', ', h('code', {}, api.npm)]))

// --- The runner frames -------------------------------------------------------------------------

const runners = new Map()
const waiting = new Map()
let nextMessageId = 0

window.addEventListener('message', (event) => {
  const runner = runners.get(event.origin)
  if (runner === undefined || event.source !== runner.frame.contentWindow) return
  if (event.data?.type === 'ready') runner.ready()
  if (event.data?.type === 'result') {
    waiting.get(event.data.id)?.(event.data.result)
    waiting.delete(event.data.id)
  }
})

const frames = document.querySelector('#frames')
const ready = config.pages.map((page) => {
  const frame = h('iframe', { src: `${page.origin}/runner.html`, title: `runner on ${page.origin}` })
  return new Promise((resolve, reject) => {
    runners.set(page.origin, { frame, ready: resolve })
    setTimeout(() => reject(new Error(`the runner on ${page.origin} did not load`)), 10_000)
    frames.append(frame)
  })
})

/** Runs fetch(url, init) in the runner frame of `origin`. */
function fetchFrom(origin, url, init) {
  const id = nextMessageId++
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ read: false, error: 'no answer from the runner frame' }), 15_000)
    waiting.set(id, (result) => {
      clearTimeout(timer)
      resolve(result)
    })
    runners.get(origin).frame.contentWindow.postMessage({ type: 'fetch', id, url, init }, origin)
  })
}

// --- Sending a request -------------------------------------------------------------------------

let nextRequestId = 0
const requestId = () =>
  `${Date.now().toString(36)}-${(nextRequestId++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** The browser upper-cases only these methods (Fetch, "normalize a method"). */
const normalized = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']
const simpleContentTypes = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']

/** Whether the browser has to send a preflight first (Fetch, "CORS-preflight fetch"), roughly. */
function needsPreflight(method, headers) {
  const upper = method.toUpperCase()
  const sent = normalized.includes(upper) ? upper : method
  if (!['GET', 'HEAD', 'POST'].includes(sent)) return true
  return Object.entries(headers).some(([name, value]) => {
    const lower = name.toLowerCase()
    if (['accept', 'accept-language', 'content-language'].includes(lower)) return false
    if (lower !== 'content-type') return true
    return !simpleContentTypes.includes(value.split(';')[0].trim().toLowerCase())
  })
}

/** Sends one request from a page origin to an API; returns what the page saw and what the server did. */
async function send(request) {
  const rid = requestId()
  const url = new URL(request.path, apiUrl(request.api))
  url.searchParams.set('rid', rid)
  const init = { method: request.method }
  const headers = request.headers ?? {}
  if (Object.keys(headers).length > 0) init.headers = headers
  if (request.body && !['GET', 'HEAD'].includes(request.method.toUpperCase())) init.body = request.body
  if (request.credentials) init.credentials = request.credentials
  const result = await fetchFrom(request.page, url.href, init)
  // Same-origin: this page's own server, which shares the APIs' decision log.
  const decisions = await (await fetch(`/api/decisions?rid=${encodeURIComponent(rid)}`)).json()
  return {
    request,
    url: url.href,
    init,
    result,
    served: decisions.requests,
    preflight: needsPreflight(request.method, headers),
  }
}

/** The reason that decided the outcome: the first rejection the server reported, else its verdict. */
function decisiveReason(served) {
  const rejected = served.find((entry) => entry.reason !== 'allowed' && entry.reason !== 'no-origin')
  return (
    rejected?.reason ?? (served.length > 0 ? served[served.length - 1].reason : 'no request reached the API')
  )
}

function preflightNote(outcome) {
  const preflight = outcome.served.find((entry) => entry.preflight)
  if (preflight !== undefined) return `preflight ${preflight.status}`
  if (!outcome.preflight) return 'no preflight needed'
  return outcome.served.length > 0 ? 'preflight from the browser cache' : 'no preflight'
}

function explain(outcome) {
  const { result, served, request } = outcome
  const preflight = served.find((entry) => entry.preflight)
  const actual = served.find((entry) => !entry.preflight)
  if (result.read) {
    return preflight === undefined && outcome.preflight
      ? 'The browser let the page read the response. It sent no preflight: an earlier one is still in its cache (Access-Control-Max-Age).'
      : 'The browser let the page read the response.'
  }
  if (served.length === 0)
    return 'No request reached the API: the browser refused to send it, or the API is down.'
  if (preflight !== undefined && preflight.reason !== 'allowed') {
    return `The server refused the preflight (${preflight.status}, ${preflight.reason}), so the browser never sent the ${request.method}.`
  }
  if (actual?.reason === 'cross-origin-request-refused') {
    return `The policy's crossOriginProtection refused the ${actual.method} (${actual.status}) before the handler ran: the browser sent it without a preflight from an origin the policy does not allow.`
  }
  if (actual !== undefined && actual.reason !== 'allowed' && actual.reason !== 'no-origin') {
    return `The request reached the handler, which answered ${actual.status}; the origin was refused (${actual.reason}), so no CORS headers came back and the browser hid the response from the page.`
  }
  if (request.credentials === 'include') {
    return "The server allowed the request, but with credentials: 'include' the browser also needs Access-Control-Allow-Credentials: true and an exact origin, and did not get both."
  }
  return 'The server allowed the request, but the CORS headers it sent did not satisfy the browser (see them below).'
}

function codeOf(outcome) {
  return `fetch(${JSON.stringify(outcome.url)}, ${JSON.stringify(outcome.init, null, 2)})`
}

function renderOutcome(outcome) {
  const { result, served } = outcome
  const verdict = result.read
    ? h(
        'p',
        { class: 'verdict read', 'data-verdict': 'read' },
        `Read: the page got ${result.status} ${result.statusText}`,
      )
    : h(
        'p',
        { class: 'verdict blocked', 'data-verdict': 'blocked' },
        `Blocked: fetch() rejected with ${result.error}`,
      )
  const readable = result.read
    ? [
        h('h3', {}, 'What the page could read'),
        h(
          'table',
          { class: 'headers' },
          h(
            'tbody',
            {},
            ...result.headers.map(([name, value]) => h('tr', {}, h('th', {}, name), h('td', {}, value))),
          ),
        ),
        result.body === ''
          ? h('p', { id: 'body', class: 'muted' }, '(empty body)')
          : h('pre', { id: 'body' }, result.body),
      ]
    : []
  const rows = served.map((entry) =>
    h(
      'tr',
      { 'data-reason': entry.reason },
      h('td', {}, entry.preflight ? `preflight (OPTIONS) for ${entry.requestMethod}` : entry.method),
      h('td', {}, String(entry.status)),
      h('td', {}, h('strong', {}, entry.reason), h('br'), entry.message),
      h(
        'td',
        {},
        Object.keys(entry.corsHeaders).length === 0
          ? h('span', { class: 'muted' }, 'none')
          : h(
              'pre',
              {},
              Object.entries(entry.corsHeaders)
                .map(([name, value]) => `${name}: ${value}`)
                .join('\n'),
            ),
      ),
    ),
  )
  resultBox.replaceChildren(
    verdict,
    h('p', { id: 'explanation' }, explain(outcome)),
    h('h3', {}, 'The call, as the page made it'),
    h('pre', {}, codeOf(outcome)),
    ...readable,
    h('h3', {}, `What the server saw and decided (${outcome.request.api}, read from the decision log)`),
    served.length === 0
      ? h('p', { class: 'muted' }, 'Nothing: no request with this id reached the API.')
      : h(
          'table',
          { id: 'served' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'request'),
              h('th', {}, 'status'),
              h('th', {}, 'decision'),
              h('th', {}, 'CORS headers sent'),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
  )
  void attachDoctor(resultBox, {
    url: outcome.url,
    origin: outcome.request.page,
    method: outcome.init.method,
    headers: outcome.request.headers,
    credentials: outcome.request.credentials === 'include',
    serverReason: `${decisiveReason(served)}: ${explain(outcome)}`,
  })
}

// --- The form ----------------------------------------------------------------------------------

for (const api of config.apis) form.api.append(h('option', { value: api.name }, `${api.name} (${api.url})`))
/** Which APIs let a page origin read: all, none, or the ones named. */
function allowedBy(page) {
  const names = config.apis.filter((api) => allows(api, page)).map((api) => api.name)
  if (names.length === config.apis.length) return 'allowed'
  return names.length === 0 ? 'not allowed' : `allowed by ${names.join(', ')}`
}
for (const page of config.pages) {
  form.page.append(h('option', { value: page.origin }, `${page.origin} (${allowedBy(page)})`))
}

function parseHeaders(text) {
  const headers = {}
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
  }
  return headers
}

function loadIntoForm(scenario, api) {
  const { request } = scenario
  form.api.value = api
  form.page.value = scenario.page === 'allowed' ? allowedPage.origin : otherPage.origin
  form.method.value = request.method
  form.path.value = request.path
  form.headers.value = Object.entries(request.headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
  form.body.value = request.body ?? ''
  form.credentials.value = request.credentials ?? ''
  form.scrollIntoView({ behavior: 'smooth' })
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const button = form.querySelector('button')
  button.disabled = true
  resultBox.replaceChildren(h('p', { class: 'muted' }, 'Sending...'))
  try {
    renderOutcome(
      await send({
        api: form.api.value,
        page: form.page.value,
        method: form.method.value,
        path: form.path.value,
        headers: parseHeaders(form.headers.value),
        body: form.body.value,
        credentials: form.credentials.value,
      }),
    )
  } catch (error) {
    resultBox.replaceChildren(h('p', { class: 'verdict blocked' }, `The playground failed: ${error}`))
  } finally {
    button.disabled = false
  }
})

// --- Run all -----------------------------------------------------------------------------------

const pageOf = (scenario) => (scenario.page === 'allowed' ? allowedPage : otherPage)

function describeRequest({ method, path, headers, credentials }) {
  const parts = [`${method} ${path}`, ...Object.keys(headers ?? {})]
  if (credentials) parts.push(`credentials: ${credentials}`)
  return parts.join(' + ')
}

function expectedText(expected) {
  return expected.verdict === 'read'
    ? `read${expected.status ? ` (${expected.status})` : ''}`
    : `blocked: ${expected.reason}`
}

/**
 * Each API's expectation for a scenario, and the one most of them share (the Expected column); the
 * others are listed under it with the reason they differ.
 */
function expectations(scenario) {
  const page = pageOf(scenario)
  const byApi = new Map(
    config.apis.map((api) => [api.name, expectation(scenario, api.name, allows(api, page))]),
  )
  const counts = new Map()
  for (const expected of byApi.values()) {
    const text = expectedText(expected)
    counts.set(text, (counts.get(text) ?? 0) + 1)
  }
  const common = [...counts].sort((a, b) => b[1] - a[1])[0][0]
  const main = [...byApi.values()].find((expected) => expectedText(expected) === common)
  const exceptions = config.apis.flatMap((api) => {
    const expected = byApi.get(api.name)
    if (expectedText(expected) === common) return []
    const why = expected.why ?? `its policy ${allows(api, page) ? 'allows' : 'does not allow'} ${page.origin}`
    return [{ api: api.name, expected, why }]
  })
  return { byApi, main, exceptions }
}

matrix.tHead.append(
  h(
    'tr',
    {},
    h('th', {}, 'Scenario'),
    h('th', {}, 'From'),
    h('th', {}, 'Expected'),
    ...config.apis.map((api) => h('th', {}, api.name)),
  ),
)
for (const scenario of scenarios) {
  const page = pageOf(scenario)
  const { main, exceptions } = expectations(scenario)
  const load = h('button', { type: 'button', class: 'load' }, 'load into the form')
  load.addEventListener('click', () => loadIntoForm(scenario, config.apis[0].name))
  matrix.tBodies[0].append(
    h(
      'tr',
      { 'data-scenario': scenario.id },
      h('td', {}, scenario.title, h('br'), h('code', {}, describeRequest(scenario.request)), h('br'), load),
      h('td', {}, page.origin),
      h(
        'td',
        { class: 'expected', 'data-verdict': main.verdict, 'data-reason': main.reason },
        expectedText(main),
        ...exceptions.map(({ api, expected, why }) =>
          h(
            'span',
            { class: 'detail exception', 'data-api': api, 'data-reason': expected.reason },
            `${api}: ${expectedText(expected)}, because ${why}`,
          ),
        ),
      ),
      ...config.apis.map((api) => h('td', { class: 'cell', 'data-api': api.name }, '-')),
    ),
  )
}

function renderCell(cell, outcome, expected) {
  const verdict = outcome.result.read ? 'read' : 'blocked'
  const reason = decisiveReason(outcome.served)
  const status = outcome.result.read ? outcome.result.status : undefined
  const matches =
    verdict === expected.verdict &&
    reason === expected.reason &&
    (expected.status === undefined || status === expected.status)
  cell.className = `cell ${verdict}${matches ? '' : ' mismatch'}`
  cell.dataset.verdict = verdict
  cell.dataset.reason = reason
  cell.dataset.match = String(matches)
  if (status !== undefined) cell.dataset.status = String(status)
  const served = outcome.served.find((entry) => !entry.preflight)
  const details = [reason, preflightNote(outcome)]
  if (!outcome.result.read && served !== undefined) details.push(`server answered ${served.status}`)
  cell.replaceChildren(
    h('strong', {}, verdict === 'read' ? `read ${status}` : 'blocked'),
    ...details.map((text) => h('span', { class: 'detail' }, text)),
  )
}

async function runAll() {
  runAllButton.disabled = true
  matrix.dataset.state = 'running'
  let total = 0
  let matching = 0
  for (const scenario of scenarios) {
    const row = matrix.querySelector(`tr[data-scenario="${scenario.id}"]`)
    const page = pageOf(scenario)
    const { byApi } = expectations(scenario)
    for (const api of config.apis) {
      const cell = row.querySelector(`td.cell[data-api="${api.name}"]`)
      cell.className = 'cell'
      cell.textContent = '...'
      const outcome = await send({ ...scenario.request, api: api.name, page: page.origin })
      renderCell(cell, outcome, byApi.get(api.name))
      total++
      if (cell.dataset.match === 'true') matching++
    }
  }
  summary.textContent = `${matching} of ${total} results as expected.`
  summary.dataset.matching = String(matching)
  summary.dataset.total = String(total)
  matrix.dataset.state = 'done'
  runAllButton.disabled = false
}

runAllButton.addEventListener('click', () => {
  runAll().catch((error) => {
    summary.textContent = `Run all failed: ${error}`
    matrix.dataset.state = 'failed'
    runAllButton.disabled = false
  })
})

// --- Start -------------------------------------------------------------------------------------

try {
  await Promise.all(ready)
  statusLine.textContent = `Ready. This page is on ${location.origin}; requests go out from ${config.pages.map((page) => page.origin).join(' and ')}.`
  statusLine.dataset.ready = 'true'
  form.querySelector('button').disabled = false
  runAllButton.disabled = false
} catch (error) {
  statusLine.textContent = `The playground could not start: ${error.message}`
}
