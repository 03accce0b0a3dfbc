// @ts-check
/**
 * A TypeDoc plugin for `validation.notDocumented`: the members of an anonymous object type (a
 * `{ … }` inside a documented declaration: the rows of `ERROR_STATUSES`, the JSON Schema of
 * `problemDetailsSchema`, the `{ readonly name }` of each error class) are described by that
 * declaration's own comment, so they are not asked for one each. Every export, and every member of an
 * exported class or interface, still needs its own.
 */
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    // the option's own array, read again by the validation that runs after the conversion
    const exempt = /** @type {string[]} */ (app.options.getValue('intentionallyNotDocumented'));
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      const name = reflection.getFriendlyFullName();
      // once each: a name listed twice (the members of a union's object types) is reported as unused
      if (reflection.parent?.kindOf(ReflectionKind.TypeLiteral) && !reflection.hasComment() && !exempt.includes(name)) exempt.push(name);
    }
  });
}
