/**
 * Reading values the package does not control — whatever a route threw, an app's hook returned, a
 * library attached — without ever throwing: a getter or Proxy trap that throws reads as nothing.
 */

/** Reads a property without trusting it: a getter or Proxy that throws reads as `undefined`. */
export function read(value: unknown, key: PropertyKey): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A property that is a non-empty string, else `undefined`. */
export function readString(value: unknown, key: PropertyKey): string | undefined {
  const text = read(value, key);
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** An array property, else `undefined`. */
export function readArray(value: unknown, key: PropertyKey): unknown[] | undefined {
  const array = read(value, key);
  return Array.isArray(array) ? array : undefined;
}

/** `String(value)` that cannot throw (symbols, objects whose toString throws, null prototypes). */
export function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A JSON-safe picture of a thrown value, read defensively: for debug output and for a log that failed. */
export function describe(value: unknown, depth: number): unknown {
  if (value instanceof Error || (typeof value === 'object' && value !== null && typeof read(value, 'stack') === 'string')) {
    const cause = read(value, 'cause');
    return {
      name: safeString(read(value, 'name')),
      message: safeString(read(value, 'message')),
      stack: read(value, 'stack'),
      ...(cause !== undefined && depth > 1 ? { cause: describe(cause, depth - 1) } : {}),
    };
  }
  return safeString(value);
}

/** True for a promise, or anything with a `then` method, read without trusting it. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof read(value, 'then') === 'function';
}

/**
 * An app's hook that returned a promise where a value was expected (an `async` logger or `format`): its
 * rejection goes to `onRejected` rather than ending the process as an unhandled rejection. True when it
 * was one.
 */
export function containPromise(value: unknown, onRejected: (reason: unknown) => void): boolean {
  if (!isThenable(value)) return false;
  try {
    value.then(undefined, onRejected);
  } catch (error) {
    onRejected(error);
  }
  return true;
}
