import { describe, expect, it } from 'vitest'
import { type Counted, callgrindCurrent, instructionsTable } from './instructions.ts'

// The counting itself needs valgrind and minutes a cell (run by hand, figures in BENCHMARKS.md); what
// is checked here is how its log is read and how the cells become the report.
describe('instructions per request', () => {
  it("reads the count from callgrind_control's counters, summed over threads", () => {
    const output = [
      'PID 4242: node --single-threaded server.ts',
      '',
      '  Totals:         Ir ',
      '   Th 1  123,211,741 ',
      '   Th 2       1,000 ',
      '',
    ].join('\n')
    expect(callgrindCurrent(output)).toBe(123_212_741)
    expect(() => callgrindCurrent('PID 4242: node\n  OK.')).toThrow(/no "Th" counter line/)
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
