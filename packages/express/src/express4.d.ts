// Express 4 is installed under the npm alias `express4` without types of its own: its middleware API
// is the one @types/express describes for Express 5, which is all the tests use.
declare module 'express4' {
  import express from 'express'
  export default express
}
