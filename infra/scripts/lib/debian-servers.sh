# shellcheck shell=bash
# Installs and starts Debian's postgresql, redis-server and rabbitmq-server on this machine, as root and without
# systemd, and records in .pingback/started-servers each server it started itself. A server already running is
# reused, never started twice. Sourced, never run (after log.sh, apt.sh, probe.sh, started-servers.sh,
# debian-rabbitmq.sh).

# debian_servers_up NAME...: NAME is postgres, redis or rabbitmq.
debian_servers_up() {
  [ "$(id -u)" = 0 ] || return 1
  local name packages=()
  for name in "$@"; do
    case $name in
      postgres) command -v pg_ctlcluster >/dev/null || packages+=(postgresql) ;;
      redis) command -v redis-server >/dev/null || packages+=(redis-server) ;;
      rabbitmq) command -v rabbitmq-server >/dev/null || packages+=(rabbitmq-server) ;;
    esac
  done
  ((${#packages[@]} == 0)) || apt_install "${packages[@]}"
  for name in "$@"; do "debian_start_$name"; done
}

debian_start_postgres() {
  local version cluster port status _
  if ! pg_lsclusters -h | grep -q .; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    say "creating Postgres cluster $version/main"
    pg_createcluster "$version" main >/dev/null
  fi
  read -r version cluster port status _ < <(pg_lsclusters -h | head -1)
  if [ "$status" = online ]; then
    say "Postgres $version/$cluster is already running: reusing it"
  else
    say "starting Postgres $version/$cluster (pg_ctlcluster)"
    pg_ctlcluster "$version" "$cluster" start
    started_servers_add "debian:postgres:$version:$cluster"
  fi
  # resolve_infra then creates the role and database (debian_ensure_pingback_database) and waits for it.
  # shellcheck disable=SC2034 # read by resolve_infra
  DEFAULT_DATABASE_URL="postgresql://pingback:pingback@127.0.0.1:$port/pingback"
}

# The role pingback (password pingback, CREATEDB so the test harness can create databases) and its database.
debian_ensure_pingback_database() {
  if [ "$(as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'pingback'\"")" != 1 ]; then
    say "creating Postgres role pingback"
    as_postgres "psql -qc \"CREATE ROLE pingback LOGIN PASSWORD 'pingback' CREATEDB\""
  fi
  if [ "$(as_postgres "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'pingback'\"")" != 1 ]; then
    say "creating Postgres database pingback"
    as_postgres "createdb -O pingback pingback"
  fi
}

debian_start_redis() {
  if probe_ready tcp "$DEFAULT_REDIS_URL"; then
    say "Redis is already running: reusing it"
    return
  fi
  mkdir -p "$PINGBACK_STATE/redis"
  private_log "$PINGBACK_STATE/logs/redis-server.log"
  say "starting Redis (redis-server --daemonize yes)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$PINGBACK_STATE/redis" \
    --pidfile "$PINGBACK_STATE/redis/redis.pid" --logfile "$PINGBACK_STATE/logs/redis-server.log"
  started_servers_add debian:redis
}

as_postgres() {
  su -s /bin/sh postgres -c "$1"
}

# debian_server_stop RECORD: stops one server this script recorded as started.
debian_server_stop() {
  local _kind name version cluster
  IFS=: read -r _kind name version cluster <<<"$1"
  case $name in
    postgres) pg_ctlcluster "$version" "$cluster" stop ;;
    redis) redis-cli -p 6379 shutdown >/dev/null ;;
    # A record of earlier versions, which started the machine's own node; a node that no longer runs is stopped.
    rabbitmq) timeout 60 rabbitmqctl -q stop >/dev/null 2>&1 || true ;;
    rabbitmq-node) rabbitmq_node_stop "${1#debian:rabbitmq-node:}" ;;
  esac
}
