// The Express platform, the policy in a module with the MiddlewareConsumer: the block of
// @cors/express's README "NestJS" section (main-consumer.ts starts it).

import { cors } from '@cors/express'
import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common'
import { TodosModule } from './todos.module.ts'

@Module({ imports: [TodosModule] })
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    const origin = process.env.CORS_ORIGINS?.split(',') ?? ['https://app.example.com']
    consumer.apply(cors({ origin, credentials: true })).forRoutes('*')
  }
}
