#!/usr/bin/env node
import process from 'node:process'
import { readCli, UsageError, usage } from './cli-args.ts'

// `cors-doctor <url> --origin <origin> ...`: exit 0 when the page could read the response, 1 when a
// browser would block it, 2 for a usage error or a network failure. Each mode's module is imported
// only when that mode runs, so `--help` and a usage error start as fast as Node itself.

async function main(argv: string[]): Promise<number> {
  const cli = readCli(argv)
  if (cli.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  if (cli.har !== undefined) {
    if (cli.positionals.length > 0) throw new UsageError('--har takes the HAR file only, no URL')
    const { runHar } = await import('./cli-har.ts')
    return runHar(cli, cli.har)
  }
  if (cli.positionals[0] === 'check') {
    const { runCheck } = await import('./cli-check.ts')
    return runCheck(cli)
  }
  if (cli.positionals[0] === 'explain') {
    const { runExplain } = await import('./cli-explain.ts')
    return runExplain(cli)
  }
  const { runUrl } = await import('./cli-url.ts')
  return runUrl(cli)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  async (error: unknown) => {
    const usageLike =
      error instanceof UsageError || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    // DoctorRequestError, DoctorNetworkError: their messages are written for the user.
    const known = usageLike || String((error as { name?: unknown }).name).startsWith('Doctor')
    const message = error instanceof Error ? error.message : String(error)
    const { printable } = await import('./printable.ts')
    process.stderr.write(`cors-doctor: ${printable(known ? message : `unexpected error: ${message}`)}\n`)
    if (usageLike) process.stderr.write('Run cors-doctor --help for usage.\n')
    process.exitCode = 2
  },
)
