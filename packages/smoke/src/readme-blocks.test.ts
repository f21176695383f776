import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { extractBlocks, type ReadmeBlock, readmes } from './readme-blocks.ts'

// Users copy a README's code first: every TypeScript block of every README is type-checked here, as
// a module of its own, against the built packages (their `exports` maps and declarations, as users
// get them) and the frameworks installed in the workspace, with the repository's strict settings.

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const out = join(root, 'packages/smoke/.readme-blocks')

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  noEmit: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.Preserve,
}

function fileName(block: ReadmeBlock): string {
  return join(out, `${block.readme.replace(/[/.]/g, '_')}_L${block.line}.ts`)
}

function typeCheck(blocks: readonly ReadmeBlock[]): string[] {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const files = new Map<string, ReadmeBlock>()
  for (const block of blocks) {
    const file = fileName(block)
    // The context goes first, on the same line count as the comment, so line numbers stay close.
    writeFileSync(file, `${block.context}\n${block.code}\nexport {}\n`)
    files.set(file, block)
  }
  // A block resolves its imports as a file beside its README would: a package's own dev
  // dependencies (installed under packages/<name>/node_modules) first, then the workspace's.
  const host = ts.createCompilerHost(options)
  host.resolveModuleNames = (names, containing) => {
    const block = files.get(containing)
    const from = block ? join(root, dirname(block.readme), 'README.ts') : containing
    return names.map((name) => ts.resolveModuleName(name, from, options, host).resolvedModule)
  }
  const program = ts.createProgram([...files.keys()], options, host)
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    const block = diagnostic.file && files.get(diagnostic.file.fileName)
    if (!diagnostic.file || !block) return message
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    // Line 0 of the file is the context; line 1 is the first line of the block.
    return `${block.readme}:${block.line + line} (block at line ${block.line}): ${message}`
  })
}

describe('README code blocks', () => {
  const blocks = readmes(root).flatMap((file) => extractBlocks(root, file))

  it('finds the TypeScript blocks of every README', () => {
    expect(blocks.length).toBeGreaterThan(40)
    expect(new Set(blocks.map((block) => block.readme))).toContain('packages/core/README.md')
  })

  it('type-checks every TypeScript block as a user would copy it', { timeout: 120_000 }, () => {
    expect(typeCheck(blocks)).toEqual([])
  })
})
