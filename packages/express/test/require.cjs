// A CommonJS Express 4 app, as many Express users have: require() loads the ES module build of
// @cors/express (Node 20.19+ and 22.12+ need no flag). Prints what it observed as one JSON line.
'use strict'
const http = require('node:http')
const express = require('express4')
const { cors } = require('@cors/express')
const corsDefault = require('@cors/express').default

const app = express()
app.use(cors({ origin: ['https://app.example.com'], credentials: true }))
app.get('/todos', (_req, res) => res.json([]))

function request(port, method, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/todos', method, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res))
    })
    req.on('error', reject)
    req.end()
  })
}

const server = app.listen(0, '127.0.0.1', async () => {
  try {
    const { port } = server.address()
    const origin = 'https://app.example.com'
    const answered = await request(port, 'OPTIONS', { origin, 'access-control-request-method': 'PUT' })
    const actual = await request(port, 'GET', { origin })
    process.stdout.write(
      JSON.stringify({
        sameFunction: corsDefault === cors,
        status: answered.statusCode,
        allowOrigin: answered.headers['access-control-allow-origin'],
        actualAllowOrigin: actual.headers['access-control-allow-origin'],
      }),
    )
  } finally {
    server.close()
  }
})
