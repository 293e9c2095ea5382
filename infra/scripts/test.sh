#!/usr/bin/env bash
# npm test: the set-up of npm start up to and including migrations (no services are started), the test tools,
# then lint, type-check and jest against the same infrastructure. Extra arguments go to jest
# (npm test -- libs/testing). Exits with jest's code; a lint or type error stops it before jest.
set -euo pipefail

LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
for part in log apt probe started-servers docker-servers debian-rabbitmq debian-servers infra-resolve build test-tools; do
  # shellcheck source=/dev/null
  source "$LIB/$part.sh"
done
cd "$PINGBACK_ROOT"

install_test_tools
install_dependencies
resolve_infra
build_workspace
migrate_databases

say "eslint"
npx --no -- eslint .
say "tsc -b"
npx --no -- tsc -b tsconfig.json
say "tsc (tests and benchmarks)"
npx --no -- tsc -p tsconfig.tests.json
say "jest"
# resolve_infra exported DATABASE_URL (an admin URL: the harness creates a database per test file from the
# migrated template), REDIS_URL, RABBITMQ_URL and, when it answers, RABBITMQ_MANAGEMENT_URL.
results="$PINGBACK_STATE/jest-results.json"
mkdir -p "$PINGBACK_STATE"
status=0
npx --no -- jest --maxWorkers=2 --json --outputFile="$results" "$@" || status=$?
# One plain closing line that any CI can read, whatever jest's own summary looks like.
node -e 'const r = require(process.argv[1]); console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' "$results" || true
exit "$status"
