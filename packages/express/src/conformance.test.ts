import { describeAdversarial, describeConformance } from '@cors/conformance'
import express5 from 'express'
import express4 from 'express4'
import { makeClient } from '../test/app.ts'

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4],
] as const) {
  describeConformance(`@cors/express on ${name}`, makeClient(express))
  // supertest goes through a real Node HTTP server, which answers 431 to more than 16 KiB of headers.
  describeAdversarial(`@cors/express on ${name}`, makeClient(express), { maxHeaderBytes: 16 * 1024 })
}
