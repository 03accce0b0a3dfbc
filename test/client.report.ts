/**
 * What the browser test's page sends and reports: shared by the page (test/client.page.ts, bundled for
 * the browser) and by the test that reads the report.
 */

/** What the page saw for one request. */
export interface PageResult {
  path: string;
  /** The 2xx body, when the request succeeded. */
  body?: unknown;
  name?: string;
  constructorName?: string;
  /** The classes the error is an `instanceof`, among those the page knows. */
  instanceOf?: string[];
  isHttpError?: boolean;
  isProblemError?: boolean;
  status?: number;
  title?: string;
  detail?: string;
  message?: string;
  code?: string;
  type?: string;
  errors?: unknown;
  requestId?: string;
  retryAfter?: string | null;
  problem?: unknown;
  polluted?: unknown;
}

/** The requests the page sends, in order. */
export const PAGE_REQUESTS: readonly { path: string; init?: RequestInit }[] = [
  { path: '/ok' },
  { path: '/users/7', init: { headers: { 'x-request-id': 'page-1' } } },
  { path: '/credit' },
  { path: '/validate', init: { method: 'POST' } },
  { path: '/rate-limited' },
  { path: '/bug' },
  { path: '/missing' },
  { path: '/raw/prototype' },
  { path: '/raw/disagree' },
  { path: '/raw/unicode' },
  { path: '/raw/html' },
  { path: '/raw/empty' },
  { path: '/raw/huge' },
  { path: '/raw/endless' },
];
