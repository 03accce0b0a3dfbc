// Express 4 is installed under the alias `express4`; its API is typed here by the Express types in use.
declare module 'express4' {
  import express = require('express');
  export = express;
}
