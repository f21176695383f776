// Starts the AppModule of app.module.ts (the policy applied with the MiddlewareConsumer).
import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import { AppModule } from './app.module.ts'

const app = await NestFactory.create(AppModule)
await app.listen(process.env.PORT ?? 3000)
console.log(`listening on ${await app.getUrl()}`)
