# shellcheck shell=bash
# Pingback's own RabbitMQ node from Debian's rabbitmq-server package: node pingback@localhost on 127.0.0.1:5672
# (management on 127.0.0.1:15672), with its data in .pingback/rabbitmq, like Redis's. The machine's own node
# (rabbit@<host>, data in /var/lib/rabbitmq) is never started: whatever an earlier user left in it cannot slow
# or stop this project's start. Every rabbitmqctl call has a time limit, because `await_startup` on a node
# whose boot hangs waits for ever. A node that has not booted within RABBITMQ_BOOT_SECONDS is killed, its data
# moved aside (kept, never deleted) and a fresh node started once. Sourced, never run (after log.sh,
# probe.sh, started-servers.sh).

RABBITMQ_NODE=pingback@localhost
RABBITMQ_BOOT_SECONDS=${PINGBACK_RABBITMQ_BOOT_SECONDS:-180}
# Its ports; a test of these scripts runs a node beside the one the tests use.
RABBITMQ_AMQP_PORT=5672
RABBITMQ_MANAGEMENT_PORT=15672
RABBITMQ_DISTRIBUTION_PORT=25672
# RabbitMQ reserves about 3 file handles per quorum queue and a stack declares about 100 queues, so with the
# usual soft limit of 1024 barely three stacks (the dev stack and two test files) share a node; past it new
# connections stall in their handshake. The node gets the hard limit instead, and is started without `su`,
# whose pam_limits would set 1024 again.

debian_start_rabbitmq() {
  # Installing the package may have started the machine's own node, on the same port.
  if probe_ready tcp "$DEFAULT_RABBITMQ_URL"; then
    say "RabbitMQ is already running at $(redact_url "$DEFAULT_RABBITMQ_URL"): reusing it"
    return
  fi
  local dir
  dir=$(rabbitmq_node_dir)
  rabbitmq_node_prepare "$dir"
  if rabbitmq_node_alive "$dir"; then
    say "RabbitMQ node $RABBITMQ_NODE is already starting: waiting for it"
  else
    rabbitmq_node_launch "$dir"
  fi
  started_servers_add "debian:rabbitmq-node:$dir"
  rabbitmq_node_await "$dir" && return
  local aside
  aside="$dir/mnesia.stuck-$(date +%Y%m%d-%H%M%S)"
  warn "RabbitMQ node $RABBITMQ_NODE did not boot within ${RABBITMQ_BOOT_SECONDS}s (log: $dir/log); its data moves to $aside and a fresh node starts"
  rabbitmq_node_kill "$dir"
  mv "$dir/mnesia" "$aside"
  rabbitmq_node_prepare "$dir"
  rabbitmq_node_launch "$dir"
  rabbitmq_node_await "$dir" || die "RabbitMQ node $RABBITMQ_NODE did not boot within ${RABBITMQ_BOOT_SECONDS}s twice: see $dir/log"
}

# The node runs as the rabbitmq user, which may not reach a checkout under a private home directory; it then
# keeps its data under /var/lib/rabbitmq, in a directory named after the checkout's path.
rabbitmq_node_dir() {
  local dir="$PINGBACK_STATE/rabbitmq"
  mkdir -p "$dir"
  chown rabbitmq:rabbitmq "$dir"
  if su -s /bin/sh rabbitmq -c "test -w '$dir'"; then
    printf '%s' "$dir"
  else
    printf '/var/lib/rabbitmq/pingback-%s' "$(printf '%s' "$PINGBACK_ROOT" | sha256sum | cut -c1-12)"
  fi
}

rabbitmq_node_prepare() {
  local dir=$1
  mkdir -p "$dir/mnesia" "$dir/log"
  printf '[rabbitmq_management].\n' >"$dir/enabled_plugins"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
CONF
  chown -R rabbitmq:rabbitmq "$dir"
}

# rabbitmq_node_env DIR COMMAND...: runs a RabbitMQ command for Pingback's node.
rabbitmq_node_env() {
  local dir=$1
  shift
  env ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODENAME="$RABBITMQ_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBITMQ_AMQP_PORT" \
    RABBITMQ_DIST_PORT="$RABBITMQ_DISTRIBUTION_PORT" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' "$@"
}

rabbitmq_node_launch() {
  local dir=$1
  say "starting RabbitMQ node $RABBITMQ_NODE (data in $dir)"
  rm -f "$dir/rabbitmq.pid"
  (
    ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
    if [[ $(id -u) == 0 ]] && command -v setpriv >/dev/null && [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
      cd /var/lib/rabbitmq &&
        rabbitmq_node_env "$dir" timeout 60 setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups \
          env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server -detached
    else
      rabbitmq_node_env "$dir" timeout 60 rabbitmq-server -detached
    fi
  )
}

rabbitmq_node_alive() {
  local pid
  pid=$(cat "$1/rabbitmq.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -q beam "/proc/$pid/cmdline" 2>/dev/null
}

# `rabbitmqctl wait` fails at once until the pid file exists, and blocks until the node has booted.
rabbitmq_node_await() {
  local dir=$1 deadline=$((SECONDS + RABBITMQ_BOOT_SECONDS))
  until rabbitmq_node_env "$dir" timeout 30 rabbitmqctl -n "$RABBITMQ_NODE" -q wait "$dir/rabbitmq.pid" --timeout 25 \
    >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

rabbitmq_node_kill() {
  local pid
  pid=$(cat "$1/rabbitmq.pid" 2>/dev/null) || return 0
  if rabbitmq_node_alive "$1"; then kill -9 "$pid"; fi
  local deadline=$((SECONDS + 10))
  while rabbitmq_node_alive "$1" && ((SECONDS < deadline)); do sleep 0.2; done
}

# rabbitmq_node_stop DIR: a clean stop, else a kill.
rabbitmq_node_stop() {
  local dir=$1
  rabbitmq_node_alive "$dir" || return 0
  rabbitmq_node_env "$dir" timeout 60 rabbitmqctl -n "$RABBITMQ_NODE" -q stop "$dir/rabbitmq.pid" >/dev/null 2>&1 ||
    rabbitmq_node_kill "$dir"
}
