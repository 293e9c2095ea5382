# shellcheck shell=bash
# The six compiled services, run detached: pids in .pingback/pids/<service>.pid, logs in .pingback/logs/<service>.log.
# Sourced, never run (after log.sh, env-file.sh). Runs in the repository root.

SERVICES=(ingest-gateway notification-dispatcher response-store workflow-tracker approval-service webhook-deliverer)
GATEWAY_PORT=8080
PIDS_DIR="$PINGBACK_STATE/pids"
LOGS_DIR="$PINGBACK_STATE/logs"
READY_TIMEOUT_SECONDS=60

# health_port SERVICE: 9101…9106 in the order of SERVICES.
health_port() {
  local i
  for i in "${!SERVICES[@]}"; do
    if [ "${SERVICES[$i]}" = "$1" ]; then
      echo $((9101 + i))
      return
    fi
  done
  die "unknown service $1"
}

# service_pid SERVICE: prints the pid when that service's process (and not some other holder of the pid) runs.
service_pid() {
  local pid
  pid=$(cat "$PIDS_DIR/$1.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && grep -qF "services/$1/dist/main.js" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

# start_services: starts each service with .pingback/.env, PORT for the gateway and its HEALTH_PORT.
start_services() {
  local service
  mkdir -p "$PIDS_DIR"
  for service in "${SERVICES[@]}"; do
    [ -f "services/$service/dist/main.js" ] || die "services/$service/dist/main.js is missing: the build did not make it"
    rm -f "$PIDS_DIR/$service.pid"
    private_log "$LOGS_DIR/$service.log"
    printf '\n--- started %s ---\n' "$(date -u +%FT%TZ)" >>"$LOGS_DIR/$service.log"
    (
      env_file_export
      export HEALTH_PORT
      HEALTH_PORT=$(health_port "$service")
      if [ "$service" = ingest-gateway ]; then export PORT=$GATEWAY_PORT; fi
      # setsid: its own session, so the terminal's Ctrl-C and npm's exit leave it running.
      exec setsid sh -c 'echo $$ >"$0"; exec node "$1"' "$PIDS_DIR/$service.pid" "services/$service/dist/main.js" \
        </dev/null >>"$LOGS_DIR/$service.log" 2>&1
    ) &
  done
  for service in "${SERVICES[@]}"; do
    local deadline=$((SECONDS + 5))
    until [ -s "$PIDS_DIR/$service.pid" ]; do
      ((SECONDS < deadline)) || die "$service did not start: see $LOGS_DIR/$service.log"
      sleep 0.1
    done
  done
}

# wait_services_ready: waits for every /readyz; on a failure prints that service's last log lines and exits 1.
wait_services_ready() {
  local service port deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  for service in "${SERVICES[@]}"; do
    port=$(health_port "$service")
    until service_is_ready "$port"; do
      if ! service_pid "$service" >/dev/null; then
        service_failed "$service" "exited before it was ready"
      elif ((SECONDS >= deadline)); then
        service_failed "$service" "is not ready after ${READY_TIMEOUT_SECONDS}s (http://127.0.0.1:$port/readyz)"
      fi
      sleep 0.5
    done
  done
}

service_is_ready() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$1/readyz"
}

service_failed() {
  printf 'error: %s %s (the others keep running: npm stop). Last lines of %s:\n' "$1" "$2" "$LOGS_DIR/$1.log" >&2
  tail -n 30 "$LOGS_DIR/$1.log" >&2
  exit 1
}

# stop_services: SIGTERM to every running service, then SIGKILL to any still running after 10 s.
stop_services() {
  local service pid running=()
  for service in "${SERVICES[@]}"; do
    if pid=$(service_pid "$service"); then
      say "stopping $service (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      running+=("$service")
    fi
  done
  local deadline=$((SECONDS + 10))
  for service in "${running[@]}"; do
    # service_pid, not kill -0: an exited process nobody has reaped yet still answers kill -0.
    while service_pid "$service" >/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if pid=$(service_pid "$service"); then
      warn "$service (pid $pid) did not stop within 10 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$PIDS_DIR"/*.pid
}

print_service_states() {
  local service pid state port
  for service in "${SERVICES[@]}"; do
    port=$(health_port "$service")
    pid=$(service_pid "$service") || pid=-
    if service_is_ready "$port"; then state=ready; else state="not ready"; fi
    printf '  %-24s %-10s pid %-8s health http://127.0.0.1:%s/readyz\n' "$service" "$state" "$pid" "$port"
  done
}
