/**
 * The document is the server: outside judges (Redocly's linter, express-openapi-validator as a
 * validating proxy) over the example app and an app that uses every scope, with requests generated
 * from the document; and each promise of the document, Express 5 and 4.
 */
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../examples/app';
import { z } from 'zod';
import { BadRequest, NoContent, handle } from '../src';
import { type JsonSchema, type OpenApiDocument, openApi } from '../src/openapi';
import { EXPRESS_VERSIONS } from './apps';
import { scopedApp } from './fixtures/scoped-app';
import { judge, lint } from './judge';

jest.setTimeout(60_000);

describe('outside judges find nothing over the example app', () => {
  it('Redocly lints it without an error, and every generated answer fits the document', async () => {
    const app = createApp({ logger: pino({ level: 'silent' }) });
    const document = (await request(app).get('/openapi.json')).body as OpenApiDocument;
    expect(lint(document).filter((problem) => problem.severity === 'error')).toEqual([]);
    const verdict = await judge(app, document);
    expect(verdict.findings).toEqual([]);
    expect(Object.keys(verdict.statuses).sort()).toEqual(['200', '204', '400', '404', '413', '415', '422', '500']);
  });
});

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  describe('outside judges over an app that uses every scope', () => {
    it('Redocly lints it without an error, and every generated answer, valid request or not, fits the document', async () => {
      const { app, document } = scopedApp(express);
      const doc = document();
      expect(lint(doc).filter((problem) => problem.severity === 'error')).toEqual([]);
      const verdict = await judge(app, doc);
      expect(verdict.findings).toEqual([]);
      // the generated requests reach every kind of answer the scopes add
      expect(Object.keys(verdict.statuses).sort()).toEqual(['200', '201', '202', '400', '401', '403', '404', '413', '415', '422']);
    });

    it('and they are not blind: the 0.2 document (one schema per status, problem+json only) fails both', async () => {
      const { app, document } = scopedApp(express);
      const doc = document();
      for (const item of Object.values(doc.paths))
        for (const operation of Object.values(item))
          for (const response of Object.values(operation.responses)) {
            const schema = response.content?.['application/problem+json']?.schema as { oneOf?: unknown[]; anyOf?: unknown[] } | undefined;
            if (!schema) continue;
            // as 0.2 did: the declared class replaced the automatic answer, and plain JSON was not listed
            response.content = { 'application/problem+json': { schema: (schema.oneOf ?? schema.anyOf ?? [schema])[0] as JsonSchema } };
          }
      const verdict = await judge(app, doc);
      expect(verdict.findings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^POST \/users.* 422: .*'code'/),
          expect.stringMatching(/the media type application\/json is not documented$/),
        ]),
      );
    });
  });

  describe('what the document says of each scope and kind of answer', () => {
    const { document } = scopedApp(express);
    const doc = document();

    it('a class under the validation status keeps the automatic 422 beside it; scopes add their errors; app-wide errors everywhere', () => {
      const create = doc.paths['/users']!.post!;
      const unprocessable = create.responses['422']!.content!['application/json']!.schema as { oneOf: { title?: string }[] };
      expect(unprocessable.oneOf.map((kind) => kind.title)).toEqual(['Unknown user', undefined]);
      expect(Object.keys(create.responses)).toEqual(['201', '400', '401', '403', '413', '415', '422', '429', '500']);
      expect(Object.keys(doc.paths['/users/{id}']!.get!.responses)).toEqual(['200', '400', '401', '403', '404', '422', '429', '500']);
      expect(Object.keys(doc.paths['/health']!.get!.responses)).toEqual(['200', '429', '500']);
      expect(create.parameters).toEqual([
        { name: 'x-role', in: 'header', required: true, schema: expect.objectContaining({ enum: ['admin', 'member'] }) },
      ]);
      expect(doc.paths['/users']!.get!.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/health']!.get!.security).toEqual([]);
      expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    });

    it('metadata, several results, 202 without a required Location, an unconvertible query field, a method OpenAPI has not', () => {
      const put = doc.paths['/users/{id}']!.put!;
      expect([put.summary, put.operationId, put.tags]).toEqual(['Create or replace a user', 'putUser', ['users']]);
      expect(put.responses['200']!.headers).toBeUndefined();
      expect(put.responses['201']!.headers).toEqual({ Location: expect.objectContaining({ required: true }) });
      const exports = doc.paths['/users/{id}/exports']!.post!;
      expect(exports.deprecated).toBe(true);
      expect(exports.responses['202']!.headers!.Location!.required).toBeUndefined();
      expect(doc.paths['/users']!.get!.parameters!.filter((param) => param.in === 'query')).toEqual([
        { name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer' }) },
        { name: 'after', in: 'query', required: false, schema: { description: expect.stringContaining('could not be converted') } },
      ]);
      expect(doc['x-skipped-routes']).toEqual([
        { path: '/dav', methods: ['PROPFIND'], reason: 'OpenAPI 3.1 has no field for these methods' },
      ]);
      const extensions = (
        doc.paths['/users']!.get!.responses['429']!.content!['application/json']!.schema as { allOf: { properties: object }[] }
      ).allOf[1]!.properties;
      expect(extensions).toMatchObject({ code: { const: 'quota_exceeded' }, limit: { type: 'integer' } });
    });

    it('the undeclared-error check sees every scope the request ran through, and the app-wide errors', async () => {
      const { app } = scopedApp(express);
      const warnings: unknown[] = [];
      const warn = jest.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args));
      try {
        // 401 from app.use, 403 from router.use, 404 from the chain, 429 app-wide: all declared somewhere
        expect((await request(app).get('/users')).status).toBe(401);
        expect(
          (await request(app).post('/users').set({ authorization: 'Bearer t', 'x-role': 'member' }).send({ email: 'a@b.co' })).status,
        ).toBe(403);
        expect((await request(app).get('/users/99').set({ authorization: 'Bearer t', 'x-role': 'member' })).status).toBe(404);
        expect((await request(app).get('/users').set({ 'x-flood': '1' })).status).toBe(429);
        expect(warnings).toEqual([]);
      } finally {
        warn.mockRestore();
      }
    });
  });

  it('with validationStatus 400, the body parser, the validation failure and a declared 400 are all documented under 400', () => {
    class BadCursor extends BadRequest {
      static readonly code = 'bad_cursor';
    }
    const app = express();
    app.post(
      '/x',
      handle({ body: z.object({ a: z.string() }), errors: [BadCursor], result: NoContent }, () => new NoContent()),
    );
    const doc = openApi(app, { info: { title: 'x', version: '1' }, validationStatus: 400 });
    const schema = doc.paths['/x']!.post!.responses['400']!.content!['application/problem+json']!.schema as { anyOf: unknown[] };
    expect(schema.anyOf).toHaveLength(3);
    expect(doc.paths['/x']!.post!.responses['422']).toBeUndefined();
  });
});
