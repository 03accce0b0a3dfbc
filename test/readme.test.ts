/**
 * The README's class table is the list of exports: a class missing from either, a wrong status or a
 * wrong option fails here. Its first sample is run, on Express 5 and 4, and answers each HTTP exchange
 * the README shows as the README shows it. (Its TypeScript blocks, and the guides', are compiled and the
 * `ts run` ones run against the packed package by `npm run test:package`.)
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import request from 'supertest';
import ts from 'typescript';
import * as pkg from '../src';
import { ERROR_STATUSES, HttpError } from '../src';
import { STATUS_HEADERS } from '../src/status';
import { EXPRESS_VERSIONS, type ExpressFactory } from './apps';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The rows of the table under "## Errors": status, class, and the option cell. */
function classTable(): [number, string, string][] {
  const section = readme.slice(readme.indexOf('\n## Errors\n'), readme.indexOf('\n## Success results\n'));
  return [...section.matchAll(/^\|\s+(\d{3}) \| `(\w+)`\s+\|(.*)\|$/gm)].map(([, status, name, option]) => [
    Number(status),
    name!,
    option!.trim(),
  ]);
}

describe('the README', () => {
  it('is read in five minutes: at most 300 lines, the install line and the whole first sample in the first 40', () => {
    const lines = readme.split('\n');
    expect(lines.length).toBeLessThanOrEqual(300);
    const first = lines.slice(0, 40).join('\n');
    expect(first).toContain('npm install express-typed-errors');
    expect(first).toContain('npm install zod');
    expect(first).toMatch(/^```ts\n[\s\S]*?\napp\.listen\(3000\);\n```$/m);
  });

  it('lists every status class once, in the order of the status table, with its status', () => {
    expect(classTable().map(([status, name]) => [status, name])).toEqual(
      Object.entries(ERROR_STATUSES).map(([status, [name]]) => [Number(status), name]),
    );
  });

  it('lists exactly the error classes the package exports, and each is what it says', () => {
    const exported = Object.entries(pkg).filter(([, value]) => typeof value === 'function' && value.prototype instanceof HttpError);
    const aliases = ['PayloadTooLarge', 'UnprocessableEntity'];
    expect(
      exported
        .map(([name]) => name)
        .filter((name) => !aliases.includes(name))
        .sort(),
    ).toEqual(
      classTable()
        .map(([, name]) => name)
        .sort(),
    );
    for (const [status, name] of classTable()) {
      const Cls = (pkg as unknown as Record<string, new () => HttpError>)[name]!;
      expect([name, new Cls().status]).toEqual([name, status]);
    }
    for (const alias of aliases) expect(readme).toContain(`\`${alias}\``);
  });

  it('names the option and the header of each status that has one; "required" where the types require the option', () => {
    for (const [status, name, cell] of classTable()) {
      const rule = STATUS_HEADERS[status as keyof typeof STATUS_HEADERS] as
        (typeof STATUS_HEADERS)[keyof typeof STATUS_HEADERS] | undefined;
      const expected = rule ? `\`${rule.option}\` → \`${rule.header}\`${[405, 407, 426].includes(status) ? ' (required)' : ''}` : '';
      expect([name, cell]).toEqual([name, expected]);
    }
  });
});

/** The README's first TypeScript block, made into an app of `express`: its `app.listen(3000)` becomes the module's export. */
function readmeApp(express: ExpressFactory): Parameters<typeof request>[0] {
  const sample = /^```ts\n([\s\S]*?)^```$/m.exec(readme)![1]!;
  expect(sample).toContain('\napp.listen(3000);\n');
  const code = sample.replace('\napp.listen(3000);\n', '\nmodule.exports = app;\n');
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const modules: Record<string, unknown> = { express, zod: require('zod'), 'express-typed-errors': pkg };
  const module = { exports: {} as unknown };
  const run = vm.runInThisContext(`(function (require, module, exports) {\n${js.outputText}\n})`) as (
    require: (name: string) => unknown,
    module: { exports: unknown },
    exports: unknown,
  ) => void;
  run((name) => modules[name], module, module.exports);
  return module.exports as Parameters<typeof request>[0];
}

interface Exchange {
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: unknown;
}

/** The ```http blocks that hold a request and its answer, in the README's order. */
function exchanges(): Exchange[] {
  const headers = (lines: string[]) =>
    Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return [...readme.matchAll(/^```http\n([A-Z]+ [\s\S]*?)^```$/gm)].map(([, text]) => {
    const [asked, answered] = text!.split(/^(?=HTTP\/1\.1 )/m) as [string, string];
    const [askedHead, askedBody = ''] = asked.trim().split('\n\n');
    const [requestLine, ...requestHeaders] = askedHead!.split('\n');
    const [answeredHead, answeredBody] = answered.trim().split('\n\n');
    const [statusLine, ...responseHeaders] = answeredHead!.split('\n');
    const [, status, reason] = /^HTTP\/1\.1 (\d{3}) (.+)$/.exec(statusLine!)!;
    const [method, target] = requestLine!.split(' ') as [string, string];
    return {
      method,
      path: target,
      requestHeaders: headers(requestHeaders),
      requestBody: askedBody,
      status: Number(status),
      reason: reason!,
      headers: headers(responseHeaders),
      body: JSON.parse(answeredBody!),
    };
  });
}

describe.each(EXPRESS_VERSIONS)("the README's first sample on %s", (_name, express) => {
  // the sample is compiled and zod loaded within the test: a loaded machine takes longer than jest's 5 s
  it('answers each exchange the README shows, in order, as it shows it', async () => {
    const shown = exchanges();
    expect(shown.length).toBeGreaterThanOrEqual(4);
    const app = readmeApp(express);
    for (const exchange of shown) {
      let req = request(app)[exchange.method.toLowerCase() as 'get' | 'post'](exchange.path);
      for (const [name, value] of Object.entries(exchange.requestHeaders)) req = req.set(name, value);
      const res = await (exchange.requestBody ? req.send(exchange.requestBody) : req);
      const said = `${exchange.method} ${exchange.path}`;
      expect([said, res.status, (res as unknown as { res: { statusMessage: string } }).res.statusMessage]).toEqual([
        said,
        exchange.status,
        exchange.reason,
      ]);
      for (const [name, value] of Object.entries(exchange.headers)) expect([said, name, res.headers[name]]).toEqual([said, name, value]);
      expect([said, res.body]).toEqual([said, exchange.body]);
    }
  }, 30_000);
});
