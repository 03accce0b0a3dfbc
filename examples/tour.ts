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
  { method: 'GET', path: '/users/1', expect: 200, note: 'handle({ params }): the id is a number, the result a typed Ok' },
  { method: 'GET', path: '/users/42?verbose=1', expect: 404, note: 'throw new NotFound(...): instance has no query string' },
  { method: 'GET', path: '/users/abc', expect: 422, note: 'a route parameter the schema refuses: errors names the parameter' },
  {
    method: 'POST',
    path: '/users',
    body: '{"email":"grace@example.com","name":"Grace"}',
    expect: 201,
    note: 'new Created(user, { location }): 201 with Location',
  },
  {
    method: 'POST',
    path: '/users',
    body: '{"email":"grace@example.com"}',
    expect: 409,
    note: 'an app subclass, EmailTaken extends Conflict, with its code and its type URI (typeBase)',
  },
  {
    method: 'POST',
    path: '/users?notify=maybe',
    body: '{"email":"nope","name":""}',
    expect: 422,
    note: 'handle({ body, query }): every issue of the body and the query together, with pointers, no input echoed',
  },
  { method: 'POST', path: '/users', body: '{"email":', expect: 400, note: "body-parser's error, recognized, with a fixed detail" },
  { method: 'PUT', path: '/users/1', body: '{}', expect: 405, note: 'methodNotAllowed(): 405 with Allow, read from the routes' },
  { method: 'OPTIONS', path: '/users/1', expect: 204, note: 'methodNotAllowed(): OPTIONS answers Allow' },
  { method: 'DELETE', path: '/users/2', expect: 204, note: 'NoContent: no body, no Content-Type' },
  { method: 'GET', path: '/reports/today', expect: 500, note: 'a bug: logged through pino with its stack, hidden from the client' },
  { method: 'GET', path: '/users/7', headers: { 'x-request-id': 'req-7f3a' }, expect: 404, note: 'the request id is echoed as requestId' },
  { method: 'GET', path: '/nowhere', expect: 404, note: 'notFoundHandler()' },
  { method: 'GET', path: '/openapi.json', expect: 200, note: 'openApi(app): the OpenAPI 3.1 document read from the routes' },
];
