// The "Run all" matrix: standard requests, each sent to every example API. The examples share one
// policy: credentials, request headers Content-Type and Authorization, X-Total-Count exposed,
// preflights cached for 600 s, and origins http://localhost:5173 and https://app.example.com, except
// examples/next, whose policy lists http://localhost:* and http://app.example.test:* and turns on
// crossOriginProtection. `page` is the page origin the request is sent from: 'allowed'
// (http://localhost:5173) or 'other'. `apis` holds what one API does differently, and why.

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
    apis: {
      next: {
        verdict: 'blocked',
        reason: 'cross-origin-request-refused',
        why: 'its policy turns on crossOriginProtection: a POST from an origin it does not allow gets 403 before the handler runs',
      },
    },
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

/** What a scenario should do on one API, given whether that API's policy allows the page's origin. */
export function expectation(scenario, api, pageAllowed) {
  return (
    scenario.apis?.[api] ??
    (pageAllowed ? scenario.expect : { verdict: 'blocked', reason: 'origin-not-allowed' })
  )
}
