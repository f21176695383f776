/** The versions of installed packages, for the reports. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** The version of an installed package, found from its entry point up to its package.json. */
export function versionOf(name: string): string {
  let dir = dirname(require.resolve(name))
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version: string
      }
      if (pkg.name === name) return pkg.version
    } catch {}
    const parent = dirname(dir)
    if (parent === dir) return '?'
    dir = parent
  }
}
