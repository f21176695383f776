// Express 4, installed under the npm alias `express4` (a devDependency of @cors/express, hoisted to
// the workspace root) without types of its own: its middleware API is the one @types/express
// describes for Express 5, which is all servers.ts uses.
declare module 'express4' {
  import express from 'express'
  export default express
}
