import { createApp } from './app.ts'

const port = Number(process.env.PORT ?? 3001)
const app = await createApp()
const address = await app.listen({ host: '127.0.0.1', port })
console.log(`@cors/fastify example listening on ${address}`)
