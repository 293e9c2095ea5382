#!/usr/bin/env bash
# npm test: the set-up of npm start up to and including migrations (no services are started), the test tools,
# then lint, type-check and jest against the same infrastructure. Extra arguments go to jest
# (npm test -- libs/testing). Exits with jest's code; a lint or type error stops it before jest.
set -euo pipefail

LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
for part in log apt probe started-servers docker-servers debian-servers infra-resolve build test-tools; do
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
exec npx --no -- jest --maxWorkers=2 "$@"
