import { expect, it } from 'vitest'
import { explain } from './explain.ts'
import { formatDiagnosis } from './format.ts'

const origin = 'https://app.example.com'

it('prints numbered steps, the verdict and the fix', async () => {
  const diagnosis = await explain({ origin, methods: ['GET'] }, { origin, method: 'DELETE' })
  expect(
    formatDiagnosis(diagnosis, { title: 'DELETE https://api.example.com/ from https://app.example.com' }),
  ).toBe(`DELETE https://api.example.com/ from https://app.example.com

1. ok   [preflight] a preflight is needed: the method DELETE is not GET, HEAD or POST. The browser sends OPTIONS with \`access-control-request-method: DELETE\`, without credentials
2. FAIL [preflight] the server's policy refused the preflight: method-not-allowed (method "DELETE" is not allowed (allowed: GET)) (server-reason)
3. FAIL [preflight] the server refused the preflight: it answered 403 without any CORS headers (a browser reports only "no Access-Control-Allow-Origin header") (preflight-refused)

Preflight answered 403.
The actual request was not sent.
Blocked at the preflight: method-not-allowed (DevTools: MethodDisallowedByPreflightResponse)
Fix: send \`Access-Control-Allow-Methods: DELETE\` on the preflight's answer (with @cors/*: add \`DELETE\` to \`methods\`)`)
})

it('colours only when asked', async () => {
  const diagnosis = await explain({ origin }, { origin })
  expect(formatDiagnosis(diagnosis)).not.toContain('\x1b[')
  const coloured = formatDiagnosis(diagnosis, { color: true })
  expect(coloured).toContain('\x1b[32mAllowed: the page can read the response.\x1b[0m')
  expect(coloured.endsWith('Readable headers: none')).toBe(true)
})
