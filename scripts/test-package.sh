#!/usr/bin/env bash
# npm run test:package — the package as a user installs it: pack the tarball, lint it with publint and
# arethetypeswrong, install it into temporary consumer projects, then require it from CommonJS, import it
# from ESM (one class identity across both, and across a second installed copy), and compile TypeScript
# consumers under strict with node16 (ESM and CJS) and bundler resolution, on @types/express 5 and 4,
# and a browser consumer of the client (DOM types, no Node types); bundle the client for the browser.
#
# With --runtime-consumer it only packs and installs the runtime consumer, and leaves it in
# .package-test/runtime: `bash .package-test/runtime/check.sh NODE` then runs its checks with that node
# binary. scripts/test-node-matrix.sh does this to check one tarball under each Node version.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runtime_consumer_only=false
case "${1:-}" in
  '') ;;
  --runtime-consumer) runtime_consumer_only=true ;;
  *) echo "usage: $0 [--runtime-consumer]" >&2 && exit 2 ;;
esac
# Inside the repository, so that the consumers resolve express and typescript from its node_modules.
work="$root/.package-test"
rm -rf "$work"
mkdir -p "$work"
$runtime_consumer_only || trap 'rm -rf "$work"' EXIT

echo "== pack"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "$tarball: $(wc -c <"$tarball") bytes, $(tar -tzf "$tarball" | wc -l) files"
tar -tzf "$tarball" | sed 's/^/  /'

if ! $runtime_consumer_only; then
  echo "== publint"
  npx --no-install publint run "$tarball" --strict

  echo "== arethetypeswrong"
  npx --no-install attw "$tarball"
fi

install_consumer() { # dir [extra packages...]
  local dir=$1
  shift
  mkdir -p "$dir"
  (cd "$dir" && printf '{ "name": "consumer", "private": true }\n' >package.json &&
    npm install --silent --no-audit --no-fund --no-package-lock "$tarball" "$@")
}

echo "== runtime: require, import, one class identity"
app="$work/runtime"
install_consumer "$app"
# a second installed copy of the package, as a dependency tree with two versions would have
cp -r "$app/node_modules/express-typed-errors" "$app/node_modules/express-typed-errors-copy"
cat >"$app/check.cjs" <<'JS'
const assert = require('node:assert/strict');
const express = require('express');
const cjs = require('express-typed-errors');

