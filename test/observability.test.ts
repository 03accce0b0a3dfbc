/**
 * Logs through pino-http, request ids, OpenTelemetry spans and the OpenAPI document, each on a
 * real Express app.
 */
import { Writable } from 'node:stream';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { RequestHandler } from 'express';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { BadGateway, Conflict, NotFound, TooManyRequests, errorHandler, handle, type LogLevel } from '../src';
import { openTelemetry } from '../src/opentelemetry';
import { EmailTaken } from '../examples/app';
import { EXPRESS_VERSIONS } from './apps';

/** A pino logger writing its JSON lines into an array. */
function capturedLogger(): { logger: pino.Logger; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, any>);
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

const ourLines = (lines: Record<string, any>[]): Record<string, any>[] =>
  lines.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('express-typed-errors'));

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  function appWith(logger: pino.Logger, options: Parameters<typeof errorHandler>[0] = {}, autoLogging = false) {
    const app = express();
    app.use(
      pinoHttp({
        logger,
        autoLogging,
        genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : 'generated-1'),
      }),
    );
    app.get('/500', () => {
      throw new Error('db down', { cause: new Error('connect ECONNREFUSED 10.0.0.5:5432') });
    });
    app.get('/404', () => {
      throw new NotFound('No user 42');
    });
    app.get('/429', () => {
      throw new TooManyRequests('slow down', { retryAfter: 10 });
    });
    app.use(errorHandler(options));
    return app;
  }

  describe('logging through pino-http', () => {
    it('logs a 500 once, at error, with its stack and cause chain', async () => {
      const { logger, lines } = capturedLogger();
      const res = await request(appWith(logger)).get('/500?token=SECRET');
      expect(res.status).toBe(500);
      expect(lines).toHaveLength(1);
      const logged = ourLines(lines);
      expect(logged).toHaveLength(1);
      // the log line names the path without its query string, as `instance` does
      expect(logged[0]).toMatchObject({ level: 50, msg: 'express-typed-errors: 500 on GET /500' });
      expect(logged[0]!.err.message).toContain('db down');
      expect(logged[0]!.err.stack).toMatch(/db down\n\s+at /);
      expect(JSON.stringify(logged[0]!.err)).toContain('connect ECONNREFUSED');
      expect(logged[0]!.req.id).toBe('generated-1');
      // the client sees none of it
      expect(res.text).not.toContain('ECONNREFUSED');
    });

    it("with pino-http's automatic logging (its default), one entry per failed request, carrying the real error", async () => {
      const { logger, lines } = capturedLogger();
      const res = await request(appWith(logger, {}, true)).get('/500');
      expect(res.status).toBe(500);
      // pino-http's own entry for the request, and no second one of ours
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: 'request errored', res: { statusCode: 500 } });
      expect(lines[0]!.err.message).toMatch(/^db down/);
      expect(lines[0]!.err.stack).toMatch(/db down\n\s+at /);
      expect(JSON.stringify(lines[0]!.err)).toContain('connect ECONNREFUSED');
      expect(lines[0]!.err.message).not.toContain('failed with status code');

      // a 4xx is a completed request for pino-http, unless logLevel asks for it
      const quiet = capturedLogger();
      await request(appWith(quiet.logger, {}, true)).get('/404');
      expect(quiet.lines).toEqual([expect.objectContaining({ msg: 'request completed' })]);
      const asked = capturedLogger();
      await request(appWith(asked.logger, { logLevel: { '4xx': 'warn' } }, true)).get('/404');
      expect(asked.lines).toEqual([
        expect.objectContaining({ msg: 'request errored', err: expect.objectContaining({ message: 'No user 42' }) }),
      ]);
    });

    it('does not log a 404 by default', async () => {
      const { logger, lines } = capturedLogger();
      expect((await request(appWith(logger)).get('/404')).status).toBe(404);
      expect(ourLines(lines)).toHaveLength(0);
    });

    it('logs 4xx at the level the app asks for, by range or by function', async () => {
      const byRange = capturedLogger();
      await request(appWith(byRange.logger, { logLevel: { '4xx': 'warn' } })).get('/404');
      expect(ourLines(byRange.lines)).toEqual([expect.objectContaining({ level: 40, msg: 'express-typed-errors: 404 on GET /404' })]);

      const byFunction = capturedLogger();
      const pick = (error: { status: number }): LogLevel | false => (error.status === 429 ? 'info' : false);
      const app = appWith(byFunction.logger, { logLevel: pick });
      await request(app).get('/404');
      await request(app).get('/429');
      await request(app).get('/500');
      expect(ourLines(byFunction.lines).map((line) => line.level)).toEqual([30]);
    });

    it('an explicit log function wins over req.log; log: false logs nowhere', async () => {
      const { logger, lines } = capturedLogger();
      const seen: [unknown, LogLevel][] = [];
      await request(appWith(logger, { log: (error, _req, level) => seen.push([error, level]) })).get('/500');
      expect(seen).toEqual([[expect.objectContaining({ message: 'db down' }), 'error']]);
      await request(appWith(logger, { log: false })).get('/500');
      expect(ourLines(lines)).toHaveLength(0);
    });

    it('a req.log that throws is contained', async () => {
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const app = express();
        app.use(((req, _res, next) => {
          Object.defineProperty(req, 'log', {
            value: {
              error: () => {
                throw new Error('transport down');
              },
            },
          });
          next();
        }) as RequestHandler);
        app.get('/', () => {
          throw new Error('boom');
        });
        app.use(errorHandler());
        const res = await request(app).get('/');
        expect(res.status).toBe(500);
        expect(spy).toHaveBeenCalledWith(
          'express-typed-errors: the logger threw while logging',
          expect.objectContaining({ message: 'boom' }),
          'Error: transport down',
        );
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('request id', () => {
    it('echoes req.id as pino-http sets it', async () => {
      const { logger } = capturedLogger();
      const res = await request(appWith(logger)).get('/404').set('X-Request-Id', '0b6c1e2f-7a0e-4c5e-9d1e-3f2a1b0c9d8e');
      expect(res.body.requestId).toBe('0b6c1e2f-7a0e-4c5e-9d1e-3f2a1b0c9d8e');
    });

    it.each([
      ['oversized', 'a'.repeat(129)],
      ['quotes and markup', '"><script>alert(1)</script>'],
      ['spaces', 'id with spaces'],
      ['a JSON fragment', '","status":200,"x":"'],
    ])('refuses an id that is %s', async (_what, id) => {
      const { logger } = capturedLogger();
      const res = await request(appWith(logger)).get('/404').set('X-Request-Id', id);
      expect(res.status).toBe(404);
      expect(res.body.requestId).toBeUndefined();
      expect(res.body.status).toBe(404);
    });

    it('reads the header itself without pino-http, by a configurable name, or not at all', async () => {
      const build = (options: Parameters<typeof errorHandler>[0]) => {
        const app = express();
        app.get('/', () => {
          throw new Conflict('x');
        });
        app.use(errorHandler({ log: false, ...options }));
        return app;
      };
      expect((await request(build({})).get('/').set('X-Request-Id', 'abc-123')).body.requestId).toBe('abc-123');
      expect(
        (
          await request(build({ requestIdHeader: 'X-Correlation-Id' }))
            .get('/')
            .set('X-Correlation-Id', 'corr-9')
        ).body.requestId,
      ).toBe('corr-9');
      expect(
        (
          await request(build({ requestIdHeader: false }))
            .get('/')
            .set('X-Request-Id', 'abc-123')
        ).body.requestId,
      ).toBeUndefined();
    });
  });

  describe('OpenTelemetry', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const contextManager = new AsyncLocalStorageContextManager();
    beforeAll(() => {
      context.setGlobalContextManager(contextManager.enable());
      trace.setGlobalTracerProvider(provider);
    });
    afterAll(() => {
      trace.disable();
      context.disable();
    });
    beforeEach(() => exporter.reset());

    const tracer = provider.getTracer('test');
    const app = express();
    // what an HTTP instrumentation does: one server span per request, active while it is handled
    app.use(((req, res, next) => {
      const span = tracer.startSpan(`${req.method} ${req.path}`);
      res.on('finish', () => span.end());
      context.with(trace.setSpan(context.active(), span), next);
    }) as RequestHandler);
    app.get(
      '/502',
      handle(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        throw new BadGateway('upstream failed', { cause: new Error('socket hang up') });
      }),
    );
    app.get('/409', () => {
      throw new EmailTaken('ada@example.com');
    });
    app.use(errorHandler({ log: false, tracing: openTelemetry() }));

    it('a 5xx: the exception is recorded, the span status is ERROR, the body carries the trace id', async () => {
      const res = await request(app).get('/502');
      expect(res.status).toBe(502);
      const [span] = exporter.getFinishedSpans();
      expect(span).toBeDefined();
      expect(span!.status.code).toBe(SpanStatusCode.ERROR);
      expect(span!.attributes['error.type']).toBe('502');
      expect(span!.events).toEqual([
        expect.objectContaining({
          name: 'exception',
          attributes: expect.objectContaining({ 'exception.message': 'upstream failed', 'exception.type': 'BadGateway' }),
        }),
      ]);
      expect(res.body.traceId).toBe(span!.spanContext().traceId);
      expect(res.body.traceId).toMatch(/^[0-9a-f]{32}$/);
    });

    it('a 4xx: the exception is recorded, but the span status stays UNSET', async () => {
      const res = await request(app).get('/409');
      expect(res.status).toBe(409);
      const [span] = exporter.getFinishedSpans();
      expect(span!.status.code).toBe(SpanStatusCode.UNSET);
      expect(span!.events.map((event) => event.name)).toEqual(['exception']);
      expect(res.body.traceId).toBe(span!.spanContext().traceId);
    });

    it('without an active span, nothing is added', async () => {
      const bare = express();
      bare.get('/', () => {
        throw new NotFound();
      });
      bare.use(errorHandler({ log: false, tracing: openTelemetry() }));
      const res = await request(bare).get('/');
      expect(res.status).toBe(404);
      expect(res.body.traceId).toBeUndefined();
    });
  });
});
