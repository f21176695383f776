// The Fastify platform with @cors/fastify: the block of @cors/fastify's README "NestJS" section, run
// as it is by browser.test.ts.
import 'reflect-metadata'
import cors from '@cors/fastify'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { TodosModule as AppModule } from './todos.module.ts'

const origin = process.env.CORS_ORIGINS?.split(',') ?? ['https://app.example.com']
const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter())
await app.register(cors, { origin, credentials: true })
await app.listen(process.env.PORT ?? 3000)
console.log(`listening on ${await app.getUrl()}`)
