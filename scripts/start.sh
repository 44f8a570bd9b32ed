#!/usr/bin/env bash
# The one command to try Attune: installs what is missing, then runs every service in one
# process (embedded mode: PGlite under .attune/, in-memory bus, demo data, no Docker, no API key).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec pnpm start
