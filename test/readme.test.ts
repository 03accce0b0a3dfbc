/**
 * The README's class table is the list of exports: a class missing from either, a wrong status or a
 * wrong option fails here. (Its TypeScript blocks are compiled and run by `npm run test:package`.)
 */
import fs from 'node:fs';
import path from 'node:path';
import * as pkg from '../src';
import { ERROR_STATUSES, HttpError } from '../src';
import { STATUS_HEADERS } from '../src/status';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The rows of the table under "## Errors": status, class, and the option cell. */
function classTable(): [number, string, string][] {
  const section = readme.slice(readme.indexOf('\n## Errors\n'), readme.indexOf('\n## Success results\n'));
  return [...section.matchAll(/^\|\s+(\d{3}) \| `(\w+)`\s+\|(.*)\|$/gm)].map(([, status, name, option]) => [
    Number(status),
    name!,
    option!.trim(),
  ]);
}

describe('the README', () => {
  it('lists every status class once, in the order of the status table, with its status', () => {
    expect(classTable().map(([status, name]) => [status, name])).toEqual(
      Object.entries(ERROR_STATUSES).map(([status, [name]]) => [Number(status), name]),
    );
  });

  it('lists exactly the error classes the package exports, and each is what it says', () => {
    const exported = Object.entries(pkg).filter(([, value]) => typeof value === 'function' && value.prototype instanceof HttpError);
    const aliases = ['PayloadTooLarge', 'UnprocessableEntity'];
    expect(
      exported
        .map(([name]) => name)
        .filter((name) => !aliases.includes(name))
        .sort(),
    ).toEqual(
      classTable()
        .map(([, name]) => name)
        .sort(),
    );
    for (const [status, name] of classTable()) {
      const Cls = (pkg as unknown as Record<string, new () => HttpError>)[name]!;
      expect([name, new Cls().status]).toEqual([name, status]);
    }
    for (const alias of aliases) expect(readme).toContain(`\`${alias}\``);
  });

  it('names the option and the header of each status that has one; "required" where the types require the option', () => {
    for (const [status, name, cell] of classTable()) {
      const rule = STATUS_HEADERS[status as keyof typeof STATUS_HEADERS] as
        (typeof STATUS_HEADERS)[keyof typeof STATUS_HEADERS] | undefined;
      const expected = rule ? `\`${rule.option}\` → \`${rule.header}\`${[405, 407, 426].includes(status) ? ' (required)' : ''}` : '';
      expect([name, cell]).toEqual([name, expected]);
    }
  });
});
