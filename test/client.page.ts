/**
 * The page of the browser test, as a front end would use the client: it calls the test API with the
 * browser's own `fetch`, and reports what each answer became (class, `instanceof`, members) as JSON in
 * `#report`. Bundled by esbuild for the browser from the built package (see client.browser.test.ts).
 */
import {
  BadGateway,
  BadRequest,
  Conflict,
  HttpError,
  InternalServerError,
  NotFound,
  PaymentRequired,
  TooManyRequests,
  UnprocessableContent,
  isHttpError,
  isProblemError,
  ok,
} from '../src/client';
import { OutOfCredit, UserNotFound } from './client.classes';
import { PAGE_REQUESTS, type PageResult } from './client.report';

/** The little of the DOM the page uses: the project's type check has no DOM library, for the server's sake. */
declare const document: { getElementById(id: string): { textContent: string | null; dataset: Record<string, string> } | null };

/** The classes the page checks `instanceof` against. */
const KNOWN = {
  HttpError,
  Error,
  BadRequest,
  NotFound,
  UserNotFound,
  PaymentRequired,
  OutOfCredit,
  Conflict,
  UnprocessableContent,
  TooManyRequests,
  InternalServerError,
  BadGateway,
};

/** One request through `ok()`, and what came of it. */
async function call(path: string, init?: RequestInit): Promise<PageResult> {
  try {
    const res = await ok(fetch(path, init), { classes: [UserNotFound, OutOfCredit] });
    return { path, body: await res.json() };
  } catch (error) {
    if (!isProblemError(error)) return { path, message: String(error) };
    return {
      path,
      name: error.name,
      constructorName: error.constructor.name,
      instanceOf: Object.entries(KNOWN)
        .filter(([, cls]) => error instanceof cls)
        .map(([name]) => name),
      isHttpError: isHttpError(error, error.status as 404),
      isProblemError: isProblemError(error, error.status as 404),
      status: error.status,
      title: error.title,
      detail: error.detail,
      message: error.message,
      code: error.code,
      type: error.type,
      errors: error.errors,
      requestId: error.requestId,
      retryAfter: error.response.headers.get('retry-after'),
      problem: error.problem,
      polluted: ({} as Record<string, unknown>).polluted ?? (error as unknown as Record<string, unknown>).polluted,
    };
  }
}

/** Sends every request in turn, then writes the report. */
async function run(): Promise<void> {
  const results: PageResult[] = [];
  for (const { path, init } of PAGE_REQUESTS) results.push(await call(path, init));
  const report = document.getElementById('report')!;
  report.textContent = JSON.stringify(results);
  report.dataset.done = 'true';
}

void run();
