import { expect, it } from 'vitest'
import { printable, printableJson } from './printable.ts'

it('escapes C0, DEL, C1 and bidi controls as visible \\uXXXX', () => {
  expect(printable('a\x1b[31mb\x9b2Jc\x7f\u202eevil\u2066d\u200f')).toBe(
    'a\\u001b[31mb\\u009b2Jc\\u007f\\u202eevil\\u2066d\\u200f',
  )
  expect(printable('plain é 😀 text')).toBe('plain é 😀 text')
})

it('escapes C1 and bidi controls in JSON, which still parses to the same value', () => {
  const value = { header: 'x\x9b31m\u202ey', lines: ['a\nb'] }
  const text = printableJson(value)
  expect(text).not.toMatch(/[\x80-\x9f\u202e]/)
  expect(text).toContain('"x\\u009b31m\\u202ey"')
  expect(JSON.parse(text)).toEqual(value)
})
