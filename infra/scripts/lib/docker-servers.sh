# shellcheck shell=bash
# Runs Postgres, Redis and RabbitMQ from docker-compose.yml when a Docker engine really runs, and records in
# .pingback/started-servers each container it started. Sourced, never run (after log.sh, started-servers.sh).

docker_engine_running() {
  command -v docker >/dev/null && docker info >/dev/null 2>&1
}

# compose ARGS...: docker-compose (1.29 reads our file) or else the `docker compose` plugin.
compose() {
  if command -v docker-compose >/dev/null; then
    docker-compose -f "$PINGBACK_ROOT/docker-compose.yml" "$@"
  elif docker compose version >/dev/null 2>&1; then
    docker compose -f "$PINGBACK_ROOT/docker-compose.yml" "$@"
  else
    die "a Docker engine runs but neither docker-compose nor 'docker compose' is installed"
  fi
}

# docker_servers_up SERVICE...: SERVICE is postgres, redis or rabbitmq (the compose service names).
docker_servers_up() {
  local service
  say "starting $* with Docker (compose up -d)"
  compose up -d "$@"
  for service in "$@"; do
    started_servers_add "docker:$service"
    docker_wait_healthy "$service"
  done
}

docker_wait_healthy() {
  local service=$1 container status deadline=$((SECONDS + 180))
  container=$(compose ps -q "$service")
  [ -n "$container" ] || die "docker compose did not create the $service container"
  while status=$(docker inspect -f '{{.State.Health.Status}}' "$container") && [ "$status" != healthy ]; do
    ((SECONDS < deadline)) || die "the $service container is $status after 180s: docker logs $container"
    sleep 2
  done
}

# docker_server_stop RECORD: stops one container this script recorded as started.
docker_server_stop() {
  compose stop "${1#docker:}"
}
