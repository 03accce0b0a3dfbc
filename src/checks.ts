/**
 * The contract checks that run outside production: a result body that does not fit its route's
 * `resultBody`, and an error whose extension members do not fit its class's `static extensions`, are
 * logged with the route, in one line that says what to change. Each runs once the answer is written
 * (an async schema settles later), and nothing it finds, throws or rejects changes the answer.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Request } from 'express';
import type { HttpError } from './errors';
import { type LogLevel, logNote } from './log';
import { isThenable, read, safeString } from './read';
import { requestPath } from './request';
import type { HttpResponse } from './responses';

/** How many issues a report quotes: enough to fix the first, short enough to stay one line. */
const MAX_ISSUES = 3;

/** The route a request is in, as the app wrote it (`GET /users/:id`), else its path. */
export function routeOf(req: Request): string {
  const path = read(read(req, 'route'), 'path');
  return `${req.method} ${typeof path === 'string' ? `${req.baseUrl}${path}` : requestPath(req)}`;
}

/** The `static extensions` schema of an error's class, if it declares (or inherits) one. */
function extensionsSchema(err: HttpError): StandardSchemaV1 | undefined {
  const schema = read(read(err, 'constructor'), 'extensions');
  return isStandardSchema(schema) ? schema : undefined;
}

/** True for a Standard Schema v1: an object (or function: arktype's are) with a `~standard.validate` function. */
function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return typeof read(read(value, '~standard'), 'validate') === 'function';
}

/** Where an issue is, as a JSON Pointer (`/items/0/sku`); empty for the value itself. */
function pointerOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map(
      (segment) =>
        '/' +
        String(typeof segment === 'object' ? segment.key : segment)
          .replace(/~/g, '~0')
          .replace(/\//g, '~1'),
    )
    .join('');
}

/** The issues in one line: the first few, each with where it is. */
function summary(issues: readonly StandardSchemaV1.Issue[]): string {
  const quoted = issues.slice(0, MAX_ISSUES).map((issue) => {
    const pointer = pointerOf(issue);
    return `${pointer === '' ? '' : `at ${pointer}: `}${issue.message}`;
  });
  return quoted.join('; ') + (issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : '');
}

/**
 * Runs `schema` on `value` and tells `report` of the issues, if any: at once for a sync schema, when it
 * settles for an async one. A schema that throws or rejects is reported as such: it is the app's to fix.
 */
function check(schema: StandardSchemaV1, value: unknown, report: (issues: string) => void): void {
  const failed = (error: unknown): void => report(`the schema itself failed: ${safeString(error)}`);
  const settled = (result: unknown): void => {
    try {
      const issues = read(result, 'issues');
      if (Array.isArray(issues)) report(summary(issues as StandardSchemaV1.Issue[]));
    } catch (error) {
      failed(error);
    }
  };
  try {
    const result: unknown = schema['~standard'].validate(value);
    if (isThenable(result)) result.then(settled, failed);
    else settled(result);
  } catch (error) {
    failed(error);
  }
}

/** The reader of `process.env.NODE_ENV`, safe where there is no `process`. */
function inProduction(): boolean {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NODE_ENV === 'production';
}

/**
 * The check of a `handle(spec, fn)` route's results against its `resultBody`, or nothing when it has
 * none or runs in production. `handle()` takes no options, so this follows `NODE_ENV` as read when the
 * route is made. The body is checked as the client receives it: its JSON, parsed back.
 */
export function resultCheck(resultBody: StandardSchemaV1 | undefined): ((req: Request, result: HttpResponse) => void) | undefined {
  if (resultBody === undefined || inProduction()) return undefined;
  return function checkResult(req, result) {
    if (result.body === undefined) return;
    const route = routeOf(req);
    let sent: unknown;
    try {
      sent = JSON.parse(JSON.stringify(result.body) ?? 'null');
    } catch {
      return; // it could not be sent either, and that was reported as the 500 it became
    }
    check(resultBody, sent, (issues) =>
      logNote(
        undefined,
        'warn',
        `${route} returned a ${result.status} body that does not fit its resultBody schema (${issues}): change the result or the schema`,
        undefined,
        req,
      ),
    );
  };
}

/** The level at which the error handler reports extensions that do not fit: `'warn'`, or `false` in production. */
export function defaultExtensionsLevel(): LogLevel | false {
  return inProduction() ? false : 'warn';
}

/**
 * Checks an answered error's extension members against its class's `static extensions` schema, and
 * tells `report` of a misfit, in one line with the route and the class.
 */
export function checkExtensions(err: HttpError, req: Request, report: (message: string) => void): void {
  const schema = extensionsSchema(err);
  if (schema === undefined) return;
  const name = safeString(read(err, 'name'));
  const route = routeOf(req);
  check(schema, read(err, 'extensions') ?? {}, (issues) =>
    report(
      `${route} threw a ${err.status} ${name} whose extensions do not fit ${name}.extensions (${issues}): change the extensions it is given, or the schema`,
    ),
  );
}
