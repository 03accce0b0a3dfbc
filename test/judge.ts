/**
 * The outside judges of a document: Redocly's linter (its `recommended` rules), and
 * express-openapi-validator, which validates real answers against an OpenAPI 3.1 document, run as a
 * proxy in front of the app. Requests are generated from the document itself — a valid one per
 * operation (openapi-sampler fills in each schema) and invalid ones (a required parameter or member
 * left out or of the wrong type, a body that is not JSON, too large, of an unknown charset, no
 * credentials, a path parameter that cannot be decoded), half of them asking for plain JSON — and each
 * answer is checked: its body by the validator, its status, media type and required headers here.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { sample } from 'openapi-sampler';
import type { JsonSchema, OpenApiDocument, OperationObject, ParameterObject } from '../src/openapi';

/** A problem the linter reports. */
export interface LintProblem {
  readonly ruleId: string;
  readonly severity: 'error' | 'warn';
  readonly message: string;
  readonly pointer?: string;
}

/**
 * Redocly's `recommended` rules, but for three that judge how the app is written rather than whether
 * the document is true (a plain Express route has no summary; a public API needs no security): warnings.
 */
export function lint(document: OpenApiDocument): LintProblem[] {
  return JSON.parse(
    execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'lint-openapi.mjs')], { input: JSON.stringify(document) }).toString(),
  ) as LintProblem[];
}

