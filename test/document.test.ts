/**
 * The document is the server: outside judges (Redocly's linter, express-openapi-validator as a
 * validating proxy) over the example app and an app that uses every scope, with requests generated
 * from the document; and each promise of the document, Express 5 and 4.
 */
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../examples/app';
import type { JsonSchema, OpenApiDocument } from '../src/openapi';
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
});
