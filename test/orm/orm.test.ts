/**
 * The ORM mappers against each library's own errors, on Express 5 and 4.
 *
 * The libraries are this folder's own dependencies (package.json, package-lock.json), not the
 * repository's: `npm run test:orm` installs them and runs this file (scripts/test-orm.sh), so that
 * the repository's `npm ci` does not compile sqlite3 or fetch Prisma. The root jest config leaves
 * this folder out; CI runs it (.ci/run, and on every Node version, scripts/test-node-matrix.sh).
 *
 * Real databases, where the library can use one here: Sequelize 6 and TypeORM 0.3 on in-memory
 * SQLite through sqlite3, and Prisma 7 on a temporary SQLite file through its libSQL driver adapter,
 * with a client that `prisma generate` writes before the tests. Not better-sqlite3 (TypeORM 1's only
 * SQLite driver, and a Prisma adapter): its native module is built for one Node ABI, and the suite
 * also runs on Node 22, 24 and 26 (npm run test:node-matrix); sqlite3 and libsql use N-API. The
 * CLI insists on a schema engine for `generate` and would download one; generate does not run it, so
 * PRISMA_SCHEMA_ENGINE_BINARY names a stand-in and nothing is downloaded. The client is the
 * `prisma-client-js` generator's (CommonJS): the `prisma-client` generator's TypeScript loads its
 * query compiler with a dynamic `import()`, which Jest's CommonJS runtime refuses; both run the
 * same runtime, which raises the errors. Mongoose validates and casts without a server.
 *
 * Built by hand with the library's own class, because only a server or another version produces
 * them: Prisma 5/6's P2002 (`meta.target`, from the query engine), MongoDB's duplicate key (the
 * driver's MongoServerError, shaped as a server's E11000 reply), Mongoose's DocumentNotFoundError
 * (`orFail()` needs a server), Sequelize's UniqueConstraintError as its PostgreSQL dialect builds it,
 * and TypeORM's QueryFailedError around a PostgreSQL and a MySQL driver error (shaped as pg and
 * mysql2 report them; neither driver is installed). What TypeORM 1's better-sqlite3 driver throws
 * is rebuilt as it does it, a QueryFailedError around a real SqliteError of libsql, the
 * better-sqlite3-compatible driver (same class name, codes and messages). TypeORM 1's
 * QueryFailedError and EntityNotFoundError are the same code as 0.3's.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrismaLibSql } from '@prisma/adapter-libsql';
import { PrismaClientKnownRequestError } from '@prisma/client/runtime/client';
import type { Express, RequestHandler } from 'express';
import Joi from 'joi';
import Libsql from 'libsql';
import mongoose from 'mongoose';
import { DataTypes, Sequelize, UniqueConstraintError } from 'sequelize';
import request from 'supertest';
import { DataSource, EntityNotFoundError, EntitySchema, QueryFailedError } from 'typeorm';
import { Ok, errorHandler, fromMongoose, fromPrisma, fromSequelize, fromTypeORM, handle } from '../../src';
import { EXPRESS_VERSIONS, recordingLogger } from '../apps';

const TAKEN = 'taken@example.com';
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** The part of a generated Prisma client these tests use. */
interface PrismaLike {
  user: {
    create(args: object): Promise<unknown>;
    update(args: object): Promise<unknown>;
    findUniqueOrThrow(args: object): Promise<unknown>;
  };
  post: { create(args: object): Promise<unknown> };
  $executeRawUnsafe(sql: string): Promise<number>;
  $disconnect(): Promise<void>;
}

const PRISMA_SCHEMA = `
generator client {
  provider = "prisma-client-js"
  output   = "./generated"
}

datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`;

/** The tables of PRISMA_SCHEMA as Prisma's migrations would create them (the schema engine is not here). */
const PRISMA_TABLES = [
  'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL)',
  'CREATE UNIQUE INDEX "User_email_key" ON "User"("email")',
  'CREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE)',
];

/** Generates the client into `dir`, where its `@prisma/client` import resolves through a link to this folder's node_modules. */
function generatePrismaClient(dir: string): void {
  fs.symlinkSync(path.resolve(__dirname, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'schema.prisma'), PRISMA_SCHEMA);
  execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate', '--schema', path.join(dir, 'schema.prisma')], {
    cwd: dir,
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    stdio: 'pipe',
  });
}

