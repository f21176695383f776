import process from 'node:process'
import { type Cli, UsageError } from './cli-args.ts'
import { DoctorNetworkError, diagnose, networkErrorDiagnosis } from './diagnose.ts'
import { formatDiagnosis } from './format.ts'
import { printableJson } from './printable.ts'
import type { DoctorRequest } from './types.ts'

/** The request the command line describes, or a usage error. */
export function requestOf(cli: Pick<Cli, 'origin' | 'method' | 'headers' | 'credentials'>): DoctorRequest {
  if (cli.origin === undefined)
    throw new UsageError('--origin is required: the origin of the page making the request')
  return {
    origin: cli.origin,
    method: cli.method ?? 'GET',
    headers: cli.headers,
    credentials: cli.credentials,
  }
}

/** `cors-doctor <url> --origin …`: 0 allowed, 1 blocked, 2 network failure (`--json` prints it too). */
export function runUrl(cli: Cli): Promise<number> {
  if (cli.positionals.length !== 1) throw new UsageError('give exactly one URL')
  return printDiagnosis(cli, { url: cli.positionals[0]!, request: requestOf(cli) })
}

/**
 * Diagnoses one request and prints it (steps, or `--json` with `extra` keys after the contract's):
 * 0 allowed, 1 blocked, 2 network failure.
 */
export async function printDiagnosis(
  cli: Pick<Cli, 'json' | 'timeout' | 'pageAddressSpace'>,
  { url, request }: { url: string; request: DoctorRequest },
  extra: Record<string, unknown> = {},
): Promise<number> {
  try {
    const space = cli.pageAddressSpace === undefined ? {} : { pageAddressSpace: cli.pageAddressSpace }
    const diagnosis = await diagnose(url, request, { timeout: cli.timeout, ...space })
    if (cli.json) process.stdout.write(`${printableJson({ ...diagnosis, ...extra })}\n`)
    else
      process.stdout.write(
        `${formatDiagnosis(diagnosis, { color: useColor(), title: titleOf(url, request) })}\n`,
      )
    return diagnosis.verdict === 'allowed' ? 0 : 1
  } catch (error) {
    if (!(error instanceof DoctorNetworkError) || !cli.json) throw error
    process.stdout.write(`${printableJson({ ...networkErrorDiagnosis(error), ...extra })}\n`)
    return 2
  }
}

/** Colours on a terminal only, never with NO_COLOR. */
export const useColor = (): boolean => process.stdout.isTTY === true && !process.env['NO_COLOR']

/** `PUT https://api.example.com/ from https://app.example.com with credentials`. */
export function titleOf(url: string, request: DoctorRequest): string {
  const credentials = request.credentials === true ? ' with credentials' : ''
  return `${request.method ?? 'GET'} ${url} from ${request.origin}${credentials}`
}
