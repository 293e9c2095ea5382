# shellcheck shell=bash
# .pingback/.env (mode 0600): the services' environment. The first run generates the secrets; later runs keep them
# and the development credentials, and refresh the infrastructure URLs. One KEY=value per line, values taken
# literally (never sourced by a shell, so a URL with & or $ stays as written). Sourced, never run (after log.sh).

ENV_FILE="$PINGBACK_STATE/.env"

# env_file_get KEY: prints the value, or nothing.
env_file_get() {
  [ -f "$ENV_FILE" ] || return 0
  sed -n "s/^$1=//p" "$ENV_FILE" | tail -1
}

# env_file_set KEY VALUE: replaces the line in place (or appends it), keeping the file private.
env_file_set() {
  local tmp
  mkdir -p "$PINGBACK_STATE"
  touch "$ENV_FILE"
  tmp=$(umask 077 && mktemp "$ENV_FILE.XXXXXX")
  # ENVIRON, not awk -v: -v would interpret backslashes in the value.
  KEY=$1 VALUE=$2 awk '
    index($0, ENVIRON["KEY"] "=") == 1 { if (!done) print ENVIRON["KEY"] "=" ENVIRON["VALUE"]; done = 1; next }
    { print }
    END { if (!done) print ENVIRON["KEY"] "=" ENVIRON["VALUE"] }
  ' "$ENV_FILE" >"$tmp"
  mv "$tmp" "$ENV_FILE"
}

# env_file_prepare: generates what is missing, records the current infrastructure URLs.
env_file_prepare() {
  [ -f "$ENV_FILE" ] || say "writing $ENV_FILE (first run: new secrets)"
  [ -n "$(env_file_get PINGBACK_SECRET_KEY)" ] || env_file_set PINGBACK_SECRET_KEY "$(random_base64 32)"
  [ -n "$(env_file_get PINGBACK_ADMIN_KEY)" ] || env_file_set PINGBACK_ADMIN_KEY "pba_$(random_base64url 32)"
  [ -n "$(env_file_get PINGBACK_PUBLIC_URL)" ] || env_file_set PINGBACK_PUBLIC_URL http://localhost:8080
  [ -n "$(env_file_get PINGBACK_ALLOW_PRIVATE_TARGETS)" ] || env_file_set PINGBACK_ALLOW_PRIVATE_TARGETS true
  local key
  for key in DATABASE_URL REDIS_URL RABBITMQ_URL RABBITMQ_MANAGEMENT_URL; do
    if [ -n "${!key:-}" ]; then env_file_set "$key" "${!key}"; fi
  done
  chmod 600 "$ENV_FILE"
}

# env_file_export: exports every line of the file into this shell.
env_file_export() {
  local line
  # Split by hand: `IFS== read` drops a single trailing "=", which base64 values end with.
  while IFS= read -r line; do
    if [[ ${line%%=*} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then export "${line%%=*}=${line#*=}"; fi
  done <"$ENV_FILE"
}

random_base64() {
  node -e 'process.stdout.write(require("node:crypto").randomBytes(Number(process.argv[1])).toString("base64"))' "$1"
}

random_base64url() {
  node -e 'process.stdout.write(require("node:crypto").randomBytes(Number(process.argv[1])).toString("base64url"))' "$1"
}
