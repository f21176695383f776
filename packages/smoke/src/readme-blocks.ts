import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/** One TypeScript code block of a README, with the hidden context written before it, if any. */
export interface ReadmeBlock {
  /** The README, relative to the repository root. */
  readonly readme: string
  /** 1-based line of the opening fence. */
  readonly line: number
  /**
   * What the block relies on without showing it: the imports of the page's earlier blocks (a reader
   * has them already) and a `<!-- context: ... -->` comment just above the fence.
   */
  readonly context: string
  readonly code: string
}

const fence = /^```(ts|typescript|tsx)\s*$/
const contextComment = /<!--\s*context:([\s\S]*?)-->\s*$/

/** Every README of the repository: the root one and each workspace's. */
export function readmes(root: string): string[] {
  const found = [join(root, 'README.md')]
  for (const folder of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, folder)).sort()) {
      const file = join(root, folder, name, 'README.md')
      if (existsSync(file)) found.push(file)
    }
  }
  return found
}

/**
 * The TypeScript blocks of one README. A block that needs something the page shows elsewhere (an
 * `app`, a `handler`) names it in an HTML comment right above the fence, which readers of the
 * rendered page do not see: `<!-- context: declare const app: import('express').Express -->`.
 */
export function extractBlocks(root: string, file: string): ReadmeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const blocks: ReadmeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!fence.test(lines[i]!)) continue
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!)
    const before = lines.slice(Math.max(0, start - 6), start).join('\n')
    const code = body.join('\n')
    const hidden = contextComment.exec(before)?.[1]?.trim() ?? ''
    const earlier = blocks.map((block) => block.code).join('\n')
    const context = [importsNotDeclared(earlier, `${hidden}\n${code}`), hidden].join('\n').replace(/\n/g, ' ')
    blocks.push({ readme: relative(root, file), line: start + 1, context, code })
  }
  return blocks
}

// The import declarations of `earlier`, less the names `code` declares or imports itself; a name
// imported by several earlier blocks is imported once.
function importsNotDeclared(earlier: string, code: string): string {
  const taken = topLevelNames(code)
  const free = (name: string): boolean => !taken.has(name) && taken.add(name) !== undefined
  const kept: string[] = []
  for (const statement of parse(earlier).statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause === undefined) continue
    const from = statement.moduleSpecifier.getText()
    const clause = statement.importClause
    const typeOnly = clause.isTypeOnly ? 'type ' : ''
    if (clause.name && free(clause.name.text))
      kept.push(`import ${typeOnly}${clause.name.text} from ${from};`)
    const bindings = clause.namedBindings
    if (bindings && ts.isNamespaceImport(bindings) && free(bindings.name.text))
      kept.push(`import ${typeOnly}* as ${bindings.name.text} from ${from};`)
    if (bindings && ts.isNamedImports(bindings)) {
      const names = bindings.elements.filter((element) => free(element.name.text))
      if (names.length > 0)
        kept.push(
          `import ${typeOnly}{ ${names.map((element) => element.getText()).join(', ')} } from ${from};`,
        )
    }
  }
  return kept.join(' ')
}

function parse(code: string): ts.SourceFile {
  return ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
}

// Names a block binds at its top level: imports, variables, functions, classes, types.
function topLevelNames(code: string): Set<string> {
  const names = new Set<string>()
  const bind = (name: ts.BindingName | ts.Identifier | undefined): void => {
    if (name === undefined) return
    if (ts.isIdentifier(name)) names.add(name.text)
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name)
  }
  for (const statement of parse(code).statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause
      bind(clause?.name)
      const bindings = clause?.namedBindings
      if (bindings && ts.isNamespaceImport(bindings)) bind(bindings.name)
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) bind(element.name)
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name)
    } else if (
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement)
    ) {
      bind(statement.name)
    }
  }
  return names
}
