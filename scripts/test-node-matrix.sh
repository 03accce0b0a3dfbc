#!/usr/bin/env bash
# npm run test:node-matrix — the jest suite, the ORM suite (test/orm, its dependencies installed here
# by scripts/test-orm.sh when they are not) and the packed tarball's runtime checks under each Node
# version the package supports beside the machine's own: the binaries that scripts/node-matrix pins
# (its own package.json and lock file, installed here with npm ci). Jest runs on each binary with that
# binary's directory first on PATH, so what the tests spawn (process.execPath, or `node` in a shell) runs
# on the same version. One tarball is packed; its checks run once per version. Prints one line per
# version and fails if any version fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
matrix="$root/scripts/node-matrix"

echo "== the pinned Node binaries"
# npm ci unless each is installed at the version the lock file pins (it rewrites ~600 MB each time)
node -e '
  const dir = process.argv[1];
  for (const [where, { version }] of Object.entries(require(`${dir}/package-lock.json`).packages))
    if (where && require(`${dir}/${where}/package.json`).version !== version) process.exit(1);
' "$matrix" 2>/dev/null || npm ci --prefix "$matrix" --no-audit --no-fund --loglevel=error
echo "== the ORM suite's dependencies"
bash scripts/test-orm.sh --install
# the machine's own node is not among them: `npm test`, `npm run test:orm` and `npm run test:package` run on it
nodes=()
for alias in $(node -p "Object.keys(require('$matrix/package.json').dependencies).join(' ')"); do
  nodes+=("$matrix/node_modules/$alias/bin/node")
done

results=$(mktemp -d)
trap 'rm -rf "$results" "$root/.package-test"' EXIT
echo "== pack once, install the runtime consumer"
bash scripts/test-package.sh --runtime-consumer >/dev/null

summary=()
failed=0
for node in "${nodes[@]}"; do
  version=$("$node" --version)
  echo "== Node $version ($node)"
  start=$EPOCHREALTIME
  json="$results/$version.json"
  jest=ok
  PATH="$(dirname "$node"):$PATH" "$node" node_modules/jest/bin/jest.js --projects jest.config.js test/orm/jest.config.js \
    --json --outputFile="$json" || jest=FAILED
  package=ok
  PATH="$(dirname "$node"):$PATH" bash .package-test/runtime/check.sh "$node" || package=FAILED
  seconds=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $start }")
  # the counts come from jest's own report; a jest that could not start has none
  counts=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${r.numPassedTestSuites}/${r.numTotalTestSuites} suites, ${r.numPassedTests}/${r.numTotalTests} tests`);
  ' "$json" 2>/dev/null || echo 'no jest report')
  summary+=("Node $version: jest $jest ($counts), package runtime $package, ${seconds} s")
  [ $jest = ok ] && [ $package = ok ] || failed=1
done

echo "== node matrix"
printf '%s\n' "${summary[@]}"
exit $failed
