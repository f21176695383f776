/** Sends one request of each kind to a running variant and checks the response against the policy. */
import { request } from 'node:http'
import { check, type Finding, type Kind, kinds, type Observed, path, requests } from './policy.ts'

export function observe(port: number, kind: Kind): Promise<Observed> {
  const { method, headers } = requests[kind]
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers, agent: false, timeout: 5000 },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => {
          const seen: Record<string, string> = {}
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) seen[name] = Array.isArray(value) ? value.join(', ') : value
          }
          resolve({ status: res.statusCode ?? 0, headers: seen, body })
        })
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)))
    req.on('error', reject)
    req.end()
  })
}

/** The findings for each request kind (empty when the variant does everything the policy requires). */
export async function verify(port: number, cors = true): Promise<Record<Kind, Finding[]>> {
  const result = {} as Record<Kind, Finding[]>
  for (const kind of kinds) result[kind] = check(kind, await observe(port, kind), cors)
  return result
}
