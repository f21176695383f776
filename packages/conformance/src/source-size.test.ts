// A guard on the size of the published source: no function over about 60 lines in the core or in any
// adapter's src/ (tests and test harnesses aside), and no adapter's src/index.ts over about 150 lines.
// Functions are found with the TypeScript parser; a closure counts with the functions inside it.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { adapters } from './adapters.ts'

const root = resolve(import.meta.dirname, '../../..')
const maxFunctionLines = 60
const maxIndexLines = 150

/**
 * Functions allowed over the limit, by `path:name`, each with its reason. Keep it short: a long
 * function is split, not listed. The core has none.
 */
const exceptions: Readonly<Record<string, string>> = {}

// Test files and test harnesses (servers and clients the tests drive) are not published code.
const isSource = (file: string): boolean =>
  file.endsWith('.ts') &&
  !file.endsWith('.d.ts') &&
  !/\.test(-d)?\.ts$/.test(file) &&
  !/(^|\/)test-[^/]*\.ts$/.test(file)

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter(isSource)
    .map((file) => join(dir, file))
    .sort()
}

// What a reader would call the function: its own name, or the variable, property or call it is given to.
function nameOf(node: ts.Node, file: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node }
  if (named.name !== undefined) return named.name.getText(file)
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  const parent = node.parent
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(file)
  if (ts.isCallExpression(parent)) return `(a function passed to ${parent.expression.getText(file)})`
  const { line } = file.getLineAndCharacterOfPosition(node.getStart(file))
  return `(an anonymous function at line ${line + 1})`
}

interface LongFunction {
  readonly where: string
  readonly lines: number
}

/** The functions of the files (paths from `base`) longer than `limit` lines, as `path:name`. */
function longFunctions(base: string, files: readonly string[], limit: number): LongFunction[] {
  const found: LongFunction[] = []
  for (const path of files) {
    const file = ts.createSourceFile(
      path,
      readFileSync(join(base, path), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    )
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && (node as ts.Node & { body?: ts.Node }).body !== undefined) {
        const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line
        const last = file.getLineAndCharacterOfPosition(node.getEnd()).line
        const lines = last - first + 1
        if (lines > limit) found.push({ where: `${path}:${nameOf(node, file)}`, lines })
      }
      ts.forEachChild(node, visit)
    }
    visit(file)
  }
  return found
}

const adapterDirs = adapters.map((adapter) => `packages/${adapter.name}/src`)

describe('source size (the core and every adapter in packages/conformance/src/adapters.ts)', () => {
  it.each(['packages/core/src', ...adapterDirs])('%s: no function over 60 lines', (dir) => {
    const long = longFunctions(root, sourceFiles(dir), maxFunctionLines)
      .filter(({ where }) => exceptions[where] === undefined)
      .map(({ where, lines }) => `${where} (${lines} lines)`)
    expect(long, `split these functions, or list one in exceptions with its reason`).toEqual([])
  })

  it.each(adapterDirs)('%s/index.ts: at most 150 lines', (dir) => {
    const lines = readFileSync(join(root, dir, 'index.ts'), 'utf8')
      .trimEnd()
      .split('\n').length
    expect(lines, `${dir}/index.ts has ${lines} lines`).toBeLessThanOrEqual(maxIndexLines)
  })

  it('lists only exceptions that exist and are over the limit, each with a reason', () => {
    const dirs = ['packages/core/src', ...adapterDirs]
    const long = new Set(
      dirs.flatMap((dir) =>
        longFunctions(root, sourceFiles(dir), maxFunctionLines).map(({ where }) => where),
      ),
    )
    for (const [where, reason] of Object.entries(exceptions)) {
      expect(long.has(where), `${where} is not over the limit: remove it from the exceptions`).toBe(true)
      expect(reason.length, where).toBeGreaterThan(20)
      expect(where.startsWith('packages/core/'), `${where}: the core has no exceptions`).toBe(false)
    }
  })

  it('finds a long function, and names it', () => {
    const found = longFunctions(root, ['packages/conformance/src/source-size.test.ts'], 10)
    expect(found.map(({ where }) => relative('packages/conformance/src', where))).toContain(
      'source-size.test.ts:longFunctions',
    )
  })
})
