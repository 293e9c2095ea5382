# shellcheck shell=bash
# Installs Debian packages, running `apt-get update` at most once per script run. Sourced, never run.

APT_UPDATED=${APT_UPDATED:-}

# apt_install PACKAGE...: installs the packages (root only).
apt_install() {
  [ "$(id -u)" = 0 ] || die "installing $* needs root: run as root, or install them yourself"
  command -v apt-get >/dev/null || die "apt-get not found: install $* yourself"
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
