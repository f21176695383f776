import { parseArgs } from 'node:util'
import type { AddressSpace } from './address-space.ts'

/** `cors-doctor --help`. */
export const usage = `cors-doctor <url> --origin <origin> [-X M] [-H "Name: value"]... [--credentials] [--page-address-space S] [--timeout ms] [--json]
cors-doctor explain "<console message>" [--probe] [--json]      (stdin when no message)
cors-doctor --har <file.har> [--json]
cors-doctor check <expectations.json> [--json]

Does what a browser does for fetch(url, { method, headers, credentials }) from a page on <origin>:
sends the preflight when one is needed, the actual request when a browser would, and names the
check that fails with the fix. explain reads a browser's console message, --har a DevTools HAR
export, check a list of requests with the verdict each must get.

Options:
  --origin <origin>           the page's origin, e.g. https://app.example.com (required)
  -X, --method <method>       the request method (default GET)
  -H, --header "Name: value"  a header the page sets; repeat for several
  --credentials               credentials: 'include' (cookies; stricter checks)
  --page-address-space <s>    public, local or loopback: where the page is served, for Local Network
                              Access (default: from the page's host)
  --timeout <ms>              give up after this many milliseconds (default 5000, at most 2147483647)
  --json                      print one JSON object instead of the steps
  --probe                     explain: re-run the request the message names against the server
  --har <file>                judge every cross-origin request of a HAR export, grouped by cause
  -h, --help                  show this help

Exit status: 0 allowed (all as expected), 1 blocked (a failure found, an expectation not met),
2 usage error, unknown message or network failure.`

/** A mistake in the command line: exit 2 with the usage hint. */
export class UsageError extends Error {}

/** The command line, read and checked. */
export interface Cli {
  readonly positionals: readonly string[]
  readonly origin: string | undefined
  readonly method: string | undefined
  readonly headers: readonly (readonly [string, string])[]
  readonly credentials: boolean
  readonly timeout: number
  readonly json: boolean
  readonly probe: boolean
  readonly har: string | undefined
  readonly pageAddressSpace: AddressSpace | undefined
  readonly help: boolean
}

// Node's timers hold at most 2^31 - 1 ms (about 24.8 days); a longer one fires after 1 ms.
const maxTimeout = 2_147_483_647

const options = {
  origin: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  credentials: { type: 'boolean' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  probe: { type: 'boolean' },
  har: { type: 'string' },
  'page-address-space': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Reads the arguments (curl's `-X` and `-H` included), or throws `UsageError`. */
export function readCli(argv: string[]): Cli {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options })
  const timeout = values.timeout === undefined ? 5000 : Number(values.timeout)
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new UsageError(`--timeout ${values.timeout} is not a positive whole number of milliseconds`)
  }
  if (timeout > maxTimeout) {
    throw new UsageError(`--timeout ${values.timeout} is too long: give at most ${maxTimeout} milliseconds`)
  }
  return {
    positionals,
    origin: values.origin,
    method: values.method,
    headers: (values.header ?? []).map(parseHeader),
    credentials: values.credentials === true,
    timeout,
    json: values.json === true,
    probe: values.probe === true,
    har: values.har,
    pageAddressSpace: readSpace(values['page-address-space']),
    help: values.help === true,
  }
}

function readSpace(space: string | undefined): AddressSpace | undefined {
  if (space === undefined || space === 'public' || space === 'local' || space === 'loopback') return space
  throw new UsageError(`--page-address-space ${space}: give public, local or loopback`)
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
