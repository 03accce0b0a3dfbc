/**
 * Opt-in mappers for ORM and database errors: `errorHandler({ map: [fromPrisma] })` says that in this
 * app a duplicate key is the client's conflict, not a server fault. Each is duck-typed; no ORM is a
 * dependency. A body names fields (the app's schema) and never a value: a unique violation's message
 * holds the duplicate value, and ORMs quote the query or the criteria in theirs.
 */
import type { Request } from 'express';
import { BadRequest, Conflict, type HttpError, NotFound } from './errors';
import { read, readArray, safeString } from './read';
import { type ValidationIssue, jsonPointer, requestInputs, sentAt, validationError, withoutInput } from './validation';

/** The strings of an array, else none. */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

/** The own keys of a plain object (`{ email: 1 }`), else none; a Proxy that throws has none. */
function keysOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  try {
    return Object.keys(value);
  } catch {
    return [];
  }
}

/** 409 `unique_violation`, with the fields when the database said which. */
function uniqueViolation(fields: string[], cause: unknown): HttpError {
  const detail =
    fields.length > 0 ? `Another record already has the same ${fields.join(', ')}` : 'Another record already has the same value';
  return new Conflict(detail, { cause, code: 'unique_violation', extensions: fields.length > 0 ? { fields } : undefined });
}

/** 409 `foreign_key_violation`: a reference to a record that does not exist, or a delete of one still referred to. */
function foreignKeyViolation(cause: unknown): HttpError {
  return new Conflict('The record refers to a record that does not exist, or other records still refer to it', {
    cause,
    code: 'foreign_key_violation',
  });
}

/** 404 `not_found`; the ORM's message is not used, it quotes the query's criteria. */
function recordNotFound(cause: unknown): HttpError {
  return new NotFound('The record does not exist', { cause, code: 'not_found' });
}

/**
 * The field names a Prisma `P2002` carries: `meta.target` from the query engine of Prisma 5 and 6
 * (an array of fields, or on MySQL one index name, which is not a field), and from Prisma 7 with a
 * driver adapter the adapter's error under `meta.driverAdapterError`, whose `cause.constraint` has
 * `fields` (or only an `index`).
 */
function prismaUniqueFields(meta: unknown): string[] {
  const target = read(meta, 'target');
  if (Array.isArray(target)) return strings(target);
  return strings(read(read(read(read(meta, 'driverAdapterError'), 'cause'), 'constraint'), 'fields'));
}

/**
 * Prisma's `PrismaClientKnownRequestError` (Prisma 5, 6 and 7): `P2002` unique constraint → 409 with
 * the fields, `P2003` foreign key → 409, `P2025` record required but not found (`update`, `delete`,
 * `findUniqueOrThrow` …) → 404. Other codes are left to the next mapper (a 500 by default).
 */
export function fromPrisma(value: unknown): HttpError | undefined {
  if (read(value, 'name') !== 'PrismaClientKnownRequestError') return undefined;
  switch (read(value, 'code')) {
    case 'P2002':
      return uniqueViolation(prismaUniqueFields(read(value, 'meta')), value);
    case 'P2003':
      return foreignKeyViolation(value);
    case 'P2025':
      return recordNotFound(value);
    default:
      return undefined;
  }
}

/** What a Mongoose `CastError` says, without the value: its message quotes it (objects included). */
function castDetail(kind: unknown): string {
  return typeof kind === 'string' && /^\[?\w+\]?$/.test(kind) ? `Not a valid ${kind}` : 'Invalid value';
}

/**
 * One failure of a Mongoose `ValidationError`, at a dotted path of its `errors` map (`items.0.name`).
 * Its value is the document's, which came from the request (`inputs`) or not: both are looked for.
 */
function mongooseIssue(errors: unknown, path: string, inputs: readonly unknown[]): ValidationIssue {
  const error = read(errors, path);
  const value = read(error, 'value');
  const keys = path.split('.');
  // `{VALUE}` in a validator's message is the value as a string (an array's items joined), so a Date is looked for as one too
  const rejected = [value, ...(typeof value === 'object' && value !== null ? [safeString(value)] : []), ...sentAt(inputs, keys)];
  const detail =
    read(error, 'name') === 'CastError' ? castDetail(read(error, 'kind')) : withoutInput(read(error, 'message'), rejected, 'Invalid value');
  return { detail, pointer: jsonPointer(keys) };
}

/**
 * Mongoose and the MongoDB driver: `ValidationError` → 422 with `errors: [{ detail, pointer }]`,
 * `CastError` (a malformed ObjectId in a query) → 400 `invalid_value`, `DocumentNotFoundError`
 * (`orFail()`) → 404, and a duplicate key (`MongoServerError` code 11000) → 409 with the fields of
 * its `keyPattern` (its `keyValue` and message hold the duplicate value, and are not used).
 */
export function fromMongoose(value: unknown, req?: Request): HttpError | undefined {
  const name = read(value, 'name');
  const errors = read(value, 'errors');
  if (name === 'ValidationError' && typeof read(value, '_message') === 'string' && typeof errors === 'object' && errors !== null) {
    const inputs = requestInputs(req);
    return validationError(keysOf(errors), (path) => mongooseIssue(errors, path, inputs), value);
  }
  if (name === 'CastError' && typeof read(value, 'path') === 'string') {
    return new BadRequest(castDetail(read(value, 'kind')), { cause: value, code: 'invalid_value' });
  }
  if (name === 'DocumentNotFoundError') return recordNotFound(value);
  if (read(value, 'code') === 11000 && typeof name === 'string' && name.startsWith('Mongo')) {
    return uniqueViolation(keysOf(read(value, 'keyPattern')), value);
  }
  return undefined;
}

