#!/usr/bin/env bash
# npm run test:orm — the ORM mappers against Prisma, Sequelize, TypeORM and Mongoose themselves
# (test/orm/orm.test.ts, on Express 5 and 4). Their dependencies (Prisma's CLI, sqlite3, which compiles,
# …) are test/orm's own, with their own lock file, so that the repository's `npm ci` stays light: they are
# installed here with `npm ci --prefix test/orm` (sqlite3's build allowed by test/orm's allowScripts),
# unless they already are, from the same lock file. Then the folder is type-checked and its tests run.
#   bash scripts/test-orm.sh             install if needed, type-check, run
#   bash scripts/test-orm.sh --install   install if needed (scripts/test-node-matrix.sh runs the tests itself)
set -euo pipefail
cd "$(dirname "$0")/.."
orm=test/orm
stamp="$orm/node_modules/.installed-from-lock"
lock=$(sha256sum "$orm/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock" ]; then
  echo "== npm ci --prefix $orm (Prisma, sqlite3, Sequelize, TypeORM, Mongoose)"
  started=$SECONDS
  npm ci --prefix "$orm" --no-audit --no-fund --loglevel=error
  echo "$lock" >"$stamp"
  echo "$orm installed in $((SECONDS - started)) s"
fi
case "${1:-}" in
  --install) exit 0 ;;
  '') ;;
  *) echo "usage: $0 [--install]" >&2 && exit 2 ;;
esac
node node_modules/typescript/bin/tsc -p "$orm/tsconfig.json" --noEmit
node node_modules/jest/bin/jest.js --config "$orm/jest.config.js"
