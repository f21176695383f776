import { serve } from 'h3'
import { createApp } from './app.ts'

const port = Number(process.env.PORT ?? 3007)
const server = serve(createApp(), { port, hostname: '127.0.0.1', silent: true })
await server.ready()
console.log(`@cors/h3 example listening on http://127.0.0.1:${port}`)