const UserSchema = new mongoose.Schema({
  email: { type: String, required: true, unique: true, match: /^\S+@\S+$/ },
  age: { type: Number, min: 18 },
  items: [{ name: { type: String, minlength: 3 } }],
  profile: new mongoose.Schema({ nick: { type: String, maxlength: 8 } }),
  tags: { type: [String], validate: { validator: (tags: string[]) => tags.length <= 2, message: 'Too many tags: {VALUE}' } },
});
const MongooseUser = mongoose.model('OrmTestUser', UserSchema);

const TypeormUser = new EntitySchema<{ id: number; email: string }>({
  name: 'user',
  columns: { id: { type: Number, primary: true, generated: true }, email: { type: String, unique: true } },
});
const TypeormPost = new EntitySchema<{ id: number; author: { id: number } }>({
  name: 'post',
  columns: { id: { type: Number, primary: true, generated: true } },
  relations: { author: { type: 'many-to-one', target: 'user', nullable: false } },
});

const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
const SequelizeUser = sequelize.define(
  'User',
  {
    email: { type: DataTypes.STRING, allowNull: false, unique: true, validate: { isEmail: true } },
    name: {
      type: DataTypes.STRING,
      validate: {
        len: [3, 20],
        noDigits(value: string) {
          if (/\d/.test(value)) throw new Error(`"${value}" has a digit`);
        },
      },
    },
  },
  {
    validate: {
      notReserved(this: { name?: unknown }) {
        if (this.name === 'root') throw new Error('This name is reserved');
      },
    },
  },
);
const SequelizePost = sequelize.define('Post', { title: DataTypes.STRING });
SequelizePost.belongsTo(SequelizeUser, { foreignKey: { name: 'userId', allowNull: false } });

const dataSource = new DataSource({
  type: 'sqlite',
  database: ':memory:',
  entities: [TypeormUser, TypeormPost],
  synchronize: true,
});

/** The error a better-sqlite3-style driver (libsql) reports for `sql`, on a database with a taken email. */
function betterSqliteError(sql: string): unknown {
  const db = new Libsql(':memory:');
  try {
    db.exec(`PRAGMA foreign_keys = ON;
      CREATE TABLE user (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
      CREATE TABLE post (id INTEGER PRIMARY KEY, authorId INTEGER NOT NULL REFERENCES user (id));
      INSERT INTO user (email) VALUES ('${TAKEN}');`);
    db.prepare(sql).run();
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error(`no error from ${sql}`);
}

const prismaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orm-test-prisma-'));
let prisma: PrismaLike;

beforeAll(async () => {
  generatePrismaClient(prismaDir);
  const { PrismaClient } = require(path.join(prismaDir, 'generated')) as { PrismaClient: new (options: object) => PrismaLike };
  prisma = new PrismaClient({ adapter: new PrismaLibSql({ url: `file:${path.join(prismaDir, 'test.db')}` }) });
  for (const statement of PRISMA_TABLES) await prisma.$executeRawUnsafe(statement);
  await prisma.user.create({ data: { email: TAKEN } });

  await sequelize.sync();
  await SequelizeUser.create({ email: TAKEN });

  await dataSource.initialize();
  await dataSource.getRepository(TypeormUser).insert({ email: TAKEN });
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await sequelize.close();
  if (dataSource.isInitialized) await dataSource.destroy();
  fs.rmSync(prismaDir, { recursive: true, force: true });
});

/** Throws on every read: a getter or Proxy a thrown value may carry. */
const hostile = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
    ownKeys() {
      throw new Error('trap');
    },
  },
);

/** Lookalikes of each error whose inner parts throw when read, with what each answers. */
const HOSTILE_LOOKALIKES: [string, () => unknown, number, object][] = [
  [
    'Prisma P2002 whose meta throws',
    () =>
      Object.defineProperty({ name: 'PrismaClientKnownRequestError', code: 'P2002' }, 'meta', {
        get() {
          throw new Error('trap');
        },
      }),
    409,
    { code: 'unique_violation' },
  ],
  [
    'a Mongoose ValidationError whose errors trap',
    () => ({ name: 'ValidationError', _message: 'User validation failed', errors: hostile }),
    422,
    { errors: [] },
  ],
  [
    'a Mongo duplicate key whose keyPattern traps',
    () => ({ name: 'MongoServerError', code: 11000, keyPattern: hostile }),
    409,
    { code: 'unique_violation' },
  ],
  [
    'a Sequelize unique violation whose fields trap',
    () => ({ name: 'SequelizeUniqueConstraintError', fields: hostile }),
    409,
    { code: 'unique_violation' },
  ],
  [
    'a Sequelize ValidationError whose items trap',
    () => ({ name: 'SequelizeValidationError', errors: [hostile] }),
    422,
    { errors: [{ detail: 'Invalid value' }] },
  ],
  ['a QueryFailedError whose driverError traps', () => ({ name: 'QueryFailedError', driverError: hostile }), 500, {}],
];

