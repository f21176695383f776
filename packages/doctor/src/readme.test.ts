import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'

// Every TypeScript block of the README compiles under the repository's strict settings
// (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess), importing '@cors/doctor' as a user
// does (mapped to this package's source). A README example that rots fails here.
const here = resolve(import.meta.dirname, '..')
const work = join(here, '.readme-check')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The bodies of the README's fenced blocks in `language`. */
export function blocks(readme: string, language: string): string[] {
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm')
  return [...readme.matchAll(fence)].map((match) => match[1]!)
}

it('type-checks every TypeScript block of the README with tsc --strict', async () => {
  const sources = blocks(readFileSync(join(here, 'README.md'), 'utf8'), 'ts')
  expect(sources.length).toBeGreaterThan(0)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work)
  const files = sources.map((source, index) => {
    const file = `block-${index + 1}.ts`
    writeFileSync(join(work, file), source)
    return file
  })
  const config = {
    extends: '../../../tsconfig.base.json',
    compilerOptions: {
      strict: true,
      noEmit: true,
      isolatedDeclarations: false,
      declaration: false,
      types: ['node'],
      paths: { '@cors/doctor': ['../src/index.ts'] },
    },
    files,
  }
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(config))
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(work, 'tsconfig.json')]).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  )
  expect(result).toBe('')
}, 60_000)
