// router 2.2 (the layer shape of Express 5.0 and 5.1 installs) is installed under the alias `router-2.2`;
// typed here as the Router that Express's own types describe.
declare module 'router-2.2' {
  import type { Router, RouterOptions } from 'express';
  function Router22(options?: RouterOptions): Router;
  export = Router22;
}
