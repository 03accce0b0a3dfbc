/**
 * A route contract is mounted at its own method and path: the client builds its URLs from them, so a
 * contract mounted elsewhere is a route no client of it reaches, or one it reaches with the wrong
 * method. Express does not tell a handler where it is mounted until a request reaches it, so the
 * first request to reach it is refused, as a bug of the server: a 500, with the reason in the log.
 */
import type { NextFunction, Request, Response } from 'express';
import type { RouteContract } from './contract';
import { read } from './read';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** The middleware of a contract's route, refusing each request that reaches it where the contract is not mounted. */
export function mountChecked(contract: RouteContract, middleware: Middleware): Middleware {
  return function contractRoute(req, res, next) {
    const mistake = mountMistake(contract, req);
    if (mistake === undefined) return middleware(req, res, next);
    next(
      new TypeError(
        `express-typed-errors: the handle() of the contract ${contract.method} ${contract.path} is mounted ${mistake}: mount it with app.${contract.method.toLowerCase()}(contract.path, handle(contract, fn))`,
      ),
    );
  };
}

/**
 * Where the request says the route is mounted, when that is not the contract's method and path:
 * Express routes a HEAD to a GET route; the contract's path is the route's (`req.route.path`),
 * under routers mounted where the client's `baseUrl` points — or it carries their path itself
 * (`/v1/users/:id` for a route `/users/:id` in a router mounted at `/v1`).
 */
function mountMistake(contract: RouteContract, req: Request): string | undefined {
  const method = req.method;
  const path = read(req.route, 'path');
  if (typeof path !== 'string') return 'with app.use() or at a path that is not a string';
  if (method !== contract.method && !(method === 'HEAD' && contract.method === 'GET')) return `for ${method} ${path}`;
  if (!contract.path.endsWith(path)) return `at ${path}`;
  // the rest of the contract's path is where the routers above are mounted: the end of req.baseUrl
  const above = contract.path.slice(0, contract.path.length - path.length);
  if (above !== '' && !templateRegExp(above).test(req.baseUrl)) return `at ${path} under ${req.baseUrl || '/'}`;
  return undefined;
}

/** A path template (`/orgs/:org`) as a regular expression that matches the end of a path. */
function templateRegExp(template: string): RegExp {
  const source = template
    .split(/(:[A-Za-z_]\w*)/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`${source}$`, 'i'); // Express matches paths case-insensitively by default
}
