import { chromeError } from './chrome-errors.ts'
import { chromiumRules, type Found, firefoxRules, type MessageRule, safariRules } from './message-rules.ts'
import type { DoctorFailure } from './types.ts'

/** What a browser's console message says, read: where, from where, and the check it names. */
export interface ExplainedMessage {
  readonly browser: 'chromium' | 'firefox' | 'safari'
  /** The URL the request went to (the redirect's target, after a redirect), when the message names it. */
  readonly url: string | null
  /** The URL the page asked for, when Chromium says the request was redirected. */
  readonly redirectedFrom: string | null
  /** The page's origin, when the message names it (Firefox's does not). */
  readonly origin: string | null
  /** The method or request header the message names, if any. */
  readonly method: string | null
  readonly header: string | null
  /** `true` when the message says the request had credentials. */
  readonly credentials: boolean
  /** The status the message quotes (Firefox, Safari), if any. */
  readonly status: number | null
  /** The check, explained and with the fix; `chromeError` is the DevTools name. */
  readonly failure: DoctorFailure
}

const chromium =
  /Access to [\w ]+? at '([^']+)'(?: \(redirected from '([^']+)'\))? from origin '([^']+)' has been blocked by CORS policy: ([^\n]*)/
const firefox =
  /Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at (\S+?)\.? \(Reason: ([^\n]*?)\)\.?(?: Status code: (\d+))?/
const mixed =
  /Mixed Content: The page at '([^']+)' was loaded over HTTPS, but requested an insecure [\w ]*?'([^']+)'/
const safariUrl = /(?:Fetch API|XMLHttpRequest) cannot load (\S+?)\.? due to access control checks/
const status = /Status code: (\d+)/

/**
 * Reads a CORS failure as Chromium, Firefox or Safari print it in the console and names the check
 * that failed, with the same codes as `diagnose()`, its explanation and the fix. `null` for text
 * that names no check: not a CORS message, or one that says only that something failed
 * (`TypeError: Failed to fetch`, `net::ERR_FAILED`, Safari's "due to access control checks").
 *
 * @example
 * const explained = explainMessage(
 *   "Access to fetch at 'https://api.example.com/' from origin 'https://app.example.com' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
 * )
 * explained?.failure.check // 'method-not-allowed'
 */
export function explainMessage(text: string): ExplainedMessage | null {
  const normalized = text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"')
  return (
    fromChromium(normalized) ??
    fromMixedContent(normalized) ??
    fromFirefox(normalized) ??
    fromSafari(normalized)
  )
}

function fromChromium(text: string): ExplainedMessage | null {
  const match = chromium.exec(text)
  if (match === null) return null
  const [, url, from, origin, reason] = match as unknown as [
    string,
    string,
    string | undefined,
    string,
    string,
  ]
  const base = { browser: 'chromium' as const, url, redirectedFrom: from ?? null, origin, status: null }
  // The CORS-check reasons read the same on a preflight, after this prefix.
  return apply(chromiumRules, reason, base, reason.startsWith('Response to preflight request'))
}

function fromFirefox(text: string): ExplainedMessage | null {
  const match = firefox.exec(text)
  if (match === null) return null
  const [, url, reason, code] = match as unknown as [string, string, string, string | undefined]
  const base = {
    browser: 'firefox' as const,
    url,
    redirectedFrom: null,
    origin: null,
    status: code === undefined ? null : Number(code),
  }
  return apply(firefoxRules, reason, base)
}

function fromSafari(text: string): ExplainedMessage | null {
  const url = safariUrl.exec(text)?.[1] ?? null
  const origin = /Origin (\S+) is not allowed by Access-Control-Allow-Origin/.exec(text)?.[1] ?? null
  const code = status.exec(text)?.[1]
  const base = {
    browser: 'safari' as const,
    url,
    redirectedFrom: null,
    origin,
    status: code === undefined ? null : Number(code),
  }
  return apply(safariRules, text, base)
}

function fromMixedContent(text: string): ExplainedMessage | null {
  const match = mixed.exec(text)
  if (match === null) return null
  const [, pageUrl, url] = match as unknown as [string, string, string]
  return {
    browser: 'chromium',
    url,
    redirectedFrom: null,
    origin: new URL(pageUrl).origin,
    method: null,
    header: null,
    credentials: false,
    status: null,
    failure: {
      stage: 'before-cors',
      check: 'mixed-content',
      message: `the page is on https: and the request goes to ${url}, an insecure http: URL: the browser blocks it before any CORS step`,
      fix: 'call the API over https: (serve it with TLS); only http://localhost and loopback addresses are allowed from an https: page',
      chromeError: null,
    },
  }
}

type Base = Pick<ExplainedMessage, 'browser' | 'url' | 'redirectedFrom' | 'origin' | 'status'>

function apply(
  rules: readonly MessageRule[],
  reason: string,
  base: Base,
  preflight = false,
): ExplainedMessage | null {
  for (const rule of rules) {
    const match = rule.pattern.exec(reason)
    if (match === null) continue
    const found: Found = { origin: base.origin, value: match[1] ?? '' }
    const { check } = rule
    const stage = preflight && rule.stage === 'actual' ? 'preflight' : rule.stage
    return {
      ...base,
      method: rule.names === 'method' ? found.value : null,
      header: rule.names === 'header' ? found.value : null,
      credentials: rule.credentials === true,
      failure: {
        stage,
        check,
        message: rule.explain(found),
        fix: rule.fix(found),
        chromeError: chromeError(check, stage),
      },
    }
  }
  return null
}
