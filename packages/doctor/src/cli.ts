#!/usr/bin/env node
import process from 'node:process'
import { parseArgs } from 'node:util'
import { DoctorNetworkError, diagnose } from './diagnose.ts'
import { formatDiagnosis } from './format.ts'
import { printable, printableJson } from './printable.ts'
import { DoctorRequestError } from './request.ts'

// `cors-doctor <url> --origin <origin> ...`: exit 0 when the page could read the response, 1 when a
// browser would block it, 2 for a usage error or a network failure.

const usage = `Usage: cors-doctor <url> --origin <origin> [options]

Does what a browser does for fetch(url, { method, headers, credentials }) from a page on <origin>:
sends the preflight when one is needed, the actual request when a browser would, and names the
check that fails with the fix.

Options:
  --origin <origin>        the page's origin, e.g. https://app.example.com (required)
  --method <method>        the request method (default GET)
  --header "Name: value"   a header the page sets; repeat for several
  --credentials            credentials: 'include' (cookies; stricter checks)
  --timeout <ms>           give up after this many milliseconds (default 5000, at most 2147483647)
  --json                   print one JSON object instead of the steps
  -h, --help               show this help

Exit status: 0 allowed, 1 blocked, 2 usage error or network failure.`

class UsageError extends Error {}

// Node's timers hold at most 2^31 - 1 ms (about 24.8 days); a longer one fires after 1 ms.
const maxTimeout = 2_147_483_647

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      origin: { type: 'string' },
      method: { type: 'string' },
      header: { type: 'string', multiple: true },
      credentials: { type: 'boolean' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) return { help: true as const }
  if (positionals.length !== 1) throw new UsageError('give exactly one URL')
  if (values.origin === undefined)
    throw new UsageError('--origin is required: the origin of the page making the request')
  const timeout = values.timeout === undefined ? 5000 : Number(values.timeout)
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new UsageError(`--timeout ${values.timeout} is not a positive whole number of milliseconds`)
  }
  if (timeout > maxTimeout) {
    throw new UsageError(`--timeout ${values.timeout} is too long: give at most ${maxTimeout} milliseconds`)
  }
  const headers = (values.header ?? []).map(parseHeader)
  return {
    help: false as const,
    url: positionals[0]!,
    request: {
      origin: values.origin,
      method: values.method ?? 'GET',
      headers,
      credentials: values.credentials === true,
    },
    json: values.json === true,
    timeout,
  }
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':')
  const name = colon < 0 ? '' : text.slice(0, colon).trim()
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
    throw new UsageError(
      `--header ${JSON.stringify(text)} is not "Name: value" (e.g. --header "Content-Type: application/json")`,
    )
  }
  return [name, text.slice(colon + 1).trim()]
}

async function main(argv: string[]): Promise<number> {
  const options = parse(argv)
  if (options.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  const diagnosis = await diagnose(options.url, options.request, { timeout: options.timeout })
  if (options.json) {
    process.stdout.write(`${printableJson(diagnosis)}\n`)
  } else {
    const color = process.stdout.isTTY === true && !process.env['NO_COLOR']
    const { method, origin, credentials } = options.request
    const title = `${method} ${options.url} from ${origin}${credentials ? ' with credentials' : ''}`
    process.stdout.write(`${formatDiagnosis(diagnosis, { color, title })}\n`)
  }
  return diagnosis.verdict === 'allowed' ? 0 : 1
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const known =
      error instanceof UsageError ||
      error instanceof DoctorRequestError ||
      error instanceof DoctorNetworkError
    const usageLike =
      error instanceof UsageError || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(
      `cors-doctor: ${printable(known || usageLike ? message : `unexpected error: ${message}`)}\n`,
    )
    if (usageLike) process.stderr.write('Run cors-doctor --help for usage.\n')
    process.exitCode = 2
  },
)
