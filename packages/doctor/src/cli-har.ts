import { readFileSync } from 'node:fs'
import process from 'node:process'
import { type Cli, UsageError } from './cli-args.ts'
import { diagnoseHar } from './har.ts'
import type { Har, HarDiagnosis } from './har-types.ts'
import { printable, printableJson } from './printable.ts'

/** `cors-doctor --har <file>`: 0 when no request failed a CORS check, 1 when some did. */
export function runHar(cli: Cli, file: string): number {
  const result = diagnoseHar(readHar(file))
  if (cli.json) process.stdout.write(`${printableJson(result)}\n`)
  else process.stdout.write(`${describe(result).map(printable).join('\n')}\n`)
  return result.verdict === 'blocked' ? 1 : 0
}

function readHar(file: string): Har {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read the HAR file ${file}: ${(error as Error).message}`)
  }
  let har: unknown
  try {
    har = JSON.parse(text)
  } catch {
    throw new UsageError(`${file} is not JSON: save it from DevTools with "Save all as HAR"`)
  }
  if (!Array.isArray((har as Har | null)?.log?.entries)) {
    throw new UsageError(`${file} is not a HAR: it has no log.entries`)
  }
  return har as Har
}

function describe(result: HarDiagnosis): string[] {
  const count = (verdict: string) => result.requests.filter((request) => request.verdict === verdict).length
  const lines = [
    `${result.requests.length} cross-origin requests: ${count('allowed')} allowed, ${count('blocked')} blocked for CORS, ${count('error')} failed for another reason.`,
  ]
  if (result.groups.length > 0) lines.push('', 'Blocked, by cause:')
  for (const group of result.groups) {
    const what = group.count === 1 ? '1 request' : `${group.count} requests`
    lines.push(`  ${what} to ${group.hosts.join(', ')}: ${group.check}`, `    Fix: ${group.fix}`)
  }
  lines.push('', 'Requests:')
  for (const request of result.requests) {
    const mark = { allowed: 'ok     ', blocked: 'BLOCKED', error: 'error  ' }[request.verdict]
    const why = request.failure === null ? '' : `: ${request.failure.check} (${request.failure.message})`
    lines.push(`  ${mark} ${request.method} ${request.url}${why}`)
  }
  return lines
}
