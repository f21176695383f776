import { describe, expect, it } from 'vitest'
import { chromiumMessages, firefoxMessages, safariMessages } from '../test/browser-messages.ts'
import { explainMessage } from './explain-message.ts'

describe('explainMessage', () => {
  it.each([
    ...chromiumMessages.map(([text, check]) => ['chromium', text, check] as const),
    ...firefoxMessages.map(([text, check]) => ['firefox', text, check] as const),
    ...safariMessages.map(([text, check]) => ['safari', text, check] as const),
  ])('%s: %s', (browser, text, check) => {
    const explained = explainMessage(text)
    if (check === null) {
      expect(explained).toBeNull()
      return
    }
    expect(explained?.browser).toBe(browser)
    expect(explained?.failure.check).toBe(check)
    expect(explained?.failure.fix).not.toBe('')
  })

  it('reads the URL, the origin, the redirect and what the message names (Chromium)', () => {
    const text =
      "Access to fetch at 'https://b.example/x' (redirected from 'https://api.example.com/x') from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin."
    expect(explainMessage(text)).toEqual({
      browser: 'chromium',
      url: 'https://b.example/x',
      redirectedFrom: 'https://api.example.com/x',
      origin: 'https://app.example.com',
      method: null,
      header: null,
      credentials: false,
      status: null,
      failure: {
        stage: 'preflight',
        check: 'allow-origin-mismatch',
        message:
          "the server sent `Access-Control-Allow-Origin: https://app.example.com/`, which is not the page's origin (https://app.example.com) byte for byte",
        fix: 'send `Access-Control-Allow-Origin: https://app.example.com`, byte for byte: no trailing slash, lower case, one value (with @cors/*: add https://app.example.com to the `origin` option)',
        chromeError: 'PreflightAllowOriginMismatch',
      },
    })
  })

  it('names the method, the header and credentials when the message does', () => {
    const [method] = chromiumMessages.find(([, check]) => check === 'method-not-allowed')!
    expect(explainMessage(method)).toMatchObject({
      method: 'PUT',
      failure: { chromeError: 'MethodDisallowedByPreflightResponse' },
    })
    const [header] = firefoxMessages.find(([, check]) => check === 'header-not-allowed')!
    expect(explainMessage(header)).toMatchObject({ header: 'x-api-key', origin: null, status: 200 })
    const [wildcard] = chromiumMessages.find(
      ([, check]) => check === 'allow-origin-wildcard-with-credentials',
    )!
    expect(explainMessage(wildcard)?.credentials).toBe(true)
  })

  it("gives Safari's preflight status its own fix", () => {
    expect(explainMessage('Preflight response is not successful. Status code: 404')?.failure.fix).toContain(
      'the server has no OPTIONS route at this path (it answered 404)',
    )
  })

  it('never guesses on text that names no check', () => {
    for (const text of ['', 'hello', 'Uncaught (in promise) TypeError: Failed to fetch', 'net::ERR_FAILED'])
      expect(explainMessage(text)).toBeNull()
  })
})
