/**
 * Headers: how a status-specific option (`retryAfter`, `allow`, `location` …) becomes its header, for
 * errors and results by the same rule, and how headers are set without ever crashing a response.
 */
import { type StatusHeader, type StatusOptions, statusHeader } from './status';

/** A header value as Node's `res.setHeader()` takes it. */
export type HeaderValue = string | number | readonly string[];

/** Response headers by name. */
export type Headers = Readonly<Record<string, HeaderValue>>;

/** Every option name of the status table, and the value each takes. */
type OptionValues = {
  [S in keyof StatusOptions as keyof StatusOptions[S]]-?: Exclude<StatusOptions[S][keyof StatusOptions[S]], undefined>;
};

/**
 * How each option becomes its header's value. A value that cannot become a valid header is a bug in
 * the calling code, so it throws where the error or result is made, and the log points at that line.
 */
const FORMAT: { readonly [O in StatusHeader['option']]: (value: OptionValues[O], header: string) => HeaderValue } = {
  challenge: (value) => value,
  allow: commaList,
  upgrade: commaList,
  range: (value) => value,
  location: encodeLocation,
  size: (value, header) => {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new TypeError(`express-typed-errors: size (${header}) must be a whole number of bytes, not ${String(value)}`);
    return `bytes */${value}`;
  },
  retryAfter: (value, header) => {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new TypeError(`express-typed-errors: retryAfter (${header}) is an invalid Date`);
      return value.toUTCString();
    }
    if (!Number.isFinite(value))
      throw new TypeError(`express-typed-errors: retryAfter (${header}) must be seconds or a Date, not ${String(value)}`);
    // delay-seconds is a non-negative integer (RFC 9110 §10.2.3): a moment already past means "now"
    return String(Math.max(0, Math.ceil(value)));
  },
};

/** Shared by every error and result that has no headers, instead of an empty object each. */
const NO_HEADERS: Headers = Object.freeze({});

/**
 * The headers of an error or result: its general `headers`, then the header its status option sets
 * (which wins over a general header of the same name, whatever its case).
 */
export function statusHeaders(status: number, options: { readonly headers?: Headers } | undefined): Headers {
  const rule = statusHeader(status);
  const value: unknown = rule && options ? (options as Record<string, unknown>)[rule.option] : undefined;
  if (value === undefined) return options?.headers ? { ...options.headers } : NO_HEADERS;
  const headers: Record<string, HeaderValue> = {};
  const name = rule!.header.toLowerCase();
  for (const [key, header] of Object.entries(options!.headers ?? {})) if (key.toLowerCase() !== name) headers[key] = header;
  headers[rule!.header] = (FORMAT[rule!.option] as (value: unknown, header: string) => HeaderValue)(value, rule!.header);
  return headers;
}

/** A list header's value; a lone string (from an untyped caller) is taken as it is. */
function commaList(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value.join(', ');
}

/**
 * What a `Location` value may hold unencoded: the characters Express's `res.location()` leaves alone.
 * A `%` stays only where it starts an escape that is already there.
 */
const UNSAFE_IN_LOCATION = /%(?![0-9A-Fa-f]{2})|[^\x21\x23-\x24\x26-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E%]+/g;

/**
 * A `Location` value, percent-encoded as Express's `res.location()` encodes it (so `/users/ä b` is
 * `/users/%C3%A4%20b`, and CR/LF can never split the header), but always taken literally: Express 4
 * would turn the string `'back'` into the client's `Referer`, an open redirect inside a 201.
 */
export function encodeLocation(url: string): string {
  // a lone surrogate cannot be encoded: it becomes U+FFFD, as in Express
  return String(url)
    .toWellFormed()
    .replace(UNSAFE_IN_LOCATION, (run) => (run === '%' ? '%25' : encodeURI(run)));
}

/**
 * Sets each header Node accepts. One it refuses (a CR or LF in the value, a bad name) is dropped
 * rather than crashing the response or splitting it; the names dropped are returned for the log.
 * Names in `skip` (lower case) are left to the caller.
 */
export function setHeaders(
  res: { setHeader(name: string, value: HeaderValue): unknown },
  headers: Headers,
  skip?: ReadonlySet<string>,
): string[] {
  const dropped: string[] = [];
  for (const name of Object.keys(headers)) {
    if (skip?.has(name.toLowerCase())) continue;
    try {
      res.setHeader(name, headers[name]!);
    } catch {
      dropped.push(name);
    }
  }
  return dropped;
}
