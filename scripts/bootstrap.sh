#!/usr/bin/env bash
# Gets a fresh machine ready: Node 24 and pnpm under .tools (the system Node may be older),
# then the workspace packages. Sourced by start.sh and test.sh; safe to run again.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if ! .tools/node_modules/.bin/node --version 2>/dev/null | grep -q '^v24\.'; then
  echo "[attune] installing Node 24 and pnpm under .tools" >&2
  npm i --prefix .tools --no-audit --no-fund --loglevel=error node@24 pnpm@10.34.9 >&2
fi
export PATH="$root/.tools/node_modules/.bin:$PATH"
pnpm install --frozen-lockfile --reporter=silent >&2
