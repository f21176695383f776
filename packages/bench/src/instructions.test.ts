import { describe, expect, it } from 'vitest'
import { type Counted, callgrindTotal, instructionsTable } from './instructions.ts'

// The counting itself needs valgrind and minutes a cell (run by hand, figures in BENCHMARKS.md); what
// is checked here is how its log is read and how the cells become the report.
describe('instructions per request', () => {
  it('reads the count from callgrind’s log', () => {
    const log = [
      '==4242== Callgrind, a call-graph generating cache profiler',
      '==4242== Events    : Ir',
      '==4242== Collected : 2361702000',
      '==4242== I   refs:      2,361,702,000',
    ].join('\n')
    expect(callgrindTotal(log)).toBe(2_361_702_000)
    expect(() => callgrindTotal('==1== I   refs: 5')).toThrow(/Collected/)
  })

  it('puts the variants side by side and compares ours, with a dash where a cell was not run', () => {
    const cell = (variant: Counted['variant'], kind: Counted['kind'], perRequest: number): Counted => ({
      framework: 'express',
      kind,
      variant,
      perRequest,
    })
    const table = instructionsTable([
      cell('hand-written', 'preflight', 800_000),
      cell('peer', 'preflight', 900_000),
      cell('ours', 'preflight', 808_000),
      cell('none', 'allowed', 770_000),
      cell('hand-written', 'allowed', 780_000),
      cell('peer', 'allowed', 795_000),
      cell('ours', 'allowed', 790_000),
    ]).split('\n')
    expect(table[0]).toBe(
      '| framework | request | no CORS | hand-written | peer | ours | ours ÷ hand-written | ours ÷ peer |',
    )
    expect(table[2]).toBe('| express | preflight | — | 800,000 | 900,000 | 808,000 | 1.010 | 0.898 |')
    expect(table[3]).toBe(
      '| express | GET, allowed origin | 770,000 | 780,000 | 795,000 | 790,000 | 1.013 | 0.994 |',
    )
  })
})
