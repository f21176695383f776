import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { optionNames } from './config/options.ts'

// The README's reference tables: each option and each error code has exactly one row (issue 19.12:
// the crossOriginProtection row and protection-without-allow-list were listed twice).
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const rows = readme.split('\n').filter((line) => line.startsWith('| `'))
const firstCell = (row: string): string => row.slice(3, row.indexOf('`', 3))

describe('README tables', () => {
  it('has one row per option', () => {
    const options = rows.map(firstCell).filter((name) => optionNames.includes(name))
    expect(options.sort()).toEqual([...optionNames].sort())
  })

  it('has one row per error code', () => {
    const errors = readme.slice(readme.indexOf('\n## Errors\n'))
    const codes = errors
      .split('\n')
      .filter((line) => /^\| `[a-z-]+` /.test(line))
      .map(firstCell)
    expect(codes.length).toBeGreaterThan(15)
    expect(new Set(codes).size).toBe(codes.length)
  })
})
