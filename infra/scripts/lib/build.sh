# shellcheck shell=bash
# Installs the workspace's dependencies, generates the Prisma clients, compiles, and migrates the database.
# Sourced, never run (after log.sh). Runs in the repository root.

PNPM_VERSION=10.34.9

# pnpm through npx: corepack cannot verify pnpm's signature on these machines.
pnpm() {
  npx -y "pnpm@$PNPM_VERSION" "$@"
}

install_dependencies() {
  if [ -f pnpm-lock.yaml ]; then
    say "pnpm install --frozen-lockfile"
    pnpm install --frozen-lockfile
  else
    say "pnpm install (no lockfile yet)"
    pnpm install
  fi
}

# The db CLIs are compiled, and the Prisma clients must exist before the services compile: so libs/db first.
build_workspace() {
  say "building libs/db, generating the Prisma clients"
  npx --no -- tsc -b libs/db
  node libs/db/dist/cli/generate-all.js
  say "building the workspace (tsc -b)"
  npx --no -- tsc -b tsconfig.json
}

# Applies every service's pending migrations to DATABASE_URL.
migrate_databases() {
  say "migrating $(redact_url "$DATABASE_URL")"
  node libs/db/dist/cli/migrate-all.js
}
