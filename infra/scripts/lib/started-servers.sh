# shellcheck shell=bash
# The record of servers the scripts started themselves (.pingback/started-servers), so stop.sh stops those and no
# others. One line per server: debian:postgres:<version>:<cluster>, debian:redis, debian:rabbitmq,
# docker:<compose service>. Lines accumulate across runs until stop.sh stops the server. Sourced, never run.

STARTED_SERVERS_FILE="$PINGBACK_STATE/started-servers"

started_servers_add() {
  mkdir -p "$PINGBACK_STATE"
  grep -qxF "$1" "$STARTED_SERVERS_FILE" 2>/dev/null || printf '%s\n' "$1" >>"$STARTED_SERVERS_FILE"
}

started_servers_list() {
  if [ -f "$STARTED_SERVERS_FILE" ]; then cat "$STARTED_SERVERS_FILE"; fi
}

started_servers_remove() {
  [ -f "$STARTED_SERVERS_FILE" ] || return 0
  local rest
  rest=$(grep -vxF "$1" "$STARTED_SERVERS_FILE" || true)
  if [ -n "$rest" ]; then printf '%s\n' "$rest" >"$STARTED_SERVERS_FILE"; else rm -f "$STARTED_SERVERS_FILE"; fi
}
