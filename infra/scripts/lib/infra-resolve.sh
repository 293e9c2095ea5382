# shellcheck shell=bash
# Finds Postgres, Redis and RabbitMQ and exports DATABASE_URL, REDIS_URL, RABBITMQ_URL and, when the management API
# answers, RABBITMQ_MANAGEMENT_URL. For each server, in this order: its URL in the environment; a server already
# listening on its default local port (reused: never started twice, never stopped by stop.sh); Docker, where an
# engine really runs; Debian's packages, installed and started as root. Otherwise it says what to install and exits 1.
# Sourced, never run (after log.sh, apt.sh, probe.sh, started-servers.sh, docker-servers.sh, debian-servers.sh).

DEFAULT_DATABASE_URL=postgresql://pingback:pingback@127.0.0.1:5432/pingback
DEFAULT_REDIS_URL=redis://127.0.0.1:6379
DEFAULT_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672
DEFAULT_RABBITMQ_MANAGEMENT_URL=http://guest:guest@127.0.0.1:15672

resolve_infra() {
  local missing=()
  infra_find Postgres DATABASE_URL "$DEFAULT_DATABASE_URL" || missing+=(postgres)
  infra_find Redis REDIS_URL "$DEFAULT_REDIS_URL" || missing+=(redis)
  infra_find RabbitMQ RABBITMQ_URL "$DEFAULT_RABBITMQ_URL" || missing+=(rabbitmq)
  if ((${#missing[@]})); then
    if docker_engine_running; then
      docker_servers_up "${missing[@]}"
    elif ! debian_servers_up "${missing[@]}"; then
      infra_explain_missing "${missing[@]}"
    fi
  fi
  export DATABASE_URL=${DATABASE_URL:-$DEFAULT_DATABASE_URL}
  export REDIS_URL=${REDIS_URL:-$DEFAULT_REDIS_URL}
  export RABBITMQ_URL=${RABBITMQ_URL:-$DEFAULT_RABBITMQ_URL}
  if [ "$DATABASE_URL" = "$DEFAULT_DATABASE_URL" ] && [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null &&
    [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    debian_ensure_pingback_database
  fi
  wait_ready postgres "$DATABASE_URL" 60 Postgres
  wait_ready redis "$REDIS_URL" 60 Redis
  wait_ready amqp "$RABBITMQ_URL" 60 RabbitMQ
  if [ -z "${RABBITMQ_MANAGEMENT_URL:-}" ] && [ "$RABBITMQ_URL" = "$DEFAULT_RABBITMQ_URL" ] &&
    probe_ready http "$DEFAULT_RABBITMQ_MANAGEMENT_URL"; then
    export RABBITMQ_MANAGEMENT_URL=$DEFAULT_RABBITMQ_MANAGEMENT_URL
  fi
  say "Postgres $(redact_url "$DATABASE_URL") · Redis $(redact_url "$REDIS_URL") · RabbitMQ $(redact_url "$RABBITMQ_URL")"
}

# infra_find LABEL VARIABLE DEFAULT_URL: succeeds when the variable is set, or a server listens at the default URL.
infra_find() {
  local label=$1 variable=$2 default_url=$3
  if [ -n "${!variable:-}" ]; then
    say "$label: $variable from the environment"
  elif probe_ready tcp "$default_url"; then
    say "$label: already running at $(redact_url "$default_url"), reusing it"
    export "$variable=$default_url"
  else
    return 1
  fi
}

infra_explain_missing() {
  local names
  names=$(printf '%s, ' "$@")
  cat >&2 <<MSG
error: no running ${names%, } found, and this script cannot start them (no Docker engine runs, and it is not running as root).
Do one of these, then run it again:
  - point it at servers you have:  DATABASE_URL=postgresql://… REDIS_URL=redis://… RABBITMQ_URL=amqp://… npm start
  - start a Docker engine; the script then runs: docker-compose up -d postgres redis rabbitmq
  - install Debian's packages and start them (or run this script as root, which does both):
      sudo apt-get install -y postgresql redis-server rabbitmq-server
    with a Postgres role pingback/pingback (CREATEDB) owning a database pingback.
MSG
  exit 1
}
