/**
 * `express-typed-errors/client` in Node, as a service calling another service uses it: real `fetch`
 * against real Express apps — the example app's whole demo tour, and a test API that answers with
 * app subclasses and with hostile, broken and huge bodies.
 */
import { expectTypeOf } from 'expect-type';
import pino from 'pino';
import { EmailTaken, createApp } from '../examples/app';
import { TOUR, type Step } from '../examples/tour';
import {
  BadGateway,
  BadRequest,
  type ErrorStatus,
  HttpError,
  InternalServerError,
  NotFound,
  PaymentRequired,
  type ProblemClass,
  type ProblemDetails,
  type ProblemError,
  TooManyRequests,
  UnprocessableContent,
  type ValidationIssue,
  createHttpError,
  isHttpError,
  isProblemDetails,
  isProblemError,
  ok,
  readProblem,
  throwIfProblem,
} from '../src/client';
import * as main from '../src';
import { EXPRESS_VERSIONS } from './apps';
import { ENDLESS_LIMIT, clientTestApp, listen } from './client.apps';
import { OutOfCredit, UserNotFound } from './client.classes';

/** The rejection of a promise that must reject with an error the client built. */
async function problemErrorOf(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  if (!isProblemError(error)) throw new Error(`expected a ProblemError, got ${String(error)}`);
  return error;
}

/** The generated class for a status, e.g. `NotFound` for 404. */
function classFor(status: number): abstract new (...args: never) => HttpError {
  return createHttpError(status as ErrorStatus).constructor as abstract new (...args: never) => HttpError;
}

/** The fetch options for a tour step, as the demo sends it. */
function init(step: Step): RequestInit {
  return {
    method: step.method,
    headers: { ...(step.body === undefined ? {} : { 'content-type': 'application/json' }), ...step.headers },
    body: step.body,
  };
}

describe('the client module', () => {
  it('exports the very classes the server throws', () => {
    expect(NotFound).toBe(main.NotFound);
    expect(HttpError).toBe(main.HttpError);
    expect(isHttpError).toBe(main.isHttpError);
  });
});

describe('the types', () => {
  it('ok() gives back the response type it was given; the guards narrow to typed members', () => {
    expectTypeOf((url: string) => ok(fetch(url))).returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf(readProblem).returns.toEqualTypeOf<Promise<ProblemDetails | undefined>>();
    const value: unknown = undefined;
    if (isProblemError(value, 422)) {
      expectTypeOf(value.status).toEqualTypeOf<422>();
      expectTypeOf(value.errors).toEqualTypeOf<readonly ValidationIssue[] | undefined>();
      expectTypeOf(value.requestId).toEqualTypeOf<string | undefined>();
      expectTypeOf(value.problem).toEqualTypeOf<ProblemDetails | undefined>();
    }
    if (isProblemDetails(value)) expectTypeOf(value.title).toEqualTypeOf<string>();
    // a class says what it matches with a static code or type; the example app's EmailTaken does
    expectTypeOf(EmailTaken).toExtend<ProblemClass>();
    expectTypeOf(OutOfCredit).toExtend<ProblemClass>();
    expectTypeOf(NotFound).not.toExtend<ProblemClass>();
  });
});

