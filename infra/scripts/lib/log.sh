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
