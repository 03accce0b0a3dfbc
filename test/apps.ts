import express5 from 'express';
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