/** One request generated from the document. */
interface GeneratedRequest {
  readonly why: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** What the judges found, and how many requests they saw. */
export interface Verdict {
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly findings: string[];
}

const TOKEN = 'Bearer generated-token';

function sampled(schema: JsonSchema | undefined, document: OpenApiDocument): unknown {
  return sample(schema ?? {}, { skipReadOnly: true, quiet: true }, document);
}

/** A value that does not fit `schema`: a word where it wants a number, a number where it wants text, a word outside an enum. */
function wrongValue(schema: JsonSchema): unknown {
  if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean') return 'not-a-number';
  if (Array.isArray(schema.enum) || typeof schema.format === 'string' || schema.type === 'string') return 12345;
  return undefined;
}

/** A sampled value as a URL or a header carries it. */
function asText(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function queryString(pairs: readonly [string, unknown][]): string {
  const parts: string[] = [];
  for (const [name, value] of pairs) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value))
        parts.push(`${encodeURIComponent(`${name}[${key}]`)}=${encodeURIComponent(asText(inner))}`);
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(asText(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** The requests for one operation: a valid one, then each way of getting it wrong. */
function requestsFor(document: OpenApiDocument, template: string, method: string, operation: OperationObject): GeneratedRequest[] {
  const params = operation.parameters ?? [];
  const values = new Map<ParameterObject, unknown>(params.map((param) => [param, sampled(param.schema, document)]));
  const secured = (operation.security ?? [{}]).some((requirement) => Object.keys(requirement).length > 0);
  const bodySchema = operation.requestBody?.content['application/json'].schema;
  const body = bodySchema === undefined ? undefined : sampled(bodySchema, document);
  const build = (
    why: string,
    change: {
      values?: Map<ParameterObject, unknown>;
      auth?: boolean;
      body?: string | null;
      headers?: Record<string, string>;
      path?: string;
    } = {},
  ): GeneratedRequest => {
    const current = change.values ?? values;
    const at = (where: ParameterObject['in']) =>
      params.filter((param) => param.in === where).map((param) => [param.name, current.get(param)] as [string, unknown]);
    let url = template;
    for (const [name, value] of at('path')) url = url.replace(`{${name}}`, encodeURIComponent(asText(value)));
    const headers: Record<string, string> = {};
    for (const [name, value] of at('header')) if (value !== undefined) headers[name] = asText(value);
    if (secured && change.auth !== false) headers.authorization = TOKEN;
    const text = change.body === null ? undefined : (change.body ?? (body === undefined ? undefined : JSON.stringify(body)));
    if (text !== undefined) headers['content-type'] = 'application/json';
    return {
      why,
      method,
      path: (change.path ?? url) + queryString(at('query')),
      headers: { ...headers, ...change.headers },
      ...(text !== undefined ? { body: text } : {}),
    };
  };
  const requests = [build('valid')];
  if (secured) requests.push(build('without credentials', { auth: false }));
  for (const param of params) {
    if (param.required && param.in !== 'path')
      requests.push(build(`without the ${param.in} parameter ${param.name}`, { values: new Map([...values, [param, undefined]]) }));
    // each other value an enum allows (a role that may not do this), and an id that may not exist
    for (const other of Array.isArray(param.schema.enum) ? param.schema.enum.slice(1) : [])
      requests.push(build(`the ${param.in} parameter ${param.name} ${String(other)}`, { values: new Map([...values, [param, other]]) }));
    if (param.in === 'path' && (param.schema.type === 'integer' || param.schema.type === 'number'))
      requests.push(build(`the path parameter ${param.name} another number`, { values: new Map([...values, [param, 987654]]) }));
    const wrong = wrongValue(param.schema);
    if (wrong !== undefined)
      requests.push(build(`the ${param.in} parameter ${param.name} wrong`, { values: new Map([...values, [param, wrong]]) }));
  }
  if (params.some((param) => param.in === 'path')) {
    const first = params.find((param) => param.in === 'path')!;
    requests.push(build('a path parameter that cannot be decoded', { path: template.replace(`{${first.name}}`, '%E0%A4%A') }));
  }
  if (bodySchema !== undefined) {
    requests.push(build('a body that is not JSON', { body: '{"unterminated' }));
    requests.push(build('a body larger than the limit', { body: JSON.stringify({ pad: 'x'.repeat(200_000) }) }));
    requests.push(build('a body of an unknown charset', { headers: { 'content-type': 'application/json; charset=klingon' } }));
    requests.push(build('no body', { body: null }));
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const properties = (bodySchema.properties ?? {}) as Record<string, JsonSchema>;
      for (const name of Object.keys(body)) {
        const { [name]: _left, ...rest } = body as Record<string, unknown>;
        requests.push(build(`the body without ${name}`, { body: JSON.stringify(rest) }));
        const wrong = properties[name] === undefined ? undefined : wrongValue(properties[name]);
        if (wrong !== undefined) requests.push(build(`the body's ${name} wrong`, { body: JSON.stringify({ ...body, [name]: wrong }) }));
      }
    }
  }
  // half of them from a client that prefers plain JSON, as axios's default Accept does
  return requests.map((request, i) =>
    i % 2 === 1 ? { ...request, headers: { ...request.headers, accept: 'application/json, text/plain, */*' } } : request,
  );
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The response the document gives for a status, as OpenAPI reads it: the status, its range, else the default. */
function responseFor(operation: OperationObject, status: number): [string, OperationObject['responses'][string]] | undefined {
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((candidate) => candidate in operation.responses);
  return key === undefined ? undefined : [key, operation.responses[key]!];
}

/** True when a media type is one of those documented, or falls under a documented range (any type, or any subtype of one). */
function mediaTypeDocumented(mediaType: string | undefined, documented: readonly string[]): boolean {
  if (mediaType === undefined) return false;
  return documented.some(
    (range) => range === mediaType || range === '*/*' || (range.endsWith('/*') && mediaType.startsWith(range.slice(0, -1))),
  );
}

/** Sends every generated request to the app through the validating proxy; what the judges found. */
export async function judge(app: http.RequestListener, document: OpenApiDocument): Promise<Verdict> {
  const findings: string[] = [];
  const upstream = await listen(app);
  const forward: express.RequestHandler = (req, res, next) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
    ) as Record<string, string>;
    const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
    fetch(upstream.url + req.originalUrl, { method: req.method, headers, body })
      .then(async (answer) => {
        const text = await answer.text();
        res.status(answer.status);
        answer.headers.forEach((value, name) => {
          if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'etag'].includes(name))
            res.setHeader(name, value);
        });
        if (text === '') return res.end();
        // a body that is not JSON (a plain route's HTML page) has no schema to be judged by: passed on as it is
        if (!/[/+]json\b/.test(answer.headers.get('content-type') ?? '')) return res.send(text);
        // res.json is what the validator watches: the answer, parsed, goes through it
        res.json(JSON.parse(text));
      })
      .catch(next);
  };
  const proxy = express();
  proxy.use(express.raw({ type: () => true, limit: '10mb' }));
  // a path the validator cannot decode cannot be matched to an operation by it: checked here only
  proxy.use((req, res, next) => {
    try {
      decodeURIComponent(req.path);
      next();
    } catch {
      forward(req, res, next);
    }
  });
  proxy.use(
    OpenApiValidator.middleware({
      apiSpec: document as never,
      validateRequests: false,
      validateSecurity: false,
      ignoreUndocumented: true,
      validateResponses: {
        onError: (error, body, req) =>
          findings.push(
            `${req.method} ${req.originalUrl} ${String(req.res?.statusCode)}: ${error.message} (${JSON.stringify(body).slice(0, 300)})`,
          ),
      },
    }),
  );
  proxy.use(forward);
  proxy.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    findings.push(`${req.method} ${req.originalUrl}: the proxy failed: ${String(error)}`);
    res.status(599).end();
  });
  const front = await listen(proxy);
  const statuses: Record<string, number> = {};
  let requests = 0;
  try {
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const request of requestsFor(document, template, method.toUpperCase(), operation)) {
          requests++;
          const answer = await fetch(front.url + request.path, { method: request.method, headers: request.headers, body: request.body });
          const text = await answer.text();
          const where = `${request.method} ${request.path.slice(0, 80)} (${request.why}) ${answer.status}`;
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          const documented = responseFor(operation, answer.status);
          if (documented === undefined) {
            findings.push(`${where}: the status is not documented (${text.slice(0, 200)})`);
            continue;
          }
          const [, response] = documented;
          for (const [name, header] of Object.entries(response.headers ?? {}))
            if (header.required && !answer.headers.has(name)) findings.push(`${where}: the required header ${name} is missing`);
          const mediaType = answer.headers.get('content-type')?.split(';')[0];
          if (text !== '' && response.content !== undefined && !mediaTypeDocumented(mediaType, Object.keys(response.content)))
            findings.push(`${where}: the media type ${String(mediaType)} is not documented`);
          if (text !== '' && response.content === undefined && documented[0] !== 'default')
            findings.push(`${where}: a body the document does not have`);
        }
      }
    }
  } finally {
    front.server.close();
    upstream.server.close();
  }
  return { requests, statuses, findings };
}