describe("the example app's demo tour, read back through the client (Express 5)", () => {
  let api: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    api = await listen(createApp({ logger: pino({ level: 'silent' }) }));
  });
  afterAll(() => api.close());

  it('turns every error answer into the class the app threw, with its members; passes the others through', async () => {
    const names: string[] = [];
    for (const step of TOUR) {
      const res = await fetch(`${api.url}${step.path}`, init(step));
      expect(res.status).toBe(step.expect);
      if (step.expect < 400) {
        await expect(ok(res, { classes: [EmailTaken] })).resolves.toBe(res);
        await res.arrayBuffer();
        continue;
      }
      const body = (await res.clone().json()) as Record<string, any>;
      const error = await problemErrorOf(ok(res, { classes: [EmailTaken] }));
      const expected = body.code === EmailTaken.code ? EmailTaken : classFor(step.expect);
      names.push(error.name);

      expect(error).toBeInstanceOf(expected);
      expect(error.constructor).toBe(expected);
      expect(error.name).toBe(expected.name);
      expect(isHttpError(error, step.expect as ErrorStatus)).toBe(true);
      expect(isProblemError(error, step.expect as ErrorStatus)).toBe(true);
      expect([error.status, error.statusCode]).toEqual([step.expect, step.expect]);
      expect(error.problem).toEqual(body);
      expect(error.title).toBe(body.title);
      expect(error.detail).toBe(body.detail);
      expect(error.message).toBe(body.detail ?? body.title);
      expect(error.code).toBe(body.code);
      expect(error.type).toBe(body.type === 'about:blank' ? undefined : body.type);
      expect(error.errors).toEqual(body.errors);
      expect(error.requestId).toBe(body.requestId);
      expect(error.traceId).toBe(body.traceId);
      if (step.headers?.['x-request-id']) expect(error.requestId).toBe(step.headers['x-request-id']);
      expect(error.response).toBe(res);
      // rethrown into a service's own errorHandler, it shows nothing of this answer but what defines it
      expect([error.expose, error.extensions, error.headers]).toEqual([false, undefined, {}]);
    }
    expect(names.length).toBeGreaterThan(0);
    expect(names).toContain('EmailTaken'); // the example's registered subclass
  });
});

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  const { app, endless } = clientTestApp(express);
  let api: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    api = await listen(app);
  });
  afterAll(() => api.close());
  const get = (path: string, options?: RequestInit): Promise<Response> => fetch(`${api.url}${path}`, options);

  describe('registered subclasses', () => {
    const classes = [UserNotFound, OutOfCredit];

    it('are found by their static code', async () => {
      const error = await problemErrorOf(ok(get('/users/7'), { classes }));
      expect(error).toBeInstanceOf(UserNotFound);
      expect(error).toBeInstanceOf(NotFound);
      expect([error.name, error.status, error.code, error.detail]).toEqual(['UserNotFound', 404, 'user_not_found', 'No user 7']);
      // made through the base constructor: UserNotFound's own constructor did not run
      expect((error as unknown as UserNotFound).userId).toBeUndefined();
    });

    it('are found by their static type, with a title in any language and the extension members', async () => {
      const error = await problemErrorOf(ok(get('/credit'), { classes }));
      expect(error).toBeInstanceOf(OutOfCredit);
      expect(isHttpError(error, 402)).toBe(true);
      expect([error.type, error.title, error.detail]).toEqual([
        OutOfCredit.type,
        'Crédit insuffisant',
        'Your current balance is 30, but that costs 50.',
      ]);
      expect(error.problem).toMatchObject({ balance: 30, accounts: ['/account/12345', '/account/67890'], instance: '/credit' });
    });

    it('are not used for an answer of another status, nor without them, nor for a problem without their code', async () => {
      const other = await problemErrorOf(ok(get('/code-on-other-status'), { classes }));
      expect(other.constructor).toBe(PaymentRequired);
      expect(other.code).toBe(UserNotFound.code);
      expect((await problemErrorOf(ok(get('/users/7')))).constructor).toBe(NotFound);
      expect((await problemErrorOf(ok(get('/missing'), { classes }))).constructor).toBe(NotFound);
    });

    it('the first that matches wins', async () => {
      class Missing extends NotFound {
        static readonly code = 'user_not_found';
      }
      expect((await problemErrorOf(ok(get('/users/7'), { classes: [Missing, UserNotFound] }))).constructor).toBe(Missing);
    });

    it('a class that declares nothing to match is a type error, and a loud one at run time', async () => {
      class Silent extends NotFound {
        override readonly code = 'user_not_found';
      }
      // @ts-expect-error no static code or type
      const classes: ProblemClass[] = [Silent];
      await expect(ok(get('/users/7'), { classes })).rejects.toThrow(
        new TypeError('express-typed-errors: Silent has no static code or type, so no answer can match it'),
      );
    });
  });

  describe('answers of this package', () => {
    it('a validation problem carries its typed issues', async () => {
      const error = await problemErrorOf(ok(get('/validate', { method: 'POST' })));
      expect(error).toBeInstanceOf(UnprocessableContent);
      expect(error.errors).toEqual([
        { detail: 'Invalid email address', pointer: '#/email' },
        { detail: 'Too small: expected number to be >=1', parameter: 'page' },
      ]);
    });

    it("a 5xx has the server's title and no detail; the error's message is the title", async () => {
      const error = await problemErrorOf(ok(get('/bug')));
      expect(error).toBeInstanceOf(InternalServerError);
      expect([error.detail, error.message, error.title]).toEqual([undefined, 'Internal Server Error', 'Internal Server Error']);
      expect(JSON.stringify(error.problem)).not.toContain('hunter2');
    });

    it("the answer's headers stay readable on the error", async () => {
      const error = await problemErrorOf(ok(get('/rate-limited')));
      expect(error).toBeInstanceOf(TooManyRequests);
      expect(error.response.headers.get('retry-after')).toBe('7');
      expect(Object.keys(error)).not.toContain('response');
    });

    it('plain application/json problems are read too (a client that only accepts JSON)', async () => {
      const res = await get('/missing', { headers: { accept: 'application/json' } });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await problemErrorOf(throwIfProblem(res))).detail).toBe('Nothing here');
    });

    it('ok() resolves to the response of a 2xx; throwIfProblem() resolves for any status below 400', async () => {
      const res = await ok(get('/ok'));
      expect(await res.json()).toEqual({ id: 1 });
      const redirect = await get('/raw/redirect', { redirect: 'manual' });
      await expect(throwIfProblem(redirect)).resolves.toBeUndefined();
      await expect(ok(redirect)).rejects.toThrow(new Error('express-typed-errors: expected a 2xx answer, got 302'));
      expect(isHttpError(await ok(redirect).catch((error: unknown) => error))).toBe(false);
    });
  });

  describe('hostile, broken and foreign answers', () => {
    it('members named __proto__, constructor or prototype are dropped at every depth; nothing is polluted', async () => {
      const error = await problemErrorOf(ok(get('/raw/prototype')));
      const problem = error.problem as Record<string, any>;
      expect(Object.getPrototypeOf(problem)).toBe(Object.prototype);
      for (const key of ['__proto__', 'constructor', 'prototype']) expect(Object.prototype.hasOwnProperty.call(problem, key)).toBe(false);
      expect(Object.prototype.hasOwnProperty.call(problem.nested, '__proto__')).toBe(false);
      expect(problem.nested).toEqual({ kept: 1 });
      expect(Object.getPrototypeOf(problem.nested)).toBe(Object.prototype);
      expect(error.errors).toEqual([{ detail: 'x', pointer: '#/a' }]);
      expect(Object.prototype.hasOwnProperty.call(error.errors![0], '__proto__')).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((error as unknown as Record<string, unknown>).polluted).toBeUndefined();
      // a careless merge of what was read cannot reach a prototype either
      expect((Object.assign({}, problem, problem.nested) as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a body over the cap is not read: the class for the status, without a detail', async () => {
      const error = await problemErrorOf(ok(get('/raw/huge')));
      expect(error.constructor).toBe(BadRequest);
      expect([error.problem, error.detail]).toEqual([undefined, undefined]);
    });

    it('an endless body is cancelled at the cap, not drained: no hang, the connection is closed', async () => {
      const before = endless.length;
      const error = await problemErrorOf(ok(get('/raw/endless')));
      expect(error.constructor).toBe(BadRequest);
      expect(error.problem).toBeUndefined();
      const record = endless[before]!;
      await record.closed;
      expect(record.finished).toBe(false);
      expect(record.written).toBeLessThan(ENDLESS_LIMIT);
    });

    it('HTML from a proxy and an empty 502 are the class for their status, without a detail', async () => {
      for (const path of ['/raw/html', '/raw/empty']) {
        const error = await problemErrorOf(ok(get(path)));
        expect(error).toBeInstanceOf(BadGateway);
        expect([error.problem, error.detail, error.title, error.message]).toEqual([undefined, undefined, 'Bad Gateway', 'Bad Gateway']);
      }
    });

    it('invalid JSON, a JSON array and plain JSON that is not a problem give no problem', async () => {
      for (const path of ['/raw/invalid-json', '/raw/array', '/raw/not-a-problem']) {
        const error = await problemErrorOf(ok(get(path)));
        expect([error.constructor, error.problem, error.detail]).toEqual([BadRequest, undefined, undefined]);
      }
    });

    it('a problem sent as plain JSON (any case, with parameters) is read, and matched', async () => {
      const error = await problemErrorOf(ok(get('/raw/plain-json-problem'), { classes: [UserNotFound] }));
      expect(error).toBeInstanceOf(UserNotFound);
      expect(error.detail).toBe('No user 7');
    });

    it('the status line wins over a status member that disagrees', async () => {
      const error = await problemErrorOf(ok(get('/raw/disagree')));
      expect(error.constructor).toBe(NotFound);
      expect([error.status, error.problem?.status, error.detail]).toEqual([404, 404, 'The body says 500']);
    });

    it('members of the wrong type are ignored, as RFC 9457 says; other members are kept as sent', async () => {
      const error = await problemErrorOf(ok(get('/raw/odd-types')));
      expect(error.constructor).toBe(BadRequest);
      expect(error.problem).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        errors: { email: ['The email is not valid'] },
        requestId: 5,
        traceId: null,
        extra: { kept: true },
      });
      expect([error.title, error.detail, error.code, error.type]).toEqual(['Bad Request', undefined, undefined, undefined]);
      expect([error.errors, error.requestId, error.traceId]).toEqual([undefined, undefined, undefined]);
      expect(isProblemDetails(error.problem)).toBe(true);
    });

    it('only the well-formed validation issues are typed', async () => {
      const error = await problemErrorOf(ok(get('/raw/mixed-issues')));
      expect(error.errors).toEqual([
        { detail: 'kept', pointer: '#/a' },
        { detail: 'kept too', header: 'x-api-key' },
      ]);
      expect((error.problem?.errors as unknown[]).length).toBe(6);
    });

    it('an unregistered status is an HttpError of that status', async () => {
      const error = await problemErrorOf(ok(get('/raw/unregistered')));
      expect([error.constructor, error.name, error.status, error.title, error.detail]).toEqual([
        HttpError,
        'HttpError',
        499,
        'Client Closed Request',
        'gone',
      ]);
    });

    it('UTF-8 split across chunks is decoded whole', async () => {
      const error = await problemErrorOf(ok(get('/raw/unicode')));
      expect([error.title, error.detail]).toEqual(['Crédit insuffisant', 'Über 50 € — ✓']);
    });
  });

  describe('readProblem', () => {
    it('reads a problem, and never throws: a used body, a response that is not one; leaves a success alone', async () => {
      expect(await readProblem(await get('/missing'))).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Nothing here',
        instance: '/missing',
      });
      const used = await get('/missing');
      await used.text();
      await expect(readProblem(used)).resolves.toBeUndefined();
      await expect(readProblem(null as never)).resolves.toBeUndefined();
      await expect(readProblem({} as never)).resolves.toBeUndefined();
      const success = await get('/ok');
      await expect(readProblem(success)).resolves.toBeUndefined();
      expect(await success.json()).toEqual({ id: 1 }); // left unread
    });
  });
});

