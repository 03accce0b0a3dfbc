/**
 * The tour of requests `npm run demo` sends to the example app, in order (a later step may depend on
 * an earlier one: the second sign-up of the same email is the 409), with the status each must get.
 * The client tests send the same tour, so that every error the demo shows is also read back as a class.
 */

/** One request of the tour and the status it must be answered with. */
export interface Step {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  expect: number;
  note: string;
}

/** The requests, in the order they are sent. */
export const TOUR: readonly Step[] = [
  { method: 'GET', path: '/users/1', expect: 200, note: 'a typed Ok result' },
  { method: 'GET', path: '/users/42?verbose=1', expect: 404, note: 'throw new NotFound(...): instance has no query string' },
  {
    method: 'POST',
    path: '/users',
    body: '{"email":"grace@example.com","name":"Grace"}',
    expect: 201,
    note: 'new Created(user, { location })',
  },
  {
    method: 'POST',
    path: '/users',
    body: '{"email":"grace@example.com"}',
    expect: 409,
    note: 'an app subclass: EmailTaken extends Conflict',
  },
  { method: 'POST', path: '/users', body: '{"email":"nope"}', expect: 422, note: 'a ZodError through fromZod: errors with JSON pointers' },
  { method: 'POST', path: '/users', body: '{"email":', expect: 400, note: "body-parser's error, recognized" },
  { method: 'PUT', path: '/users/1', body: '{}', expect: 405, note: 'MethodNotAllowed sends Allow' },
  { method: 'DELETE', path: '/users/2', expect: 204, note: 'NoContent: no body, no Content-Type' },
  { method: 'GET', path: '/reports/today', expect: 500, note: 'a bug: logged through pino with its stack, hidden from the client' },
  { method: 'GET', path: '/users/7', headers: { 'x-request-id': 'req-7f3a' }, expect: 404, note: 'the request id is echoed as requestId' },
  { method: 'GET', path: '/nowhere', expect: 404, note: 'notFoundHandler()' },
  { method: 'GET', path: '/openapi.json', expect: 200, note: 'the OpenAPI document, error responses generated from the classes' },
];
