import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import type { ProblemDetails } from '../src';
import express4 from 'express4';

/** Both supported majors, each test suite runs against each. */
export const EXPRESS_VERSIONS = [
  ['Express 5', express5],
  ['Express 4', express4],
] as const;

export type ExpressFactory = (typeof EXPRESS_VERSIONS)[number][1];

/** A logger that records what it is given, for asserting what reached the log. */
export function recordingLogger(): { calls: unknown[]; log: (error: unknown) => void } {
  const calls: unknown[] = [];
  return { calls, log: (error) => calls.push(error) };
}

/** A legacy error contract an app already has, with its own JSON Schema. */
export const LEGACY_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' } },
      required: ['code', 'message'],
      additionalProperties: false,
    },
  },
  required: ['error'],
  additionalProperties: false,
} as const;

/** The `format` of that contract: the code when the error has one, else the status; the exposed detail, else the title. */
export function legacyFormat(problem: Readonly<ProblemDetails>): unknown {
  return {
    error: {
      code: problem.code ?? `http_${problem.status}`,
      message: problem.detail ?? problem.title,
      ...(typeof problem.requestId === 'string' ? { requestId: problem.requestId } : {}),
    },
  };
}

/** An answer as a raw client reads it: its status line with the reason phrase (supertest hides it) and its body. */
export async function rawAnswer(
  app: http.RequestListener,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ line: string; body: string }> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return await new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ line: `${res.statusCode} ${res.statusMessage}`, body }));
      });
      req.on('error', reject);
    });
  } finally {
    server.close();
  }
}

/** Runs `test` with `console[method]` silenced and recorded by `spy`, and puts the console back after. */
export async function withConsole(method: 'error' | 'warn', test: (spy: jest.SpyInstance) => Promise<void>): Promise<void> {
  const spy = jest.spyOn(console, method).mockImplementation(() => undefined);
  try {
    await test(spy);
  } finally {
    spy.mockRestore();
  }
}