describe('a service calling another service', () => {
  it("lets an unhandled answer through its own errorHandler with the status, never the other service's detail or members", async () => {
    const upstream = await listen(clientTestApp(EXPRESS_VERSIONS[0][1]).app);
    const service = EXPRESS_VERSIONS[0][1]();
    service.get(
      '/profile',
      main.handle(async () => new main.Ok(await (await ok(fetch(`${upstream.url}/credit`), { classes: [OutOfCredit] })).json())),
    );
    service.use(main.errorHandler({ log: false }));
    const api = await listen(service);
    try {
      const res = await fetch(`${api.url}/profile`, { headers: { 'x-request-id': 'svc-1' } });
      expect(res.status).toBe(402);
      expect(await res.json()).toEqual({
        type: OutOfCredit.type,
        title: 'Crédit insuffisant',
        status: 402,
        instance: '/profile',
        requestId: 'svc-1',
      });
    } finally {
      await api.close();
      await upstream.close();
    }
  });
});

describe('isProblemDetails', () => {
  it('accepts what readProblem gives, and refuses other values without throwing', () => {
    expect(isProblemDetails({ type: 'about:blank', title: 'Not Found', status: 404 })).toBe(true);
    expect(isProblemDetails({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'x', instance: '/x', code: 'c', any: 1 })).toBe(
      true,
    );
    for (const value of [
      null,
      undefined,
      'problem',
      404,
      [],
      { title: 'Not Found', status: 404 },
      { type: 'about:blank', title: 'Not Found', status: '404' },
      { type: 'about:blank', title: 'Not Found', status: 404.5 },
      { type: 'about:blank', title: 'Not Found', status: 404, detail: { text: 'x' } },
      { type: 'about:blank', title: 'Not Found', status: 404, code: 12 },
      Object.defineProperty({ type: 'about:blank', status: 404 }, 'title', {
        get() {
          throw new Error('getter');
        },
      }),
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      ),
    ]) {
      expect(isProblemDetails(value)).toBe(false);
    }
  });
});

describe('isProblemError', () => {
  it('is false for errors the client did not build, and for what throws when read', () => {
    expect(isProblemError(new NotFound())).toBe(false);
    expect(isProblemError({ status: 404 })).toBe(false);
    expect(
      isProblemError(
        new Proxy(new NotFound(), {
          get() {
            throw new Error('trap');
          },
        }),
      ),
    ).toBe(false);
  });
});
