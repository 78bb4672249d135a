#!/usr/bin/env bash
# npm run check:deploy: verifies deploy/vinyl-store.service with systemd-analyze where it is
# installed. The unit names production paths (/opt/vinyl-store, /usr/bin/node, user vinyl),
# so a copy pointing at this checkout and this node is what gets verified.
set -euo pipefail
cd "$(dirname "$0")/.."
unit=deploy/vinyl-store.service
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze is not installed: skipped (apt-get install systemd)" >&2
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e "s|^WorkingDirectory=.*|WorkingDirectory=$PWD|" \
    -e "s|^ExecStart=/usr/bin/node |ExecStart=$(command -v node) |" \
    -e "s|^EnvironmentFile=.*|EnvironmentFile=-$work/env|" \
    -e "s|^User=.*|User=root|" -e "s|^Group=.*|Group=root|" \
    "$unit" > "$work/vinyl-store.service"
# Warnings are errors here: a typo in a directive is only a warning to systemd.
output=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work/vinyl-store.service" 2>&1 || echo "systemd-analyze verify failed")
output=$(grep -v -e 'Cannot add dependency job' -e 'Failed to connect to bus' -e 'Falling back to' <<<"$output" || true)
if [ -n "$output" ]; then
  echo "$output" >&2
  exit 1
fi
echo "$unit: verified with $(systemd-analyze --version | head -1)"
