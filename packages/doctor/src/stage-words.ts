import type { DoctorStage } from './types.ts'

/** Where a failure happened, as the verdict line says it. */
export const where: Record<DoctorStage, string> = {
  'before-cors': 'before any CORS step',
  preflight: 'at the preflight',
  actual: 'at the actual request',
}
