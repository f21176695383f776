import { readFileSync } from 'node:fs'
import process from 'node:process'
import {
  checkExpectations,
  type Expectation,
  type ExpectationReport,
  type ExpectationResult,
} from './check.ts'
import { type Cli, UsageError } from './cli-args.ts'
import { printable, printableJson } from './printable.ts'
import { where } from './stage-words.ts'

/**
 * `cors-doctor check <expectations.json>`: 0 when every request got its expected verdict, 1 when
 * one did not, 2 when one could not be judged (after printing all results).
 */
export async function runCheck(cli: Cli): Promise<number> {
  if (cli.positionals.length !== 2)
    throw new UsageError('give one expectations file: cors-doctor check <file.json>')
  const list = readExpectations(cli.positionals[1]!)
  const report = await checkExpectations(list, { timeout: cli.timeout })
  if (cli.json) process.stdout.write(`${printableJson(report)}\n`)
  else process.stdout.write(`${describe(report).map(printable).join('\n')}\n`)
  if (report.results.some((result) => result.got.verdict === 'error')) return 2
  return report.verdict === 'as-expected' ? 0 : 1
}

function readExpectations(file: string): Expectation[] {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`cannot read ${file} as JSON: ${(error as Error).message}`)
  }
  const requests = (data as { requests?: unknown } | null)?.requests
  if (!Array.isArray(requests)) throw new UsageError(`${file}: expected { "requests": [ … ] }`)
  return requests.map((item, index) => checkItem(item, `${file}: requests[${index}]`))
}

function checkItem(item: unknown, where: string): Expectation {
  const value = item as Record<string, unknown>
  const strings = (key: string) => value[key] === undefined || typeof value[key] === 'string'
  if (typeof value?.['url'] !== 'string' || typeof value['origin'] !== 'string') {
    throw new UsageError(`${where} needs "url" and "origin" strings`)
  }
  if (value['expect'] !== 'allowed' && value['expect'] !== 'blocked') {
    throw new UsageError(`${where}: "expect" must be "allowed" or "blocked"`)
  }
  const headers = value['headers']
  const headersOk =
    headers === undefined ||
    (typeof headers === 'object' &&
      headers !== null &&
      Object.values(headers).every((v) => typeof v === 'string'))
  if (
    !strings('method') ||
    !headersOk ||
    !(value['credentials'] === undefined || typeof value['credentials'] === 'boolean')
  ) {
    throw new UsageError(
      `${where}: "method" is a string, "headers" an object of strings, "credentials" a boolean`,
    )
  }
  return value as unknown as Expectation
}

function describe(report: ExpectationReport): string[] {
  const lines = report.results.flatMap(describeOne)
  const good = report.results.filter((result) => result.ok).length
  lines.push('', `${good} of ${report.results.length} requests got the expected verdict.`)
  return lines
}

function describeOne(result: ExpectationResult): string[] {
  const { request, expect, got, ok } = result
  const credentials = request.credentials === true ? ' with credentials' : ''
  const line = `${ok ? 'ok  ' : 'FAIL'} ${got.verdict.padEnd(7)} ${request.method ?? 'GET'} ${request.url} from ${request.origin}${credentials} (expected ${expect})`
  if (ok) return [line]
  if (got.failure === null) {
    return [
      line,
      `     a stranger would get in: ${request.origin} can read the response`,
      `     Fix: stop sending Access-Control-Allow-Origin for ${request.origin} (with @cors/*: remove it from \`origin\`)`,
    ]
  }
  const devtools = got.failure.chromeError === null ? '' : ` (DevTools: ${got.failure.chromeError})`
  return [
    line,
    `     ${where[got.failure.stage]}: ${got.failure.check}${devtools}: ${got.failure.message}`,
    `     Fix: ${got.failure.fix}`,
  ]
}
