// The "Run all" matrix: standard requests, each sent to every example API. Every example has the
// same policy: origins http://localhost:5173 and https://app.example.com, credentials, request
// headers Content-Type and Authorization, X-Total-Count exposed, preflights cached for 600 s.
// `page` is the page origin the request is sent from: 'allowed' (http://localhost:5173) or 'other'.

const json = { 'Content-Type': 'application/json' }

export const scenarios = [
  {
    id: 'read',
    title: 'Read the todo list',
    page: 'allowed',
    request: { method: 'GET', path: '/todos' },
    expect: { verdict: 'read', reason: 'allowed' },
  },
  {
    id: 'other-origin',
    title: 'Read the list from an origin the policy does not list',
    page: 'other',
    request: { method: 'GET', path: '/todos' },
    expect: { verdict: 'blocked', reason: 'origin-not-allowed' },
  },
  {
    id: 'credentials',
    title: "Send cookies: credentials: 'include'",
    page: 'allowed',
    request: { method: 'GET', path: '/todos', credentials: 'include' },
    expect: { verdict: 'read', reason: 'allowed' },
  },
  {
    id: 'json-post',
    title: 'POST JSON with a bearer token (preflighted)',
    page: 'allowed',
    request: {
      method: 'POST',
      path: '/todos',
      headers: { ...json, Authorization: 'Bearer demo-token' },
      body: '{"title":"Sent from the playground"}',
    },
    expect: { verdict: 'read', reason: 'allowed' },
  },
  {
    id: 'simple-post-other',
    title: 'A simple POST from the other origin: the handler runs, the page cannot read',
    page: 'other',
    request: {
      method: 'POST',
      path: '/todos',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"title":"Sent without a preflight"}',
    },
    expect: { verdict: 'blocked', reason: 'origin-not-allowed' },
  },
  {
    id: 'delete-other',
    title: 'DELETE from the other origin: refused at the preflight',
    page: 'other',
    request: { method: 'DELETE', path: '/todos/1', headers: { Authorization: 'Bearer demo-token' } },
    expect: { verdict: 'blocked', reason: 'origin-not-allowed' },
  },
  {
    id: 'header-not-allowed',
    title: 'A request header the policy does not list',
    page: 'allowed',
    request: { method: 'GET', path: '/todos', headers: { 'X-Requested-With': 'playground' } },
    expect: { verdict: 'blocked', reason: 'header-not-allowed' },
  },
  {
    id: 'lower-case-patch',
    title: "fetch(url, { method: 'patch' }): sent as written, so PATCH does not cover it",
    page: 'allowed',
    request: { method: 'patch', path: '/todos/1', headers: json, body: '{"done":true}' },
    expect: { verdict: 'blocked', reason: 'method-not-allowed' },
  },
  {
    id: 'error',
    title: 'A route that throws: the page reads the 500',
    page: 'allowed',
    request: { method: 'GET', path: '/error' },
    expect: { verdict: 'read', reason: 'allowed', status: 500 },
  },
]

/** What a scenario should do, given whether its page origin is one the examples allow. */
export function expectation(scenario, pageAllowed) {
  return pageAllowed ? scenario.expect : { verdict: 'blocked', reason: 'origin-not-allowed' }
}
