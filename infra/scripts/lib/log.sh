# shellcheck shell=bash
# Messages every script prints, and the two paths they share. Sourced, never run.

PINGBACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this one
PINGBACK_STATE="$PINGBACK_ROOT/.pingback"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# private_log FILE: creates FILE and its directory for the owner only (0600, 0700), also when an earlier run left them
# readable by everyone. Logs show request paths, ids and errors: no other user of the machine may read them.
private_log() {
  local dir
  dir=$(dirname "$1")
  (umask 077 && mkdir -p "$dir" && touch "$1")
  chmod 700 "$dir"
  chmod 600 "$1"
}
