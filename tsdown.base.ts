import type { UserConfig } from 'tsdown'

/** Shared build settings: one ESM entry, .mjs + .d.mts, checked by publint and attw on every build. */
export const base: UserConfig = {
  entry: 'src/index.ts',
  format: 'esm',
  fixedExtension: true,
  dts: true,
  target: 'es2022',
  clean: true,
  publint: true,
  attw: { profile: 'esmOnly', level: 'error' },
}