(async () => {
  const esm = await import('express-typed-errors');
  const copy = require('express-typed-errors-copy');
  assert.equal(esm.NotFound, cjs.NotFound, 'import and require give the same class');
  assert.equal(new cjs.NotFound().status, 404);
  assert.ok(esm.isHttpError(new cjs.Conflict()), 'an error from require is an HttpError to import');
  assert.ok(cjs.isHttpError(new copy.Conflict(), 409), 'an error from a second copy is recognized by brand');
  assert.ok(esm.isHttpResponse(new copy.Created({}, { location: '/x' })));
  const openapi = require('express-typed-errors/openapi');
  assert.deepEqual(Object.keys(openapi.errorResponses([cjs.NotFound, cjs.TooManyRequests])), ['404', '429']);
  assert.equal(typeof require('express-typed-errors/opentelemetry').openTelemetry, 'function');
  const client = require('express-typed-errors/client');
  assert.equal(client.NotFound, cjs.NotFound, 'the client exports the very classes of the main entry');
  const testing = require('express-typed-errors/testing');
  assert.equal(typeof testing.expectProblem, 'function');

  const app = express();
  app.use(express.json());
  app.get('/cjs', () => { throw new cjs.NotFound('from require'); });
  app.get('/copy', () => { throw new copy.TooManyRequests('from a copy', { retryAfter: 5 }); });
  app.post('/created', esm.handle(() => new copy.Created({ id: 1 }, { location: '/things/1' })));
  const { problemCatalog } = require('express-typed-errors/catalog');
  app.use('/problems', problemCatalog(app, { typeBase: '/problems/' }));
  app.use(esm.errorHandler({ log: false }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const a = await fetch(`${base}/cjs`);
    assert.equal(a.status, 404);
    assert.equal((await a.json()).detail, 'from require');
    const b = await fetch(`${base}/copy`);
    assert.equal(b.status, 429);
    assert.equal(b.headers.get('retry-after'), '5');
    assert.equal((await b.json()).detail, 'from a copy');
    const c = await fetch(`${base}/created`, { method: 'POST' });
    assert.equal(c.status, 201);
    assert.equal(c.headers.get('location'), '/things/1');
    const error = await client.ok(fetch(`${base}/cjs`)).catch((reason) => reason);
    assert.ok(error instanceof cjs.NotFound && esm.isHttpError(error, 404) && client.isProblemError(error, 404));
    assert.equal(error.detail, 'from require');
    const esmClient = await import('express-typed-errors/client');
    assert.equal(esmClient.ok, client.ok, 'import and require give the same client');
    const limited = await esmClient.ok(fetch(`${base}/copy`)).catch((reason) => reason);
    assert.ok(limited instanceof cjs.TooManyRequests && copy.isHttpError(limited, 429), 'recognized by a second copy too');
    assert.equal(limited.response.headers.get('retry-after'), '5');
    // the testing entry over a real answer (ajv, its optional peer, resolves from the repository's node_modules)
    const answer = await fetch(`${base}/cjs`);
    const asTested = { status: answer.status, headers: Object.fromEntries(answer.headers), text: await answer.text() };
    assert.equal(testing.expectProblem(asTested, cjs.NotFound).detail, 'from require');
    assert.throws(() => testing.expectProblem(asTested, cjs.Conflict), { name: 'AssertionError', message: 'the 404 answer, not 409 (Conflict)' });
    const schema = { type: 'object', required: ['detail'] };
    const document = { paths: { '/cjs': { get: { responses: { 404: { description: 'x', content: { 'application/problem+json': { schema } } } } } } } };
    testing.expectDocumented(document, asTested, { method: 'GET', path: '/cjs' });
    assert.throws(() => testing.expectDocumented(document, asTested, { method: 'GET', path: '/other' }), { name: 'AssertionError' });
    const catalog = await fetch(`${base}/problems/`, { headers: { accept: 'application/json' } });
    assert.equal(catalog.status, 200);
    assert.ok((await catalog.json()).problems.some((entry) => entry.page === '500'), 'the catalog lists the 500');
    assert.equal((await fetch(`${base}/problems/nope`)).status, 404);
  } finally {
    server.close();
  }
  console.log('runtime: ok (require, import, second copy, client, over HTTP)');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
JS
cat >"$app/check.mjs" <<'JS'
import assert from 'node:assert/strict';
import { NotFound, createHttpError, errorHandler } from 'express-typed-errors';
import * as all from 'express-typed-errors';
import { errorResponses, problemDetailsSchema } from 'express-typed-errors/openapi';
import { openTelemetry } from 'express-typed-errors/opentelemetry';
import { NotFound as ClientNotFound, isProblemDetails } from 'express-typed-errors/client';
import { expectProblem } from 'express-typed-errors/testing';
import { problemCatalog } from 'express-typed-errors/catalog';
assert.equal(createHttpError(404).constructor, NotFound);
assert.equal(ClientNotFound, NotFound);
assert.throws(() => expectProblem({ status: 200, headers: {}, body: {} }, NotFound), { name: 'AssertionError' });
assert.ok(isProblemDetails({ type: 'about:blank', title: 'Not Found', status: 404 }));
assert.equal(problemDetailsSchema.title, 'ProblemDetails');
assert.ok(errorResponses([NotFound])['404']);
assert.equal(typeof openTelemetry(), 'function');
assert.equal(typeof errorHandler, 'function');
assert.equal(typeof problemCatalog({}, { typeBase: '/problems/' }), 'function');
assert.ok(Object.keys(all).length > 60);
console.log('esm: ok');
JS
cat >"$app/check.sh" <<'SH'
# bash check.sh NODE: the runtime checks, with that node binary
set -euo pipefail
cd "$(dirname "$0")"
"$1" check.cjs
"$1" check.mjs
SH
if $runtime_consumer_only; then
  echo "runtime consumer: $app"
  exit 0
fi
bash "$app/check.sh" node

echo "== TypeScript consumers (strict)"
cat >"$work/consumer.ts" <<'TS'
import express from 'express';
import { Conflict, Created, NotFound, errorHandler, handle, isHttpError, notFoundHandler, type ProblemDetails } from 'express-typed-errors';
import { errorResponses } from 'express-typed-errors/openapi';
import { openTelemetry } from 'express-typed-errors/opentelemetry';
import { type ProblemError, isProblemError, ok } from 'express-typed-errors/client';
import { type TestResponse, expectDocumented, expectProblem } from 'express-typed-errors/testing';
import { type CatalogPage, problemCatalog } from 'express-typed-errors/catalog';

class EmailTaken extends Conflict {
  static readonly code = 'email_taken';
  override readonly code = EmailTaken.code;
}

const app = express();
app.post('/users', handle(async () => new Created({ id: 1 }, { location: '/users/1' })));
app.get('/users/:id', (req) => {
  throw new NotFound(`No user ${req.params.id}`);
});
app.use('/problems', problemCatalog(app, { typeBase: 'https://api.example.com/problems/', errors: [EmailTaken] }));
const page: CatalogPage['status'] = 409;
void page;
app.use(notFoundHandler());
app.use(errorHandler({ debug: false, log: (error, req, level) => console.error(level, req.method, error), tracing: openTelemetry() }));
const responses: Record<string, { description: string }> = errorResponses([NotFound, EmailTaken]);

const status: 404 = new NotFound().status;
const taken: 409 = new EmailTaken().status;
const value: unknown = new NotFound();
if (isHttpError(value, 404)) {
  const narrowed: 404 = value.status;
  void narrowed;
}
// @ts-expect-error Created needs a location
new Created({ id: 1 });
const problem: ProblemDetails = { type: 'about:blank', title: 'Not Found', status, instance: '/' };
void [problem, taken, responses];
async function call(): Promise<number> {
  try {
    return (await (await ok(fetch('http://127.0.0.1/users'), { classes: [EmailTaken] })).json()) as number;
  } catch (error) {
    if (isProblemError(error, 422)) return error.errors?.length ?? 0;
    const rebuilt: ProblemError | undefined = error instanceof EmailTaken && isProblemError(error) ? error : undefined;
    return rebuilt?.requestId?.length ?? 0;
  }
}
void call;
export function checkAnswer(res: TestResponse): string | undefined {
  expectDocumented({ paths: {} }, res, { method: 'GET', path: '/users/1' });
  return expectProblem(res, EmailTaken).code;
}
TS

# A browser app: DOM types and no Node types at all, the client alone.
cat >"$work/browser.ts" <<'TS'
import { Conflict, NotFound, Ok, call, callSafe, isProblemError, ok, readProblem, route, throwIfProblem } from 'express-typed-errors/client';

class EmailTaken extends Conflict {
  static readonly code = 'email_taken';
  override readonly code = EmailTaken.code;
}

export async function signUp(email: string): Promise<string> {
  try {
    const res = await ok(fetch('/api/users', { method: 'POST', body: JSON.stringify({ email }) }), { classes: [EmailTaken] });
    return res.headers.get('location') ?? '';
  } catch (error) {
    if (error instanceof EmailTaken) return 'taken';
    if (isProblemError(error, 422)) return (error.errors ?? []).map((issue) => issue.pointer ?? '').join();
    if (error instanceof NotFound) return error.detail ?? error.title;
    throw error;
  }
}
export async function check(res: Response): Promise<string | undefined> {
  await throwIfProblem(res);
  return (await readProblem(res.clone()))?.title;
}

// a route contract, called with the browser's own fetch
const getThing = route({ method: 'GET', path: '/things/:id', result: Ok, errors: [NotFound] });
export async function thing(id: number, signal: AbortSignal): Promise<unknown> {
  const result = await callSafe(getThing, { params: { id } }, { baseUrl: '/api', fetch, signal });
  return result.ok ? result.data : result.error.status === 404 ? result.error.detail : call(getThing, { params: { id: 1 } });
}
TS

compile() { # dir label tsconfig-json
  local dir=$1 label=$2
  printf '%s\n' "$3" >"$dir/tsconfig.json"
  (cd "$dir" && node "$root/node_modules/typescript/bin/tsc" -p tsconfig.json)
  echo "tsc: ok ($label)"
}
options='"strict": true, "noEmit": true, "skipLibCheck": false, "types": ["node"], "typeRoots": ["'"$root"'/node_modules/@types"]'

for flavour in esm cjs; do
  dir="$work/ts-node16-$flavour"
  mkdir -p "$dir"
  cp "$work/consumer.ts" "$dir/"
  printf '{ "type": "%s" }\n' "$([ $flavour = esm ] && echo module || echo commonjs)" >"$dir/package.json"
  ln -s "$app/node_modules" "$dir/node_modules"
  compile "$dir" "module node16, $flavour, @types/express 5" '{ "compilerOptions": { "module": "node16", "moduleResolution": "node16", "esModuleInterop": true, '"$options"' }, "files": ["consumer.ts"] }'
done

dir="$work/ts-bundler"
mkdir -p "$dir"
cp "$work/consumer.ts" "$dir/"
ln -s "$app/node_modules" "$dir/node_modules"
compile "$dir" "moduleResolution bundler, @types/express 5" '{ "compilerOptions": { "module": "esnext", "moduleResolution": "bundler", "esModuleInterop": true, '"$options"' }, "files": ["consumer.ts"] }'

dir="$work/ts-express4-types"
install_consumer "$dir" "@types/express@4"
cp "$work/consumer.ts" "$dir/"
options4='"strict": true, "noEmit": true, "skipLibCheck": false, "types": ["node"], "typeRoots": ["./node_modules/@types", "'"$root"'/node_modules/@types"]'
compile "$dir" "module node16, cjs, @types/express $(node -p "require('$dir/node_modules/@types/express/package.json').version")" '{ "compilerOptions": { "module": "node16", "moduleResolution": "node16", "esModuleInterop": true, '"$options4"' }, "files": ["consumer.ts"] }'

echo "== a browser app: the client alone, without express or Node types"
# Outside the repository, so that nothing resolves from its node_modules; peers (express) not installed.
browser_app=$(mktemp -d)
trap 'rm -rf "$work" "$browser_app"' EXIT
(cd "$browser_app" && printf '{ "name": "browser-app", "private": true }\n' >package.json &&
  npm install --silent --no-audit --no-fund --no-package-lock --legacy-peer-deps "$tarball")
test ! -e "$browser_app/node_modules/express" || { echo "express was installed into the browser app" >&2 && exit 1; }
cp "$work/browser.ts" "$browser_app/"
compile "$browser_app" "a browser app: lib DOM, no Node types, no express, moduleResolution bundler" '{ "compilerOptions": { "module": "esnext", "moduleResolution": "bundler", "lib": ["ES2022", "DOM"], "types": [], "strict": true, "noEmit": true, "skipLibCheck": false }, "files": ["browser.ts"] }'
# the whole client, and a page that declares a route contract and calls it: 7.5 KiB minified and gzipped at most
node scripts/client-bundle.mjs "$browser_app" --call-page-budget=7680

echo "== what the editor shows: hovers and go-to-definition on the installed package"
node scripts/check-hovers.js "$work/ts-node16-cjs"

echo "== the README's TypeScript blocks, compiled against the installed package (and the ts run ones run)"
node scripts/check-readme.js "$work/runtime"

echo "test:package: all checks passed"
