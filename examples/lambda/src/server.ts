import { createServer } from 'node:http'
import { createApp } from './app.ts'

const port = Number(process.env.PORT ?? 3010)
createServer(createApp()).listen(port, '127.0.0.1', () => {
  console.log(`@cors/lambda example (Function URL events) listening on http://127.0.0.1:${port}`)
})