/** Each route throws one library's own error; the same routes serve the app with mappers and the one without. */
function mountRoutes(app: Express, json: RequestHandler): void {
  app.post(
    '/prisma/users',
    json,
    handle(async (req) => new Ok(await prisma.user.create({ data: { email: req.body.email } }))),
  );
  app.patch(
    '/prisma/users/:id',
    json,
    handle(async (req) => new Ok(await prisma.user.update({ where: { id: Number(req.params.id) }, data: { email: req.body.email } }))),
  );
  app.get(
    '/prisma/users/:id',
    handle(async (req) => new Ok(await prisma.user.findUniqueOrThrow({ where: { id: Number(req.params.id) } }))),
  );
  app.post(
    '/prisma/posts',
    json,
    handle(async (req) => new Ok(await prisma.post.create({ data: { authorId: req.body.authorId } }))),
  );
  // Prisma 5 and 6 (the query engine) name the fields in `meta.target`; on MySQL, an index name
  app.get('/prisma/v6/:target', (req) => {
    const target = req.params.target === 'mysql' ? 'User_email_key' : ['email'];
    throw new PrismaClientKnownRequestError(
      `\nInvalid \`prisma.user.create()\` invocation:\n\nUnique constraint failed on the fields: (\`email\`)`,
      {
        code: 'P2002',
        clientVersion: '6.19.0',
        meta: { modelName: 'User', target },
      },
    );
  });

  app.post(
    '/mongoose/users',
    json,
    handle(async (req) => {
      await new MongooseUser(req.body).validate();
      return new Ok({ valid: true });
    }),
  );
  app.get(
    '/mongoose/users/:id',
    handle(async (req) => new Ok(await MongooseUser.findById(req.params.id))),
  );
  app.post('/mongoose/duplicate', () => {
    const message = `E11000 duplicate key error collection: app.ormtestusers index: email_1 dup key: { email: "${TAKEN}" }`;
    throw new mongoose.mongo.MongoServerError({
      message,
      errmsg: message,
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: TAKEN },
    });
  });
  app.get('/mongoose/or-fail', () => {
    // Mongoose's types declare only the message constructor; the class takes (filter, model, numAffected, result)
    const DocumentNotFoundError = mongoose.Error.DocumentNotFoundError as unknown as new (
      filter: object,
      model: string,
      numAffected: number,
      result: object,
    ) => Error;
    throw new DocumentNotFoundError({ email: TAKEN }, 'OrmTestUser', 0, {});
  });

  app.post(
    '/sequelize/users',
    json,
    handle(async (req) => new Ok(await SequelizeUser.create(req.body))),
  );
  app.post(
    '/sequelize/posts',
    json,
    handle(async (req) => new Ok(await SequelizePost.create({ title: 'hello', userId: req.body.userId }))),
  );
  app.get(
    '/sequelize/users/:id',
    handle(async (req) => new Ok(await SequelizeUser.findOne({ where: { id: Number(req.params.id) }, rejectOnEmpty: true }))),
  );
  // The PostgreSQL and MySQL dialects give `fields` as the duplicate values by column
  app.get('/sequelize/postgres-unique', () => {
    const parent = Object.assign(new Error('duplicate key value violates unique constraint "Users_email_key"'), {
      code: '23505',
      detail: `Key (email)=(${TAKEN}) already exists.`,
      sql: 'INSERT INTO "Users" ("id","email") VALUES (DEFAULT,$1) RETURNING "id","email";',
    });
    throw new UniqueConstraintError({ message: 'Validation error', parent, fields: { email: TAKEN } });
  });

  app.post(
    '/typeorm/users',
    json,
    handle(async (req) => new Ok(await dataSource.getRepository(TypeormUser).insert({ email: req.body.email }))),
  );
  app.post(
    '/typeorm/posts',
    json,
    handle(async (req) => new Ok(await dataSource.getRepository(TypeormPost).insert({ author: { id: req.body.authorId } }))),
  );
  app.get(
    '/typeorm/users/:id',
    handle(async (req) => new Ok(await dataSource.getRepository(TypeormUser).findOneByOrFail({ id: Number(req.params.id) }))),
  );
  app.get('/typeorm/postgres-unique', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "UQ_e12875dfb3b1d92d7d7c5377e22"'), {
      code: '23505',
      detail: `Key (email)=(${TAKEN}) already exists.`,
      constraint: 'UQ_e12875dfb3b1d92d7d7c5377e22',
      table: 'user',
    });
    throw new QueryFailedError('INSERT INTO "user"("email") VALUES ($1) RETURNING "id"', [TAKEN], driverError);
  });
  app.get('/typeorm/postgres-foreign-key', () => {
    const driverError = Object.assign(new Error('insert or update on table "post" violates foreign key constraint "FK_post_author"'), {
      code: '23503',
      detail: 'Key (authorId)=(99) is not present in table "user".',
    });
    throw new QueryFailedError('INSERT INTO "post"("authorId") VALUES ($1)', [99], driverError);
  });
  app.get('/typeorm/better-sqlite3/:constraint', (req) => {
    const sql =
      req.params.constraint === 'unique' ? `INSERT INTO user (email) VALUES ('${TAKEN}')` : 'INSERT INTO post (authorId) VALUES (999)';
    throw new QueryFailedError(sql, [], betterSqliteError(sql) as Error);
  });
  app.get('/typeorm/mysql-unique', () => {
    const sqlMessage = `Duplicate entry '${TAKEN}' for key 'user.IDX_e12875dfb3b1d92d7d7c5377e2'`;
    const driverError = Object.assign(new Error(sqlMessage), { code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', sqlMessage });
    throw new QueryFailedError('INSERT INTO `user`(`email`) VALUES (?)', [TAKEN], driverError);
  });

  app.get('/hostile/:index', (req) => {
    throw HOSTILE_LOOKALIKES[Number(req.params.index)]![1]();
  });

  // Named like Mongoose's error, but joi's: no mapper here may take it
  app.post('/joi', json, () => {
    Joi.assert({ email: TAKEN }, Joi.object({ email: Joi.number() }));
  });
}

describe.each(EXPRESS_VERSIONS)('%s', (_label, express) => {
  const logger = recordingLogger();
  const app = express();
  mountRoutes(app, express.json());
  app.use(errorHandler({ log: logger.log, logLevel: { '4xx': 'warn' }, map: [fromPrisma, fromMongoose, fromSequelize, fromTypeORM] }));

  const bare = express();
  mountRoutes(bare, express.json());
  bare.use(errorHandler({ log: false }));

  beforeEach(() => logger.calls.splice(0));

  /** The problem and its headers, and the original error as the only thing logged. */
  function expectProblem(res: request.Response, body: object, original: (error: unknown) => void): void {
    expect(res.headers['content-type']).toBe(PROBLEM_JSON);
    expect(res.body).toEqual({ type: 'about:blank', ...body });
    expect(res.text).not.toContain(TAKEN);
    expect(logger.calls).toHaveLength(1);
    original(logger.calls[0]);
  }

  const unique = (instance: string, fields: string[]) => ({
    title: 'Conflict',
    status: 409,
    detail: `Another record already has the same ${fields.join(', ')}`,
    code: 'unique_violation',
    fields,
    instance,
  });
  const uniqueWithoutFields = (instance: string) => ({
    title: 'Conflict',
    status: 409,
    detail: 'Another record already has the same value',
    code: 'unique_violation',
    instance,
  });
  const foreignKey = (instance: string) => ({
    title: 'Conflict',
    status: 409,
    detail: 'The record refers to a record that does not exist, or other records still refer to it',
    code: 'foreign_key_violation',
    instance,
  });
  const notFound = (instance: string) => ({
    title: 'Not Found',
    status: 404,
    detail: 'The record does not exist',
    code: 'not_found',
    instance,
  });

  describe('fromPrisma (Prisma 7, libSQL driver adapter)', () => {
    it('P2002: a duplicate email is 409 with the field, not the value', async () => {
      const res = await request(app).post('/prisma/users').send({ email: TAKEN });
      expect(res.status).toBe(409);
      expectProblem(res, unique('/prisma/users', ['email']), (error) => {
        expect(error).toBeInstanceOf(PrismaClientKnownRequestError);
        expect(error).toMatchObject({ code: 'P2002', meta: { driverAdapterError: { cause: { constraint: { fields: ['email'] } } } } });
      });
    });

    it('P2025: updating a record that does not exist is 404', async () => {
      const res = await request(app).patch('/prisma/users/999').send({ email: 'new@example.com' });
      expect(res.status).toBe(404);
      expectProblem(res, notFound('/prisma/users/999'), (error) => {
        expect(error).toBeInstanceOf(PrismaClientKnownRequestError);
        expect(error).toMatchObject({ code: 'P2025' });
      });
      expect(res.text).not.toContain('new@example.com');
    });

    it('P2025: findUniqueOrThrow that finds nothing is 404', async () => {
      const res = await request(app).get('/prisma/users/999');
      expect(res.status).toBe(404);
      expectProblem(res, notFound('/prisma/users/999'), (error) => expect(error).toMatchObject({ code: 'P2025' }));
    });

    it('P2003: a post for an author that does not exist is 409', async () => {
      const res = await request(app).post('/prisma/posts').send({ authorId: 999 });
      expect(res.status).toBe(409);
      expectProblem(res, foreignKey('/prisma/posts'), (error) => expect(error).toMatchObject({ code: 'P2003' }));
    });

    it('P2002 from Prisma 5/6: the fields of meta.target; an index name (MySQL) is no field', async () => {
      const res = await request(app).get('/prisma/v6/postgres');
      expect(res.status).toBe(409);
      expectProblem(res, unique('/prisma/v6/postgres', ['email']), (error) => expect(error).toBeInstanceOf(PrismaClientKnownRequestError));
      logger.calls.splice(0);
      const mysql = await request(app).get('/prisma/v6/mysql');
      expect(mysql.status).toBe(409);
      expectProblem(mysql, uniqueWithoutFields('/prisma/v6/mysql'), (error) =>
        expect(error).toMatchObject({ meta: { target: 'User_email_key' } }),
      );
    });
  });

  describe('fromMongoose', () => {
    it('ValidationError is 422 with a pointer per path and no value quoted', async () => {
      const res = await request(app)
        .post('/mongoose/users')
        .send({
          email: 'not an email',
          age: 'forty',
          items: [{ name: 'ok!' }, { name: 'ab' }],
          profile: { nick: 'far too long' },
          tags: ['a', 'b', 'c'],
        });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toBe(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        status: 422,
        title: 'Unprocessable Content',
        detail: 'The request is not valid',
        instance: '/mongoose/users',
      });
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { detail: 'Invalid value', pointer: '#/email' },
          { detail: 'Not a valid Number', pointer: '#/age' },
          { detail: 'Invalid value', pointer: '#/items/1/name' },
          { detail: 'Invalid value', pointer: '#/profile/nick' },
          { detail: 'Invalid value', pointer: '#/tags' },
        ]),
      );
      expect(res.body.errors).toHaveLength(5);
      for (const input of ['not an email', 'forty', 'far too long', 'a,b,c']) expect(res.text).not.toContain(input);
      expect(logger.calls).toHaveLength(1);
      expect(logger.calls[0]).toBeInstanceOf(mongoose.Error.ValidationError);
    });

    it('a message that does not quote the value is kept; a cast of an object is not printed', async () => {
      const res = await request(app)
        .post('/mongoose/users')
        .send({ age: { $gt: 1 } });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { detail: 'Path `email` is required.', pointer: '#/email' },
          { detail: 'Not a valid Number', pointer: '#/age' },
        ]),
      );
      expect(res.text).not.toContain('$gt');
    });

    it('CastError from a malformed ObjectId is 400 invalid_value, without the id', async () => {
      const res = await request(app).get('/mongoose/users/not-an-object-id');
      expect(res.status).toBe(400);
      expectProblem(
        res,
        {
          title: 'Bad Request',
          status: 400,
          detail: 'Not a valid ObjectId',
          code: 'invalid_value',
          instance: '/mongoose/users/not-an-object-id',
        },
        (error) => expect(error).toBeInstanceOf(mongoose.Error.CastError),
      );
      expect(res.body.detail).not.toContain('not-an-object-id');
    });

    it('E11000 duplicate key is 409 with the fields of keyPattern, not keyValue', async () => {
      const res = await request(app).post('/mongoose/duplicate');
      expect(res.status).toBe(409);
      expectProblem(res, unique('/mongoose/duplicate', ['email']), (error) => {
        expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
        expect(error).toMatchObject({ code: 11000, keyValue: { email: TAKEN } });
      });
    });

    it('DocumentNotFoundError (orFail) is 404, without the filter', async () => {
      const res = await request(app).get('/mongoose/or-fail');
      expect(res.status).toBe(404);
      expectProblem(res, notFound('/mongoose/or-fail'), (error) => expect(error).toBeInstanceOf(mongoose.Error.DocumentNotFoundError));
    });
  });

  describe('fromSequelize (SQLite)', () => {
    it('UniqueConstraintError is 409 with the field', async () => {
      const res = await request(app).post('/sequelize/users').send({ email: TAKEN });
      expect(res.status).toBe(409);
      expectProblem(res, unique('/sequelize/users', ['email']), (error) => expect(error).toBeInstanceOf(UniqueConstraintError));
    });

    it('the PostgreSQL shape: fields are the duplicate values by column, only the columns are sent', async () => {
      const res = await request(app).get('/sequelize/postgres-unique');
      expect(res.status).toBe(409);
      expectProblem(res, unique('/sequelize/postgres-unique', ['email']), (error) => expect(error).toBeInstanceOf(UniqueConstraintError));
    });

    it('ValidationError is 422: attributes by pointer, a model-wide validator without one, no value quoted', async () => {
      const res = await request(app).post('/sequelize/users').send({ email: 'nope', name: 'x1' });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toBe(PROBLEM_JSON);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { detail: 'Validation isEmail on email failed', pointer: '#/email' },
          { detail: 'Validation len on name failed', pointer: '#/name' },
          { detail: 'Invalid value', pointer: '#/name' },
        ]),
      );
      expect(res.body.errors).toHaveLength(3);
      for (const input of ['nope', 'x1']) expect(res.text).not.toContain(input);
      expect(logger.calls).toHaveLength(1);
      expect(logger.calls[0]).toMatchObject({ name: 'SequelizeValidationError' });

      const reserved = await request(app).post('/sequelize/users').send({ email: 'root@example.com', name: 'root' });
      expect(reserved.status).toBe(422);
      expect(reserved.body.errors).toEqual([{ detail: 'This name is reserved' }]);
    });

    it('ForeignKeyConstraintError is 409', async () => {
      const res = await request(app).post('/sequelize/posts').send({ userId: 999 });
      expect(res.status).toBe(409);
      expectProblem(res, foreignKey('/sequelize/posts'), (error) =>
        expect(error).toMatchObject({ name: 'SequelizeForeignKeyConstraintError' }),
      );
    });

    it('EmptyResultError (rejectOnEmpty) is 404', async () => {
      const res = await request(app).get('/sequelize/users/999');
      expect(res.status).toBe(404);
      expectProblem(res, notFound('/sequelize/users/999'), (error) => expect(error).toMatchObject({ name: 'SequelizeEmptyResultError' }));
    });
  });

  describe('fromTypeORM (0.3, SQLite through sqlite3)', () => {
    it('QueryFailedError for a unique violation on SQLite is 409 with the column', async () => {
      const res = await request(app).post('/typeorm/users').send({ email: TAKEN });
      expect(res.status).toBe(409);
      expectProblem(res, unique('/typeorm/users', ['email']), (error) => {
        expect(error).toBeInstanceOf(QueryFailedError);
        expect(error).toMatchObject({
          driverError: { code: 'SQLITE_CONSTRAINT', message: 'SQLITE_CONSTRAINT: UNIQUE constraint failed: user.email' },
        });
      });
    });

    it('PostgreSQL 23505 is 409 with the column of the detail, not its value', async () => {
      const res = await request(app).get('/typeorm/postgres-unique');
      expect(res.status).toBe(409);
      expectProblem(res, unique('/typeorm/postgres-unique', ['email']), (error) => expect(error).toBeInstanceOf(QueryFailedError));
    });

    it('the better-sqlite3 driver (TypeORM 1): SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_FOREIGNKEY', async () => {
      const res = await request(app).get('/typeorm/better-sqlite3/unique');
      expect(res.status).toBe(409);
      expectProblem(res, unique('/typeorm/better-sqlite3/unique', ['email']), (error) => {
        expect(error).toMatchObject({ driverError: { name: 'SqliteError', code: 'SQLITE_CONSTRAINT_UNIQUE' } });
      });
      logger.calls.splice(0);
      const foreign = await request(app).get('/typeorm/better-sqlite3/foreign-key');
      expect(foreign.status).toBe(409);
      expectProblem(foreign, foreignKey('/typeorm/better-sqlite3/foreign-key'), (error) => {
        expect(error).toMatchObject({ driverError: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } });
      });
    });

    it('MySQL ER_DUP_ENTRY is 409; it names an index, so no fields', async () => {
      const res = await request(app).get('/typeorm/mysql-unique');
      expect(res.status).toBe(409);
      expectProblem(res, uniqueWithoutFields('/typeorm/mysql-unique'), (error) => expect(error).toBeInstanceOf(QueryFailedError));
    });

    it('a foreign key violation is 409, on SQLite and PostgreSQL', async () => {
      const res = await request(app).post('/typeorm/posts').send({ authorId: 999 });
      expect(res.status).toBe(409);
      expectProblem(res, foreignKey('/typeorm/posts'), (error) => {
        expect(error).toMatchObject({
          driverError: { code: 'SQLITE_CONSTRAINT', message: 'SQLITE_CONSTRAINT: FOREIGN KEY constraint failed' },
        });
      });
      logger.calls.splice(0);
      const postgres = await request(app).get('/typeorm/postgres-foreign-key');
      expect(postgres.status).toBe(409);
      expectProblem(postgres, foreignKey('/typeorm/postgres-foreign-key'), (error) => expect(error).toBeInstanceOf(QueryFailedError));
    });

    it('EntityNotFoundError (findOneByOrFail) is 404, without the criteria', async () => {
      const res = await request(app).get('/typeorm/users/999');
      expect(res.status).toBe(404);
      expectProblem(res, notFound('/typeorm/users/999'), (error) => expect(error).toBeInstanceOf(EntityNotFoundError));
    });
  });

  describe('what the mappers leave alone', () => {
    it("joi's ValidationError is not Mongoose's: without fromJoi it is a 500", async () => {
      const res = await request(app).post('/joi').send({});
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/joi' });
    });

    it.each(HOSTILE_LOOKALIKES.map(([name, , status, body], index) => [name, status, index, body] as const))(
      '%s: read without throwing, answered %s',
      async (_name, status, index, body) => {
        const res = await request(app).get(`/hostile/${index}`);
        expect(res.status).toBe(status);
        expect(res.headers['content-type']).toBe(PROBLEM_JSON);
        expect(res.body).toMatchObject({ status, ...body });
        expect(res.body.fields).toBeUndefined();
      },
    );

    it.each([
      ['post', '/prisma/users', { email: TAKEN }],
      ['post', '/sequelize/users', { email: TAKEN }],
      ['post', '/typeorm/users', { email: TAKEN }],
      ['post', '/mongoose/duplicate', {}],
    ] as const)('without the mappers, %s %s is a 500 that says nothing', async (_method, url, body) => {
      const res = await request(bare).post(url).send(body);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: url });
    });
  });
});

/** A Mongoose model whose array validator builds its message from the array's items, as apps do. */
const Tagged = mongoose.model(
  'OrmTestTagged',
  new mongoose.Schema({
    tags: {
      type: [String],
      validate: {
        validator: (tags: string[]) => tags.length < 2,
        message: (props: { value: string[] }) => `${props.value.join(' ')}: too many`,
      },
    },
  }),
);

describe.each(EXPRESS_VERSIONS)('%s: fromMongoose and the no-echo rule', (_label, express) => {
  const SECRET = 'hunter2secret';
  const app = express();
  app.use(express.json());
  app.post(
    '/mongoose/tags',
    handle(async (req) => {
      await new Tagged(req.body as object).validate();
      return new Ok(null);
    }),
  );
  app.use(errorHandler({ log: false, map: [fromMongoose] }));

  it('a message built from the items of an array the client sent quotes none of them', async () => {
    const res = await request(app)
      .post('/mongoose/tags')
      .send({ tags: ['a', SECRET.toUpperCase()] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ detail: 'Invalid value', pointer: '#/tags' }]);
    expect(res.text.toLowerCase()).not.toContain(SECRET);
  });
});
