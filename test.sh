#!/usr/bin/env bash
# The project's single test command: installs what the tests need and is missing, runs every test
# project in Nudge.slnx, and ends with one line "N passed, N failed". Exits non-zero when a test
# failed or the build failed.
set -euo pipefail
cd "$(dirname "$0")"

export DEBIAN_FRONTEND=noninteractive DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# .ci/run has already refreshed the package lists when it sets NUDGE_APT_UPDATED=true.
apt_updated=${NUDGE_APT_UPDATED:-false}

# need_apt CHECK PACKAGE...: installs the Debian packages unless CHECK is satisfied. CHECK is a command
# name looked up on PATH or, when it contains a slash, a path glob that must match a file.
need_apt() {
  local check=$1
  shift
  if [[ $check == */* ]]; then
    compgen -G "$check" >/dev/null && return 0
  else
    command -v "$check" >/dev/null && return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: $check is missing and only root can install $*; tests that need it will fail" >&2
    return 0
  fi
  if [[ $apt_updated == false ]]; then
    apt-get update -qq
    apt_updated=true
  fi
  echo "test.sh: installing $* (for $check)"
  apt-get install -y -qq --no-install-recommends "$@"
}

need_apt '/usr/lib/postgresql/*/bin/initdb' postgresql
need_apt node nodejs npm
# Postfix's smtp-sink is the SMTP server of the email tests (and smtp-source the baseline of the email benchmark).
need_apt '/usr/sbin/smtp-sink' postfix
# Dovecot holds the IMAP bounce mailbox of the bounce-mailbox tests.
need_apt '/usr/sbin/dovecot' dovecot-imapd

# The end-to-end tests drive the official Segment and RudderStack SDKs from tests/clients.
if [[ ! -d tests/clients/node_modules || tests/clients/package-lock.json -nt tests/clients/node_modules ]]; then
  (cd tests/clients && npm ci --no-audit --no-fund)
  touch tests/clients/node_modules
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Exit code 8 means a test project has no tests yet; that is not a failure.
set +e
dotnet test --solution Nudge.slnx --ignore-exit-code 8 --no-ansi --no-progress 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Microsoft.Testing.Platform ends with a summary holding "  failed: N" and "  succeeded: N".
read -r passed failed < <(awk '
  /^[[:space:]]*succeeded: [0-9]+[[:space:]]*$/ { passed += $2 }
  /^[[:space:]]*failed: [0-9]+[[:space:]]*$/ { failed += $2 }
  END { print passed + 0, failed + 0 }' "$log")

if [[ $status -ne 0 && $failed -eq 0 ]]; then
  echo "test.sh: dotnet test exited with code $status (build failure or crashed test host)" >&2
fi
echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
