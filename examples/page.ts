/**
 * A browser page of the example API: it calls the routes through their contracts (./api.ts) with
 * `call()` and `callSafe()`, and shows what came back — data typed from the contracts, errors as the
 * server's classes. `test/client.browser.test.ts` bundles it with esbuild, serves it with the example
 * app, and reads the report in headless Chromium.
 */
import { type CallError, call, callSafe, isProblemError } from '../src/client';
import { EmailTaken, type User, createUser, deleteUser, getUser, listUsers } from './api';

/** The little of the DOM the page uses: the project's type check has no DOM library, for the server's sake. */
declare const document: { getElementById(id: string): { textContent: string | null; dataset: Record<string, string> } | null };

/** What one step of the page saw. */
export interface ExampleStep {
  step: string;
  data?: unknown;
  error?: { name: string; status: number; detail?: string; email?: string; isEmailTaken: boolean; issues?: unknown };
  message?: string;
}

/** What the page shows of an error of a call: its class and members. */
function shown(error: unknown): Pick<ExampleStep, 'error' | 'message'> {
  if (!isProblemError(error)) return { message: String(error) };
  return {
    error: {
      name: error.name,
      status: error.status,
      detail: error.detail,
      email: (error as { email?: string }).email,
      isEmailTaken: error instanceof EmailTaken,
      issues: error.errors,
    },
  };
}

/** A sign-up form's message for each error `callSafe(createUser)` can give: the switch is exhaustive. */
function signUpMessage(error: CallError<typeof createUser>): string {
  switch (error.status) {
    case 409:
      return `${error.email} is already registered`;
    case 422:
      return (error.errors ?? []).map((issue) => issue.detail).join('; ');
    case 500:
    case 502:
    case 503:
    case 504:
      return `Try again later (${error.title})`;
  }
}

async function tour(): Promise<ExampleStep[]> {
  const steps: ExampleStep[] = [];
  const step = async (name: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      steps.push({ step: name, data: await run() });
    } catch (error) {
      steps.push({ step: name, ...shown(error) });
    }
  };
  await step('getUser 1', () => call(getUser, { params: { id: 1 } }));
  await step('createUser', () => call(createUser, { body: { email: 'grace@example.com', name: 'Grace' } }));
  await step('listUsers', async () => (await call(listUsers, { query: { limit: 10 } })).map((user: User) => user.email));
  await step('getUser 42', () => call(getUser, { params: { id: 42 } }));
  await step('createUser again', () => call(createUser, { body: { email: 'grace@example.com' } }));
  await step('createUser invalid', () => call(createUser, { body: { email: 'nope', name: '' } }));
  await step('getUser a/b', () => call(getUser, { params: { id: 'a/b' } }));
  await step('signUp again', async () => {
    const result = await callSafe(createUser, { body: { email: 'grace@example.com' } });
    return result.ok ? 'signed up' : signUpMessage(result.error);
  });
  await step('deleteUser 2', () => call(deleteUser, { params: { id: 2 } }));
  await step('deleteUser 2 again', () => call(deleteUser, { params: { id: 2 } }));
  return steps;
}

void tour().then((steps) => {
  const report = document.getElementById('report')!;
  report.textContent = JSON.stringify(steps);
  report.dataset.done = 'true';
});
