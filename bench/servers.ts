/**
 * One Express 5 server per variant of the 404 error path, started in its own process by
 * bench/load.ts: `servers.ts VARIANT` prints the port. Every variant answers GET /users/42; GET /__cpu
 * answers the process's CPU time.
 */
import type { AddressInfo } from 'node:net';
import Boom from '@hapi/boom';
import express, { type ErrorRequestHandler, type Express } from 'express';
import createError from 'http-errors';
import { Created, NotFound, errorHandler, handle } from '../src';

const PATH = '/users/:id';

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

export const VARIANTS: Record<string, (app: Express) => void> = {
  bare,
  // the same code in another process, measured like a variant: how far the method alone moves a ratio
  'control: bare again': bare,
  'ours: sync throw': (app) => {
    app.get(PATH, (req) => {
      throw new NotFound(`No user ${String(req.params.id)}`);
    });
    app.use(errorHandler());
  },
  'ours: async throw': (app) => {
    app.get(PATH, async (req) => {
      await Promise.resolve();
      throw new NotFound(`No user ${String(req.params.id)}`);
    });
    app.use(errorHandler());
  },
  'ours: handle()': (app) => {
    app.get(
      PATH,
      handle((req) => {
        throw new NotFound(`No user ${String(req.params.id)}`);
      }),
    );
    app.use(errorHandler());
  },
  'ours: thrown Created': (app) => {
    app.get(PATH, (req) => {
      throw new Created({ id: String(req.params.id) }, { location: `/users/${String(req.params.id)}` });
    });
    app.use(errorHandler());
  },
  'http-errors + JSON middleware': (app) => {
    app.get(PATH, (req) => {
      throw createError(404, `No user ${String(req.params.id)}`);
    });
    app.use(httpErrorsJson);
  },
  'Boom + JSON middleware': (app) => {
    app.get(PATH, (req) => {
      throw Boom.notFound(`No user ${String(req.params.id)}`);
    });
    app.use(boomJson);
  },
  "Express's default handler": (app) => {
    app.get(PATH, (req) => {
      throw createError(404, `No user ${String(req.params.id)}`);
    });
  },
};

if (require.main === module) {
  const variant = VARIANTS[process.argv[2] ?? ''];
  if (!variant) throw new Error(`unknown variant ${String(process.argv[2])}`);
  const app = express();
  // the server's CPU time so far, in microseconds: bench/load.ts divides its growth by the requests served
  app.get('/__cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json(user + system);
  });
  variant(app);
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
