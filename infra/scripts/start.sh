#!/usr/bin/env bash
# npm start: installs, finds or starts Postgres/Redis/RabbitMQ, builds, migrates, (re)starts the six services
# detached, waits until each is ready, creates the development account once, and prints how to use it.
# Safe to run again: it reuses the secrets in .pingback/.env and restarts the services.
# --copies N (or PINGBACK_COPIES=N) runs N copies of each consumer service: response-store, notification-dispatcher
# and webhook-deliverer (services.sh).
set -euo pipefail

LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
for part in log apt probe started-servers docker-servers debian-rabbitmq debian-servers infra-resolve env-file build services \
  dev-account; do
  # shellcheck source=/dev/null
  source "$LIB/$part.sh"
done
cd "$PINGBACK_ROOT"

set_copies "${PINGBACK_COPIES:-1}"
while (($#)); do
  case $1 in
    --copies=*) set_copies "${1#*=}" ;;
    --copies)
      (($# >= 2)) || die "--copies needs a number"
      set_copies "$2"
      shift
      ;;
    *) die "unknown argument '$1' (usage: npm start [-- --copies N])" ;;
  esac
  shift
done

install_dependencies
resolve_infra
build_workspace
migrate_databases
env_file_prepare

stop_services
if ((COPIES > 1)); then
  say "starting the services, $COPIES copies of each of ${COPIED_SERVICES[*]} (logs in $LOGS_DIR)"
else
  say "starting the services (logs in $LOGS_DIR)"
fi
start_services
wait_services_ready
ensure_dev_account

echo
echo "Pingback is running at http://localhost:$GATEWAY_PORT"
print_service_states
echo
print_dev_credentials
echo
echo "Stop everything with: npm stop"
