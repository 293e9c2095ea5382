# shellcheck shell=bash
# The tools the tests call: curl, jq, python3-requests (the seeds' clients), chromium (the respond page),
# docker-compose (to validate docker-compose.yml). Installed from Debian when missing and running as root.
# Sourced, never run (after log.sh, apt.sh).

TEST_TOOL_PACKAGES=(curl jq python3-requests chromium docker-compose)

install_test_tools() {
  local package missing=()
  for package in "${TEST_TOOL_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" = 0 ]; then
    apt_install "${missing[@]}"
  else
    warn "not root, so not installing ${missing[*]}: the tests that need them will fail or skip"
  fi
}
