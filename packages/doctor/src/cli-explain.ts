import process from 'node:process'
import { text } from 'node:stream/consumers'
import { type Cli, UsageError } from './cli-args.ts'
import { type ExplainedMessage, explainMessage } from './explain-message.ts'
import { printable, printableJson } from './printable.ts'
import { where } from './stage-words.ts'
import type { DoctorRequest } from './types.ts'

/**
 * `cors-doctor explain "<message>" [--probe]`: 1 when the message names a check (a failure found),
 * 2 for text that names none; with `--probe`, the probe's exit status.
 */
export async function runExplain(cli: Cli): Promise<number> {
  const given = cli.positionals.slice(1).join(' ')
  const message = given.trim() !== '' ? given : await text(process.stdin)
  const explained = explainMessage(message)
  if (explained === null) {
    process.stderr.write(
      'cors-doctor: not a CORS message I know: it names no failing check. Copy the whole red line from the console (it starts with "Access to fetch at", "Cross-Origin Request Blocked" or "Origin … is not allowed"), or ask the server directly: cors-doctor <url> --origin <page origin>\n',
    )
    return 2
  }
  const browserMessage = { ...explained, failure: undefined }
  if (cli.probe) {
    const { printDiagnosis, requestOf } = await import('./cli-url.ts')
    return printDiagnosis(cli, probeRequest(cli, explained, requestOf), { browserMessage })
  }
  const { failure } = explained
  if (cli.json) {
    const diagnosis = {
      verdict: 'blocked',
      preflight: null,
      response: null,
      readableHeaders: [],
      failure,
      steps: [],
    }
    process.stdout.write(`${printableJson({ ...diagnosis, browserMessage })}\n`)
    return 1
  }
  process.stdout.write(`${describe(explained).map(printable).join('\n')}\n`)
  return 1
}

function describe(explained: ExplainedMessage): string[] {
  const { failure, browser, url, redirectedFrom, origin } = explained
  const who = { chromium: 'Chromium', firefox: 'Firefox', safari: 'Safari' }[browser]
  const from = origin === null ? '' : ` from ${origin}`
  const redirected = redirectedFrom === null ? '' : ` (redirected from ${redirectedFrom})`
  const devtools = failure.chromeError === null ? '' : ` (DevTools: ${failure.chromeError})`
  const lines = [
    `${who}'s message, read: ${url ?? 'a request'}${redirected}${from}`,
    '',
    `Blocked ${where[failure.stage]}: ${failure.check}${devtools}`,
    failure.message,
    `Fix: ${failure.fix}`,
  ]
  if (url !== null)
    lines.push('', 'To confirm against the server and see what the message leaves out, add --probe.')
  return lines
}

function probeRequest(
  cli: Cli,
  explained: ExplainedMessage,
  requestOf: (cli: Pick<Cli, 'origin' | 'method' | 'headers' | 'credentials'>) => DoctorRequest,
): { url: string; request: DoctorRequest } {
  const url = explained.redirectedFrom ?? explained.url
  if (url === null)
    throw new UsageError('the message names no URL to probe: run cors-doctor <url> --origin <origin>')
  const origin = cli.origin ?? explained.origin
  if (origin === null) throw new UsageError("the message does not name the page's origin: give --origin")
  const named = explained.header === null ? [] : [[explained.header, 'x'] as const]
  const request = requestOf({
    ...cli,
    origin,
    method: cli.method ?? explained.method ?? undefined,
    headers: cli.headers.length > 0 ? cli.headers : named,
    credentials: cli.credentials || explained.credentials,
  })
  return { url, request }
}