/** Where a Sequelize validation failure points: an attribute of the model, or nowhere for a model-wide validator. */
function sequelizeIssue(item: unknown, inputs: readonly unknown[]): ValidationIssue {
  const path = read(item, 'path');
  const detail = withoutInput(read(item, 'message'), [read(item, 'value'), ...sentAt(inputs, [path])], 'Invalid value');
  const attributes = read(read(read(item, 'instance'), 'constructor'), 'rawAttributes');
  // a model-wide validator reports under its own name, which is no attribute
  const isAttribute = typeof path === 'string' && (attributes === undefined || keysOf(attributes).includes(path));
  return isAttribute ? { detail, pointer: jsonPointer([path]) } : { detail };
}

/**
 * Sequelize 6: `UniqueConstraintError` → 409 with the fields (an array on SQLite, an object of the
 * duplicate values by column elsewhere: only its keys are used), `ForeignKeyConstraintError` → 409,
 * `ValidationError` (the model's validators and `allowNull`) → 422 with `errors`, `EmptyResultError`
 * (`rejectOnEmpty`) → 404.
 */
export function fromSequelize(value: unknown, req?: Request): HttpError | undefined {
  switch (read(value, 'name')) {
    case 'SequelizeUniqueConstraintError': {
      const fields = read(value, 'fields');
      return uniqueViolation(Array.isArray(fields) ? strings(fields) : keysOf(fields), value);
    }
    case 'SequelizeForeignKeyConstraintError':
      return foreignKeyViolation(value);
    case 'SequelizeEmptyResultError':
      return recordNotFound(value);
    case 'SequelizeValidationError': {
      const items = readArray(value, 'errors');
      const inputs = requestInputs(req);
      return items ? validationError(items, (item) => sequelizeIssue(item, inputs), value) : undefined;
    }
    default:
      return undefined;
  }
}

/** A column name as a database prints it, without quotes; an expression is not a field. */
function columnName(text: string): string | undefined {
  const name = text.trim().replace(/^"(.*)"$/, '$1');
  return /^[^\s"'`()]+$/.test(name) ? name : undefined;
}

/** A driver's error codes, per kind of violation: PostgreSQL, MySQL and MariaDB, SQLite (better-sqlite3). */
const UNIQUE_CODES = new Set(['23505', 'ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const FOREIGN_KEY_CODES = new Set([
  '23503',
  'ER_NO_REFERENCED_ROW',
  'ER_NO_REFERENCED_ROW_2',
  'ER_ROW_IS_REFERENCED',
  'ER_ROW_IS_REFERENCED_2',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
]);

/** Which constraint a driver's error reports; the sqlite3 driver gives only `SQLITE_CONSTRAINT`, its message says which. */
function violation(driverError: unknown): 'unique' | 'foreign key' | undefined {
  const code = read(driverError, 'code');
  if (typeof code !== 'string') return undefined;
  if (UNIQUE_CODES.has(code)) return 'unique';
  if (FOREIGN_KEY_CODES.has(code)) return 'foreign key';
  if (code !== 'SQLITE_CONSTRAINT') return undefined;
  const message = safeString(read(driverError, 'message'));
  if (message.includes('UNIQUE constraint failed')) return 'unique';
  return message.includes('FOREIGN KEY constraint failed') ? 'foreign key' : undefined;
}

/**
 * The columns of a unique violation, from the parts of a driver's error that name columns only:
 * SQLite's message (`UNIQUE constraint failed: user.email`) and PostgreSQL's detail up to the value
 * (`Key (email)=(…)`). MySQL names only the index, so it gives none.
 */
function uniqueColumns(driverError: unknown): string[] {
  const sqlite = /UNIQUE constraint failed: (.+)$/.exec(safeString(read(driverError, 'message')));
  const postgres = /^Key \((.+?)\)=\(/.exec(safeString(read(driverError, 'detail')));
  const columns = sqlite ? sqlite[1]!.split(', ').map((column) => column.split('.').pop()!) : postgres ? postgres[1]!.split(',') : [];
  return columns.map(columnName).filter((name): name is string => name !== undefined);
}

/**
 * TypeORM: `QueryFailedError` for a unique violation → 409 with the columns where the driver names
 * them, and for a foreign key → 409 (SQLite through better-sqlite3 or sqlite3, PostgreSQL, MySQL and
 * MariaDB); `EntityNotFoundError` (`findOneOrFail`) → 404. Its message holds the criteria.
 */
export function fromTypeORM(value: unknown): HttpError | undefined {
  const name = read(value, 'name');
  if (name === 'EntityNotFoundError') return recordNotFound(value);
  if (name !== 'QueryFailedError') return undefined;
  const driverError = read(value, 'driverError') ?? value;
  switch (violation(driverError)) {
    case 'unique':
      return uniqueViolation(uniqueColumns(driverError), value);
    case 'foreign key':
      return foreignKeyViolation(value);
    default:
      return undefined;
  }
}
