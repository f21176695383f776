import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Module,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common'

interface Todo {
  id: number
  title: string
}

const todos: Todo[] = [{ id: 1, title: 'Try @cors/express with NestJS' }]

/** A small todo API; no constructor injection (tsx does not emit the metadata Nest injects by). */
@Controller('todos')
export class TodosController {
  // Express's response and Fastify's reply both have header(name, value).
  @Get() list(
    @Res({ passthrough: true }) response: { header(name: string, value: string): unknown },
  ): Todo[] {
    response.header('X-Total-Count', String(todos.length))
    return todos
  }

  @Post() @HttpCode(201) create(@Body() body: { title?: unknown }): Todo {
    const todo = { id: todos.length + 1, title: String(body.title) }
    todos.push(todo)
    return todo
  }

  @Delete(':id') @HttpCode(204) remove(@Param('id') id: string): void {
    const index = todos.findIndex((todo) => todo.id === Number(id))
    if (index === -1) throw new NotFoundException()
    todos.splice(index, 1)
  }

  @Get('error') fail(): never {
    throw new Error('something broke')
  }
}

@Module({ controllers: [TodosController] })
export class TodosModule {}
