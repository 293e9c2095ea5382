# shellcheck shell=bash
# The six compiled services, run detached: pids in .pingback/pids/<instance>.pid, logs in .pingback/logs/<instance>.log.
# An instance is one process: each service runs once, and the consumer services in COPIED_SERVICES run COPIES times
# (npm start -- --copies N). Copy 1 is named after its service, copy k is <service>-k.
# Sourced, never run (after log.sh, env-file.sh). Runs in the repository root.

SERVICES=(ingest-gateway notification-dispatcher response-store workflow-tracker approval-service webhook-deliverer)
# Competing consumers of their work queues, so another copy shares the work. The gateway binds the public port;
# the tracker and the approval service act only on the answers to their own messages, and one copy runs all their
# clocks: one each is enough here (more share that work, as in infra/k8s).
COPIED_SERVICES=(notification-dispatcher response-store webhook-deliverer)
COPIES=1
# Copy k's health port is its service's + 10*(k-1): nine copies stay within 9101…9186.
MAX_COPIES=9
GATEWAY_PORT=8080
PIDS_DIR="$PINGBACK_STATE/pids"
LOGS_DIR="$PINGBACK_STATE/logs"
READY_TIMEOUT_SECONDS=60

# set_copies N: how many copies of each of COPIED_SERVICES start_services runs, 1…MAX_COPIES.
set_copies() {
  [[ $1 =~ ^[1-9][0-9]*$ ]] && (($1 <= MAX_COPIES)) || die "copies must be a whole number from 1 to $MAX_COPIES, not '$1'"
  COPIES=$1
}

# service_instances: the instances start_services runs, one a line, every copy after its service's first.
service_instances() {
  local service copied k
  for service in "${SERVICES[@]}"; do
    echo "$service"
    for copied in "${COPIED_SERVICES[@]}"; do
      if [ "$copied" = "$service" ]; then
        for ((k = 2; k <= COPIES; k++)); do echo "$service-$k"; done
      fi
    done
  done
}

# service_of INSTANCE: the service it runs (response-store-2 → response-store).
service_of() {
  if [[ $1 =~ ^(.+)-([0-9]+)$ ]]; then echo "${BASH_REMATCH[1]}"; else echo "$1"; fi
}

# copy_of INSTANCE: which copy it is, from 1.
copy_of() {
  if [[ $1 =~ -([0-9]+)$ ]]; then echo "${BASH_REMATCH[1]}"; else echo 1; fi
}

# health_port INSTANCE: 9101…9106 in the order of SERVICES for the first copies, 10 more for each further copy.
health_port() {
  local i service
  service=$(service_of "$1")
  for i in "${!SERVICES[@]}"; do
    if [ "${SERVICES[$i]}" = "$service" ]; then
      echo $((9101 + i + 10 * ($(copy_of "$1") - 1)))
      return
    fi
  done
  die "unknown service $1"
}

# service_pid INSTANCE: prints the pid when that instance's process (and not some other holder of the pid) runs.
service_pid() {
  local pid
  pid=$(cat "$PIDS_DIR/$1.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && grep -qF "services/$(service_of "$1")/dist/main.js" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

# start_services: starts each instance with .pingback/.env, PORT for the gateway and its HEALTH_PORT. Every copy
# gets the same environment, so the gateway's RESPONSE_STORE_URL, DISPATCHER_URL and DELIVERER_URL and the
# deliverer's GATEWAY_INTERNAL_URL keep their defaults: the first copy's port (internal reads are stateless: any
# copy answers).
start_services() {
  local instance service instances
  mapfile -t instances < <(service_instances)
  mkdir -p "$PIDS_DIR"
  for instance in "${instances[@]}"; do
    service=$(service_of "$instance")
    [ -f "services/$service/dist/main.js" ] || die "services/$service/dist/main.js is missing: the build did not make it"
    rm -f "$PIDS_DIR/$instance.pid"
    private_log "$LOGS_DIR/$instance.log"
    printf '\n--- started %s ---\n' "$(date -u +%FT%TZ)" >>"$LOGS_DIR/$instance.log"
    (
      env_file_export
      export HEALTH_PORT
      HEALTH_PORT=$(health_port "$instance")
      if [ "$service" = ingest-gateway ]; then export PORT=$GATEWAY_PORT; fi
      # A development stack answers this machine only, unless PUBLIC_HOST says otherwise.
      export PUBLIC_HOST=${PUBLIC_HOST:-127.0.0.1}
      # setsid: its own session, so the terminal's Ctrl-C and npm's exit leave it running.
      exec setsid sh -c 'echo $$ >"$0"; exec node "$1"' "$PIDS_DIR/$instance.pid" "services/$service/dist/main.js" \
        </dev/null >>"$LOGS_DIR/$instance.log" 2>&1
    ) &
  done
  for instance in "${instances[@]}"; do
    local deadline=$((SECONDS + 5))
    until [ -s "$PIDS_DIR/$instance.pid" ]; do
      ((SECONDS < deadline)) || die "$instance did not start: see $LOGS_DIR/$instance.log"
      sleep 0.1
    done
  done
}

# wait_services_ready: waits for every /readyz; on a failure prints that instance's last log lines and exits 1.
wait_services_ready() {
  local instance instances port deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  mapfile -t instances < <(service_instances)
  for instance in "${instances[@]}"; do
    port=$(health_port "$instance")
    until service_is_ready "$port"; do
      if ! service_pid "$instance" >/dev/null; then
        service_failed "$instance" "exited before it was ready"
      elif ((SECONDS >= deadline)); then
        service_failed "$instance" "is not ready after ${READY_TIMEOUT_SECONDS}s (http://127.0.0.1:$port/readyz)"
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

# stop_services: SIGTERM to every running instance, then SIGKILL to any still running after 10 s. It goes by the
# pid files, not by COPIES, so it also stops the copies of an earlier start that ran more of them.
stop_services() {
  local file instance pid running=()
  for file in "$PIDS_DIR"/*.pid; do
    [ -e "$file" ] || continue
    instance=$(basename "$file" .pid)
    if pid=$(service_pid "$instance"); then
      say "stopping $instance (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      running+=("$instance")
    fi
  done
  local deadline=$((SECONDS + 10))
  for instance in "${running[@]}"; do
    # service_pid, not kill -0: an exited process nobody has reaped yet still answers kill -0.
    while service_pid "$instance" >/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if pid=$(service_pid "$instance"); then
      warn "$instance (pid $pid) did not stop within 10 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$PIDS_DIR"/*.pid
}

print_service_states() {
  local instance instances pid state port
  mapfile -t instances < <(service_instances)
  for instance in "${instances[@]}"; do
    port=$(health_port "$instance")
    pid=$(service_pid "$instance") || pid=-
    if service_is_ready "$port"; then state=ready; else state="not ready"; fi
    printf '  %-26s %-10s pid %-8s health http://127.0.0.1:%s/readyz\n' "$instance" "$state" "$pid" "$port"
  done
}
