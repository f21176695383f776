// The Express platform, the policy on every route with app.use: the block of @cors/express's README
// "NestJS" section, run as it is by browser.test.ts.
import 'reflect-metadata'
import { cors } from '@cors/express'
import { NestFactory } from '@nestjs/core'
import { TodosModule as AppModule } from './todos.module.ts'

const origin = process.env.CORS_ORIGINS?.split(',') ?? ['https://app.example.com']
const app = await NestFactory.create(AppModule)
app.use(cors({ origin, credentials: true }))
await app.listen(process.env.PORT ?? 3000)
console.log(`listening on ${await app.getUrl()}`)
