import { lookup as dnsLookup } from 'node:dns/promises'
import { type AddressSpace, checkBeforeCors, type Lookup } from './address-space.ts'
import { runModel, toFailure } from './model.ts'
import { DoctorRequestError, serializeOrigin } from './request.ts'
import type { Diagnosis, DoctorRequest, ErrorDiagnosis, OutgoingRequest, SentResponse } from './types.ts'

/** The server could not be asked: unreachable, timed out, or the connection failed. */
export class DoctorNetworkError extends Error {
  override name = 'DoctorNetworkError'
  /** Which request could not be sent: the preflight or the actual request. */
  readonly stage: 'preflight' | 'actual'
  constructor(message: string, stage: 'preflight' | 'actual' = 'actual') {
    super(message)
    this.stage = stage
  }
}

/**
 * The diagnosis `cors-doctor --json` prints when the server could not be asked: verdict `error`,
 * `failure.check` `network-error`.
 */
export function networkErrorDiagnosis(error: DoctorNetworkError): ErrorDiagnosis {
  return {
    verdict: 'error',
    preflight: null,
    response: null,
    readableHeaders: [],
    failure: {
      stage: error.stage,
      check: 'network-error',
      message: error.message,
      fix: 'make sure the server is running and reachable from here (host, port, firewall), then run again',
      chromeError: null,
    },
    steps: [],
  }
}

/** Options of `diagnose`. */
export interface DiagnoseOptions {
  /** The `fetch` to send with (default: the global one). It must support `redirect: 'manual'`. */
  readonly fetch?: typeof fetch
  /**
   * The page's address space, for Local Network Access (`--page-address-space`). By default it
   * comes from the page's host: an IP literal, `localhost`, a special-use name, or what it resolves to.
   */
  readonly pageAddressSpace?: AddressSpace
  /** How host names resolve, for the address spaces (default: the system resolver). */
  readonly lookup?: Lookup
  /** Milliseconds for the whole diagnosis, preflight and actual request together (1 to 2147483647; a `RangeError` otherwise). @default 5000 */
  readonly timeout?: number
}

/**
 * Sends the requests a browser would send for `fetch(url, request)` from a page on
 * `request.origin`, and applies the browser's checks to the answers. Throws `DoctorRequestError`
 * for a request fetch() itself would refuse (or a URL that is not http(s)), `DoctorNetworkError`
 * when the server cannot be reached in time.
 *
 * @example
 * const diagnosis = await diagnose('https://api.example.com/todos', {
 *   origin: 'https://app.example.com', method: 'PUT', headers: { 'content-type': 'application/json' },
 * })
 * if (diagnosis.failure) console.log(diagnosis.failure.message, diagnosis.failure.fix)
 */
export async function diagnose(
  url: string,
  request: DoctorRequest,
  options: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const target = checkUrl(url)
  const send = options.fetch ?? globalThis.fetch
  const timeout = options.timeout ?? 5000
  // A timer over 2^31 - 1 ms fires after 1 ms in Node.
  if (!Number.isInteger(timeout) || timeout <= 0 || timeout > 2_147_483_647) {
    throw new RangeError(`timeout ${timeout} is not a whole number of milliseconds from 1 to 2147483647`)
  }
  const signal = AbortSignal.timeout(timeout)
  const before = await checkBeforeCors({
    origin: serializeOrigin(request.origin),
    url: target,
    pageSpace: options.pageAddressSpace,
    lookup: options.lookup ?? resolve,
  })
  const steps = before.map(({ check, ok, message }) => ({
    stage: 'before-cors' as const,
    check,
    ok,
    message,
  }))
  const failed = before.find((result) => !result.ok)
  if (failed !== undefined) {
    const failure = toFailure('before-cors', failed)
    return { verdict: 'blocked', preflight: null, response: null, readableHeaders: [], failure, steps }
  }
  const diagnosis = await runModel(target, request, async (outgoing) => {
    try {
      return await sendOne(send, outgoing, signal)
    } catch (error) {
      throw networkError(error, outgoing, timeout)
    }
  })
  return steps.length === 0 ? diagnosis : { ...diagnosis, steps: [...steps, ...diagnosis.steps] }
}

const resolve: Lookup = async (host) => (await dnsLookup(host, { all: true })).map((entry) => entry.address)

function checkUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new DoctorRequestError(
      `${JSON.stringify(url)} is not a URL: write it in full, e.g. https://api.example.com/todos`,
    )
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DoctorRequestError(`${JSON.stringify(url)} is not an http: or https: URL`)
  }
  return parsed.href
}

async function sendOne(
  send: typeof fetch,
  outgoing: OutgoingRequest,
  signal: AbortSignal,
): Promise<SentResponse> {
  const response = await send(outgoing.url, {
    method: outgoing.method,
    headers: outgoing.headers,
    redirect: 'manual',
    signal,
  })
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value
  })
  // The body does not matter to CORS; drop it so the connection is freed.
  await response.body?.cancel().catch(() => {})
  return { status: response.status, headers }
}

function networkError(error: unknown, outgoing: OutgoingRequest, timeout: number): DoctorNetworkError {
  const what = `${outgoing.preflight ? 'the preflight (OPTIONS)' : outgoing.method} to ${outgoing.url}`
  const stage = outgoing.preflight ? 'preflight' : 'actual'
  const name = (error as { name?: unknown } | null)?.name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new DoctorNetworkError(
      `${what} got no answer within ${timeout} ms (use --timeout to wait longer)`,
      stage,
    )
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  const detail =
    code === 'ECONNREFUSED'
      ? 'the connection was refused: is the server running on that host and port?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name was not found'
        : String(cause?.message ?? (error as Error)?.message ?? error)
  return new DoctorNetworkError(`${what} failed: ${detail}`, stage)
}
