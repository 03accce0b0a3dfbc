/**
 * `express-typed-errors/opentelemetry`: records answered errors on the active span.
 * Needs `@opentelemetry/api` (an optional peer dependency) and a tracer provider set up by the app.
 *
 *   app.use(errorHandler({ tracing: openTelemetry() }));
 */
import { type Exception, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HttpError } from './errors';
import type { ErrorObserver } from './middleware';
import { read, safeString } from './read';

/** What `recordException` can take from a thrown value that may be anything at all. */
function asException(original: unknown): Exception {
  if (typeof original === 'string') return original;
  const message = read(original, 'message');
  const stack = read(original, 'stack');
  const name = read(original, 'name');
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : safeString(original),
    ...(typeof stack === 'string' ? { stack } : {}),
  };
}

/**
 * Records the original exception on the active span and, for a 5xx only, sets the span status to
 * ERROR with `error.type` (the HTTP semantic conventions for servers: a 4xx is the client's error,
 * not the server span's). Adds the span's `traceId` to the problem, so a client can quote it.
 */
export function openTelemetry(): ErrorObserver {
  return (error: HttpError, original: unknown) => {
    const span = trace.getActiveSpan();
    if (!span) return undefined;
    span.recordException(asException(original));
    if (error.status >= 500) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.title });
      // semconv: once a status code was sent, error.type is that code
      span.setAttribute('error.type', String(error.status));
    }
    return { traceId: span.spanContext().traceId };
  };
}
