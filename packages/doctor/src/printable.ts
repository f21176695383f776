// Text a diagnosed server controls (header values, a Location, an error's cause) reaches the terminal.
// A C1 control such as U+009B is a terminal escape (CSI) that xterm honours, and the bidi overrides
// reorder what a reader sees: either lets a server restyle or rewrite the verdict. Both renderings
// escape them; the library's objects keep the bytes as received.

// C0 controls and DEL, C1 controls, and the Unicode bidi controls (marks, embeddings, overrides,
// isolates) plus the line and paragraph separators.
const unsafe = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
// The same without C0, which JSON.stringify already escapes inside strings (and whose line feeds
// outside strings are the indentation).
const unsafeInJson = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const hex = (char: string): string => char.charCodeAt(0).toString(16).padStart(4, '0')

/** `text` with every control and bidi character written as a visible `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(unsafe, (char) => `\\u${hex(char)}`)
}

/**
 * `JSON.stringify(value, null, 2)` with C1 and bidi controls escaped as `\uXXXX` too (JSON.stringify
 * escapes only C0): the output parses back to exactly the same value.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(unsafeInJson, (char) => `\\u${hex(char)}`)
}
