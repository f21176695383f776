import { createApp } from './app.ts'

const port = Number(process.env.PORT ?? 3005)
createApp().listen(port, '127.0.0.1', () => {
  console.log(`@cors/express example listening on http://127.0.0.1:${port}`)
})
