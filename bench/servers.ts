/**
 * One Express 5 server per variant, started in its own process by bench/load.ts and
 * bench/instructions.ts: `servers.ts VARIANT` prints the port. The 404 error path's variants answer
 * GET /users/42; the typed input ones POST /users with a JSON body. GET /__cpu answers the process's
 * CPU time.
 */
import type { AddressInfo } from 'node:net';
import Boom from '@hapi/boom';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { Created, NotFound, errorHandler, fromZod, handle, methodNotAllowed, notFoundHandler } from '../src';

const PATH = '/users/:id';

/** The request a variant is measured with. */
export interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** A JSON body, sent as `application/json`. */
  readonly body?: string;
}

/** A server to measure: its routes, the request it answers, and the variant its ratio is taken against. */
export interface Variant {
  readonly mount: (app: Express) => void;
  /** Default: GET /users/42. */
  readonly request?: BenchRequest;
  /** Default: `bare`. A variant that names itself is a baseline. */
  readonly baseline?: string;
}

export const GET_USER: BenchRequest = { method: 'GET', path: '/users/42' };

/** A path no route has. */
const UNMATCHED: BenchRequest = { method: 'GET', path: '/v1/nothing/42' };

/** The JSON error middleware an app hand-writes around http-errors. */
const httpErrorsJson: ErrorRequestHandler = (err: createError.HttpError, req, res, _next) => {
  res.status(err.status).json({ type: 'about:blank', title: err.name, status: err.status, detail: err.message, instance: req.path });
};

/** The JSON error middleware an app hand-writes around Boom. */
const boomJson: ErrorRequestHandler = (err: Boom.Boom, _req, res, _next) => {
  res.status(err.output.statusCode).set(err.output.headers).json(err.output.payload);
};

/** The baseline: the route answers its 404 itself. */
const bare = (app: Express): void => {
  app.get(PATH, (req, res) => {
    res
      .status(404)
      .json({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No user ${String(req.params.id)}`, instance: req.path });
  });
};

/** Typed input: one zod schema and one body, validated by handle({ body }) or by hand. */
const NewUser = z.object({ email: z.email(), name: z.string().min(1), age: z.number().int().min(0) });
const VALID: BenchRequest = {
  method: 'POST',
  path: '/users',
  body: JSON.stringify({ email: 'ada@example.com', name: 'Ada Lovelace', age: 36 }),
};
const INVALID: BenchRequest = { method: 'POST', path: '/users', body: JSON.stringify({ email: 'not-an-email', name: '', age: -1 }) };

/** Today's way: the route parses its body and answers itself; a ZodError is mapped by `fromZod`. */
const parsedByHand = (app: Express): void => {
  app.post('/users', express.json(), (req, res) => {
    const user = NewUser.parse(req.body);
    res.status(201).location('/users/42').json(user);
  });
  app.use(errorHandler({ map: [fromZod] }));
};

/** The same route through handle({ body }). */
const parsedByHandle = (app: Express): void => {
  app.post(
    '/users',
    express.json(),
    handle({ body: NewUser }, (req) => new Created(req.body, { location: '/users/42' })),
  );
  app.use(errorHandler());
};

export const VARIANTS: Record<string, Variant> = {
  bare: { mount: bare },
  // the same code in another process, measured like a variant: how far the method alone moves a ratio
  'control: bare again': { mount: bare },
  'ours: sync throw': {
    mount: (app) => {
      app.get(PATH, (req) => {
        throw new NotFound(`No user ${String(req.params.id)}`);
      });
      app.use(errorHandler());
    },
  },
  'ours: async throw': {
    mount: (app) => {
      app.get(PATH, async (req) => {
        await Promise.resolve();
        throw new NotFound(`No user ${String(req.params.id)}`);
      });
      app.use(errorHandler());
    },
  },
  'ours: handle()': {
    mount: (app) => {
      app.get(
        PATH,
        handle((req) => {
          throw new NotFound(`No user ${String(req.params.id)}`);
        }),
      );
      app.use(errorHandler());
    },
  },
  'ours: thrown Created': {
    mount: (app) => {
      app.get(PATH, (req) => {
        throw new Created({ id: String(req.params.id) }, { location: `/users/${String(req.params.id)}` });
      });
      app.use(errorHandler());
    },
  },
  'http-errors + JSON middleware': {
    mount: (app) => {
      app.get(PATH, (req) => {
        throw createError(404, `No user ${String(req.params.id)}`);
      });
      app.use(httpErrorsJson);
    },
  },
  'Boom + JSON middleware': {
    mount: (app) => {
      app.get(PATH, (req) => {
        throw Boom.notFound(`No user ${String(req.params.id)}`);
      });
      app.use(boomJson);
    },
  },
  "Express's default handler": {
    mount: (app) => {
      app.get(PATH, (req) => {
        throw createError(404, `No user ${String(req.params.id)}`);
      });
    },
  },
  'input, valid: parse by hand + res.status(201)': {
    mount: parsedByHand,
    request: VALID,
    baseline: 'input, valid: parse by hand + res.status(201)',
  },
  'input, valid: handle({ body }) + Created': {
    mount: parsedByHandle,
    request: VALID,
    baseline: 'input, valid: parse by hand + res.status(201)',
  },
  'input, invalid: parse by hand + fromZod': {
    mount: parsedByHand,
    request: INVALID,
    baseline: 'input, invalid: parse by hand + fromZod',
  },
  'input, invalid: handle({ body })': { mount: parsedByHandle, request: INVALID, baseline: 'input, invalid: parse by hand + fromZod' },
  '404 path, 50 routes: notFoundHandler()': {
    mount: (app) => fiftyRoutes(app, false),
    request: UNMATCHED,
    baseline: '404 path, 50 routes: notFoundHandler()',
  },
  '404 path, 50 routes: methodNotAllowed() + notFoundHandler()': {
    mount: (app) => fiftyRoutes(app, true),
    request: UNMATCHED,
    baseline: '404 path, 50 routes: notFoundHandler()',
  },
};

/** The 404 path of an app of 50 routes: 10 resources, 5 methods each, in two routers; with methodNotAllowed() or without. */
function fiftyRoutes(app: Express, withMethods: boolean): void {
  const ok: RequestHandler = (_req, res) => {
    res.json({});
  };
  for (const version of ['v1', 'v2']) {
    const router = express.Router();
    for (let i = 0; i < 5; i++) {
      router.get(`/r${i}`, ok).post(`/r${i}`, ok);
      router.route(`/r${i}/:id`).get(ok).put(ok).delete(ok);
    }
    app.use(`/${version}`, router);
  }
  if (withMethods) app.use(methodNotAllowed());
  app.use(notFoundHandler());
  app.use(errorHandler());
}

/** The variant a variant's ratio is taken against; a baseline's is itself. */
export function baselineOf(name: string): string {
  return VARIANTS[name]?.baseline ?? 'bare';
}

/** The variants measured against a baseline, those whose name holds `word` (all without one). */
export function comparedVariants(word: string | undefined): string[] {
  return Object.keys(VARIANTS).filter((name) => baselineOf(name) !== name && (word === undefined || name.includes(word)));
}

if (require.main === module) {
  const variant = VARIANTS[process.argv[2] ?? ''];
  if (!variant) throw new Error(`unknown variant ${String(process.argv[2])}`);
  const app = express();
  // the server's CPU time so far, in microseconds: bench/load.ts divides its growth by the requests served
  app.get('/__cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json(user + system);
  });
  variant.mount(app);
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
  // under valgrind on a loaded machine a keep-alive connection can idle past Node's 5 s and be reset mid-run
  server.keepAliveTimeout = 0;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
