#!/usr/bin/env bash
# npm stop: stops the services npm start started, then the servers npm start itself started (listed in
# .pingback/started-servers); servers it found running are left alone.
set -euo pipefail

LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
for part in log started-servers docker-servers debian-rabbitmq debian-servers services; do
  # shellcheck source=/dev/null
  source "$LIB/$part.sh"
done
cd "$PINGBACK_ROOT"

stop_services

stop_server() {
  case $1 in
    docker:*) docker_server_stop "$1" ;;
    debian:*) debian_server_stop "$1" ;;
    *) return 1 ;;
  esac
}

# Newest first: the reverse of the order they were started in.
mapfile -t servers < <(started_servers_list | tac)
for server in "${servers[@]}"; do
  say "stopping $server"
  if stop_server "$server"; then
    started_servers_remove "$server"
  else
    warn "could not stop $server; it stays listed in $STARTED_SERVERS_FILE"
  fi
done
say "stopped"
