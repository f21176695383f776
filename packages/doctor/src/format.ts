import { printable } from './printable.ts'
import { where } from './stage-words.ts'
import type { Diagnosis } from './types.ts'

/** Options of `formatDiagnosis`. */
export interface FormatOptions {
  /** ANSI colours (the CLI turns them on only for a TTY without NO_COLOR). @default false */
  readonly color?: boolean
  /** A first line saying what was asked, e.g. `PUT https://api.example.com/ from https://app.example.com`. */
  readonly title?: string
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const

/**
 * Renders a diagnosis as numbered steps a person can follow, then the verdict and, when blocked,
 * the fix. Control and bidi characters (which a server could send in a header value to restyle a
 * terminal) are shown escaped, as `\u009b`.
 *
 * @example
 * console.log(formatDiagnosis(await diagnose(url, request), { color: process.stdout.isTTY }))
 */
export function formatDiagnosis(diagnosis: Diagnosis, options: FormatOptions = {}): string {
  const paint = (code: keyof typeof codes, text: string): string =>
    options.color === true ? `\x1b[${codes[code]}m${text}\x1b[0m` : text
  const lines: string[] = []
  if (options.title !== undefined) lines.push(paint('bold', printable(options.title)), '')
  const width = String(diagnosis.steps.length).length
  diagnosis.steps.forEach((step, index) => {
    const number = `${String(index + 1).padStart(width)}.`
    const mark = step.ok ? paint('green', 'ok  ') : paint('red', 'FAIL')
    const stage = paint('dim', `[${step.stage}]`)
    lines.push(
      `${number} ${mark} ${stage} ${printable(step.message)}${step.ok ? '' : paint('dim', ` (${step.check})`)}`,
    )
  })
  lines.push('')
  if (diagnosis.preflight !== null) lines.push(`Preflight answered ${diagnosis.preflight.status}.`)
  if (diagnosis.response !== null) lines.push(`Response answered ${diagnosis.response.status}.`)
  else if (diagnosis.failure?.stage === 'preflight') lines.push('The actual request was not sent.')
  const { failure } = diagnosis
  if (failure === null) {
    const readable = diagnosis.readableHeaders.length === 0 ? 'none' : diagnosis.readableHeaders.join(', ')
    lines.push(paint('green', 'Allowed: the page can read the response.'), `Readable headers: ${readable}`)
  } else {
    lines.push(
      paint(
        'red',
        `Blocked ${where[failure.stage]}: ${failure.check}${failure.chromeError === null ? '' : ` (DevTools: ${failure.chromeError})`}`,
      ),
      `${paint('yellow', 'Fix:')} ${printable(failure.fix)}`,
    )
  }
  return lines.join('\n')
}
