// express@4 installed under an alias for the tests; its API used here matches @types/express 5.
declare module 'express4' {
  import express from 'express';
  export default express;
}
